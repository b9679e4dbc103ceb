import Foundation

/// What a heading line says it is, read from its text alone.
///
/// Reports number their sections in several ways; each way is a `Style`, and
/// the parser derives depth from the numbering (1.1.3 is depth 3), never from
/// the number of `#`, which PDF conversion gets wrong.
enum HeadingPattern: Equatable {
    /// A numbered section: `1.1.3 立德树人…`, `一、总体情况`, `（二）…`.
    case section(style: Style, numbers: [Int], title: String)
    /// A case study marker: `案例 1-12 …`, `【案例1】…`, `案例一：…`.
    case caseMarker(number: String, title: String)
    /// One of the table-of-contents blocks (`目录`, `案例目录`, `图目录`, `表目录`).
    case tableOfContents(TOCKind)
    /// A figure caption set as a heading.
    case figureCaption(number: String, caption: String)
    /// A table caption set as a heading.
    case tableCaption(number: String, caption: String)
    /// Anything else: a named section (`前言`) or a stray fragment.
    case unnumbered(String)

    enum Style: Equatable, Hashable {
        /// `1.1.3`: the numbers carry the depth.
        case decimal
        /// `第一章` / `第一部分`.
        case chapter
        /// `一、`
        case chineseNumeral
        /// `（一）`
        case parenthesizedChineseNumeral
        /// `1.` / `1、` under Chinese-numeral headings.
        case arabicWithDot
        /// `（1）`
        case parenthesizedArabic
    }

    enum TOCKind: String, Equatable {
        case contents, cases, figures, tables
    }

    static func classify(_ rawText: String, isMarkdownHeading: Bool) -> HeadingPattern? {
        let text = Markup.plainText(rawText)
        guard !text.isEmpty else { return nil }
        let compact = text.filter { !$0.isWhitespace }

        switch compact {
        case "目录": return .tableOfContents(.contents)
        case "案例目录": return .tableOfContents(.cases)
        case "图目录": return .tableOfContents(.figures)
        case "表目录": return .tableOfContents(.tables)
        case "图表目录": return .tableOfContents(.figures)
        default: break
        }
        if let marker = caseMarker(text) { return marker }
        if let caption = Caption.parse(text) {
            return caption.kind == .figure
                ? .figureCaption(number: caption.number, caption: caption.text)
                : .tableCaption(number: caption.number, caption: caption.text)
        }
        if let section = numberedSection(text, isMarkdownHeading: isMarkdownHeading) { return section }
        return isMarkdownHeading ? .unnumbered(text) : nil
    }

    // MARK: - Case markers

    private static let caseMarkerExpressions: [NSRegularExpression] = [
        // 【案例1】标题 / 【案例 1-2】标题
        try! NSRegularExpression(pattern: #"^【\s*(?:典型)?案例\s*([0-9]+(?:\s*[-－—–.]\s*[0-9]+)*|[一二三四五六七八九十百零〇]+)\s*】\s*[：:、.．]?\s*(.*)$"#),
        // 案例 1-12 标题 / 案例1：标题 / 案例一：标题 / 典型案例 3 标题
        try! NSRegularExpression(pattern: #"^(?:典型)?案例\s*([0-9]+(?:\s*[-－—–.]\s*[0-9]+)*|[一二三四五六七八九十百零〇]+)\s*(?:[：:、.．]\s*|\s+|$)(.*)$"#),
    ]

    private static func caseMarker(_ text: String) -> HeadingPattern? {
        for expression in caseMarkerExpressions {
            guard let match = expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
                  let numberRange = Range(match.range(at: 1), in: text),
                  let titleRange = Range(match.range(at: 2), in: text)
            else { continue }
            let number = Numbering.normalizeNumber(String(text[numberRange]))
            return .caseMarker(number: number, title: text[titleRange].trimmed)
        }
        return nil
    }

    // MARK: - Numbered sections

    private static let decimalExpression = try! NSRegularExpression(pattern: #"^([0-9]{1,2}(?:\.[0-9]{1,2})*)\.?\s+(\S.*)$"#)
    private static let decimalTightExpression = try! NSRegularExpression(pattern: #"^([0-9]{1,2}(?:\.[0-9]{1,2})+)\s*(\S.*)$"#)
    private static let chapterExpression = try! NSRegularExpression(pattern: #"^第\s*([一二三四五六七八九十百零〇]+|[0-9]+)\s*[章部篇]分?\s*[：:、]?\s*(.*)$"#)
    private static let chineseNumeralExpression = try! NSRegularExpression(pattern: #"^([一二三四五六七八九十百零〇]+)\s*[、．.]\s*(\S.*)$"#)
    private static let parenthesizedChineseExpression = try! NSRegularExpression(pattern: #"^[（(]\s*([一二三四五六七八九十百零〇]+)\s*[）)]\s*(\S.*)$"#)
    private static let arabicWithDotExpression = try! NSRegularExpression(pattern: #"^([0-9]{1,2})\s*[、．]\s*(\S.*)$"#)
    private static let parenthesizedArabicExpression = try! NSRegularExpression(pattern: #"^[（(]\s*([0-9]{1,2})\s*[）)]\s*(\S.*)$"#)

    private static func numberedSection(_ text: String, isMarkdownHeading: Bool) -> HeadingPattern? {
        // A plain line is a heading only when it reads like one: short, and not
        // a sentence (prose paragraphs also start with `一、` or `1.`).
        if !isMarkdownHeading {
            guard text.count <= 40, let last = text.last, !"。；;！!？?，,：:".contains(last) else { return nil }
        }
        func groups(_ expression: NSRegularExpression) -> (String, String)? {
            guard let match = expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
                  let a = Range(match.range(at: 1), in: text), let b = Range(match.range(at: 2), in: text)
            else { return nil }
            return (String(text[a]), text[b].trimmed)
        }
        if let (number, title) = groups(decimalExpression) ?? groups(decimalTightExpression) {
            let numbers = number.split(separator: ".").compactMap { Int($0) }
            // `2024 年…` or `3 所学校…` are not headings: numbers in a heading are small.
            guard !numbers.isEmpty, numbers.allSatisfy({ $0 < 100 }), !title.hasPrefix("年"), !title.hasPrefix("%") else { return nil }
            if !isMarkdownHeading && numbers.count == 1 { return .section(style: .arabicWithDot, numbers: numbers, title: title) }
            return .section(style: .decimal, numbers: numbers, title: title)
        }
        if let (number, title) = groups(chapterExpression), let value = Numbering.value(of: number) {
            return .section(style: .chapter, numbers: [value], title: title)
        }
        if let (number, title) = groups(chineseNumeralExpression), let value = Numbering.value(of: number) {
            return .section(style: .chineseNumeral, numbers: [value], title: title)
        }
        if let (number, title) = groups(parenthesizedChineseExpression), let value = Numbering.value(of: number) {
            return .section(style: .parenthesizedChineseNumeral, numbers: [value], title: title)
        }
        if let (number, title) = groups(arabicWithDotExpression), let value = Int(number) {
            return .section(style: .arabicWithDot, numbers: [value], title: title)
        }
        if let (number, title) = groups(parenthesizedArabicExpression), let value = Int(number) {
            return .section(style: .parenthesizedArabic, numbers: [value], title: title)
        }
        return nil
    }
}

/// `表 1-2：…` and `图 1-9: …` captions, in the body or in a TOC line.
struct Caption: Equatable {
    enum Kind { case figure, table }
    var kind: Kind
    var number: String
    var text: String
    /// `续表 1-5`: the continuation of a table split by a page break.
    var isContinuation: Bool

    private static let expression = try! NSRegularExpression(
        pattern: #"^(续)?([图表])\s*([0-9]+(?:\s*[-－—–.．]\s*[0-9]+)*)\s*(?:[：:．.、]\s*|\s+|$)(.*)$"#)

    static func parse(_ text: String) -> Caption? {
        guard let match = expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
              let kindRange = Range(match.range(at: 2), in: text),
              let numberRange = Range(match.range(at: 3), in: text),
              let textRange = Range(match.range(at: 4), in: text)
        else { return nil }
        return Caption(
            kind: text[kindRange] == "图" ? .figure : .table,
            number: Numbering.normalizeNumber(String(text[numberRange])),
            text: text[textRange].trimmed,
            isContinuation: match.range(at: 1).location != NSNotFound)
    }
}

enum Numbering {
    /// `1 - 12`, `1－12`, `1—12` -> `1-12`; `一` -> `1`.
    static func normalizeNumber(_ raw: String) -> String {
        if let value = value(of: raw), raw.unicodeScalars.allSatisfy({ !($0.properties.numericType == .decimal) }) {
            return String(value)
        }
        var out = ""
        for character in raw where !character.isWhitespace {
            switch character {
            case "－", "—", "–": out.append("-")
            case "．": out.append(".")
            default: out.append(character)
            }
        }
        return out
    }

    private static let digits: [Character: Int] = [
        "零": 0, "〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
    ]

    /// The value of a Chinese numeral up to 999 (`十二` -> 12, `二十` -> 20) or
    /// of an Arabic number.
    static func value(of text: String) -> Int? {
        if let number = Int(text) { return number }
        guard !text.isEmpty else { return nil }
        var total = 0
        var current = 0
        for character in text {
            if let digit = digits[character] {
                current = digit
            } else if character == "十" {
                total += (current == 0 ? 1 : current) * 10
                current = 0
            } else if character == "百" {
                total += (current == 0 ? 1 : current) * 100
                current = 0
            } else {
                return nil
            }
        }
        return total + current
    }
}
