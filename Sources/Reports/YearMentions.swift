/// The years a text mentions: `2024年1月` and `2023-2024 学年` by their
/// digits, and relative forms (`本年度`, `上年度`) through the report's year.
enum YearMentions {
    /// Years outside this range are taken for quantities (`2000 人`).
    static let plausible = 1990...2039

    private static let relative: [(String, Int)] = [
        ("本年度", 0), ("本学年", 0), ("今年", 0), ("当年", 0),
        ("上年度", -1), ("上一年度", -1), ("上学年", -1), ("去年", -1),
    ]

    /// Characters that make a four-digit number a quantity, not a year.
    private static let quantityUnits: Set<Character> = [
        "人", "元", "万", "亿", "个", "名", "所", "件", "项", "家", "本", "门", "次", "亩", "分", "余", "多", "米", "册", "台", "套", "场", "期", "份", "位", "张",
    ]

    static func extract(from text: String, reportYear: Int) -> [Int] {
        var years = Set<Int>()
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            if characters[index].isASCII, characters[index].isNumber {
                var end = index
                while end < characters.count, characters[end].isASCII, characters[end].isNumber { end += 1 }
                let before = index > 0 ? characters[index - 1] : " "
                let after = nextNonSpace(characters, from: end)
                if end - index == 4, let year = Int(String(characters[index..<end])), plausible.contains(year),
                   before != ".", before != ",", after.map({ $0 != "." && $0 != "%" && !quantityUnits.contains($0) }) ?? true {
                    years.insert(year)
                }
                index = end
                continue
            }
            index += 1
        }
        let bytes = Array(text.utf8)
        for (phrase, offset) in relative where occurs(Array(phrase.utf8), in: bytes) {
            years.insert(reportYear + offset)
        }
        return years.sorted()
    }

    /// Whether `needle` occurs in `haystack`, byte for byte. (Foundation's
    /// `String.contains(_:)` folds character clusters through CFString and
    /// was a tenth of the whole parse.)
    static func occurs(_ needle: [UInt8], in haystack: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= haystack.count else { return needle.isEmpty }
        let first = needle[0]
        var start = 0
        while start <= haystack.count - needle.count {
            if haystack[start] == first, haystack[start..<(start + needle.count)].elementsEqual(needle) { return true }
            start += 1
        }
        return false
    }

    private static func nextNonSpace(_ characters: [Character], from index: Int) -> Character? {
        var index = index
        while index < characters.count, characters[index] == " " { index += 1 }
        return index < characters.count ? characters[index] : nil
    }
}
