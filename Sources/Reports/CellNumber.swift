/// The number a table cell holds, for scripts that plot a table without
/// parsing Chinese number formats: `17.76:1` → 17.76 (unit `ratio`),
/// `96.43%` → 96.43 (`%`), `1,234` → 1234, `389人` → 389 (`人`), `-3.5`,
/// full-width digits too. Text, ranges (`2023-2024`) and several numbers in
/// one cell have none.
public enum CellNumber {
    /// A unit is at most this many characters (`万元`, `人次`).
    static let maximumUnitLength = 4

    public static func parse(_ text: String) -> (value: Double, unit: String?)? {
        let characters = Array(fold(text).trimmingCharacters(in: .whitespacesAndNewlines))
        var index = 0
        var digits = ""
        if index < characters.count, characters[index] == "-" || characters[index] == "+" {
            if characters[index] == "-" { digits.append("-") }
            index += 1
        }
        // The whole part, with thousands separators only between groups of three.
        let wholeStart = index
        while index < characters.count {
            if characters[index].isASCII, characters[index].isNumber {
                digits.append(characters[index])
                index += 1
            } else if characters[index] == ",", index > wholeStart, isGroupOfThree(characters, after: index) {
                index += 1
            } else {
                break
            }
        }
        guard index > wholeStart else { return nil }
        if index + 1 < characters.count, characters[index] == ".", characters[index + 1].isASCII, characters[index + 1].isNumber {
            digits.append(".")
            index += 1
            while index < characters.count, characters[index].isASCII, characters[index].isNumber {
                digits.append(characters[index])
                index += 1
            }
        }
        guard let value = Double(digits) else { return nil }
        let rest = String(characters[index...]).trimmingCharacters(in: .whitespaces)
        if rest.isEmpty { return (value, nil) }
        if rest.first == ":" {
            // `17.76:1`, the report's way of writing a ratio.
            return rest.dropFirst().trimmingCharacters(in: .whitespaces) == "1" ? (value, "ratio") : nil
        }
        let isUnit = rest.count <= maximumUnitLength
            // (万, 亿 and 千 are numbers to Unicode: only digits count here.)
            && rest.allSatisfy { !($0.isASCII && $0.isNumber) && !$0.isWhitespace && !",.:;/-+()".contains($0) }
        return isUnit ? (value, rest) : nil
    }

    /// Digits, signs and separators written full width, as ASCII.
    private static func fold(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar -> Unicode.Scalar in
            switch scalar.value {
            case 0xFF01...0xFF5E: return Unicode.Scalar(scalar.value - 0xFEE0) ?? scalar
            case 0x2212: return "-"  // minus sign
            default: return scalar
            }
        }))
    }

    private static func isGroupOfThree(_ characters: [Character], after comma: Int) -> Bool {
        let group = comma + 1..<comma + 4
        guard group.upperBound <= characters.count, group.allSatisfy({ characters[$0].isASCII && characters[$0].isNumber }) else { return false }
        return group.upperBound == characters.count || !(characters[group.upperBound].isASCII && characters[group.upperBound].isNumber)
    }
}
