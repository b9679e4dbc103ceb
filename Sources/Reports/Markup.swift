import Foundation

/// The little inline markup PDF-to-markdown conversion leaves in reports,
/// turned into the text a reader sees: `**bold**` loses its stars,
/// `<sup>①</sup>` becomes `①`, `m <sup>2</sup>` becomes `m²`.
enum Markup {
    private static let superscriptDigits: [Character: Character] = [
        "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹",
    ]

    /// Footnote markers referenced in `text` as `<sup>X</sup>` (X is not a
    /// plain digit run, which is an exponent such as m²), in order.
    static func footnoteReferences(in text: String) -> [String] {
        var markers: [String] = []
        var rest = Substring(text)
        while let open = rest.range(of: "<sup>") {
            guard let close = rest[open.upperBound...].range(of: "</sup>") else { break }
            let inner = rest[open.upperBound..<close.lowerBound].trimmed
            if FootnoteMarker.isMarker(inner) { markers.append(inner) }
            rest = rest[close.upperBound...]
        }
        return markers
    }

    /// Display text: markup removed, exponents as superscripts, runs of
    /// whitespace collapsed to one space.
    static func plainText(_ text: String) -> String {
        // Most lines hold no markup: skip the Foundation searches below
        // (they were the parser's hot spot on a 200-report corpus).
        if !text.utf8.contains(UInt8(ascii: "<")) && !text.utf8.contains(UInt8(ascii: "*")) {
            return collapseWhitespace(text)
        }
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var rest = Substring(text)
        while let open = rest.range(of: "<sup>") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "</sup>") else {
                rest = rest[open.upperBound...]
                continue
            }
            let inner = rest[open.upperBound..<close.lowerBound].trimmed
            if !inner.isEmpty, inner.allSatisfy(\.isASCII), inner.allSatisfy(\.isNumber) {
                // An exponent: glue it to what it raises (`m <sup>2</sup> )` -> `m²)`).
                while out.last == " " { out.removeLast() }
                out += String(inner.map { superscriptDigits[$0] ?? $0 })
                rest = rest[close.upperBound...]
                while rest.first == " " { rest = rest.dropFirst() }
            } else {
                out += inner
                rest = rest[close.upperBound...]
            }
        }
        out += rest
        out = out.replacingOccurrences(of: "**", with: "")
        return collapseWhitespace(out)
    }

    static func collapseWhitespace(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(" ") }
                pendingSpace = false
                out.append(scalar)
            }
        }
        return String(out)
    }
}

enum FootnoteMarker {
    /// ① … ⑳, or a short run of digits (`[^1]` style notes become `1`).
    static func isMarker<S: StringProtocol>(_ text: S) -> Bool {
        guard let first = text.unicodeScalars.first else { return false }
        if text.unicodeScalars.count == 1, (0x2460...0x2473).contains(first.value) { return true }
        return false
    }
}

extension StringProtocol {
    /// The text without leading and trailing whitespace (including U+3000).
    var trimmed: String {
        var scalars = Substring(self).unicodeScalars[...]
        while let first = scalars.first, first.properties.isWhitespace { scalars = scalars.dropFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars = scalars.dropLast() }
        return String(String.UnicodeScalarView(scalars))
    }
}
