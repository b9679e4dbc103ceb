import Foundation
@testable import SearchServer
import Testing

/// The daemon writes its busy routes' JSON by hand (`JSONWriter`); clients
/// and the CLI's `--json` expect exactly what `JSONEncoder` writes
/// (`SearchAPI.encode`). Every comparison here is byte for byte.
@Suite struct JSONWriterTests {
    /// JSONEncoder's bytes and the writer's, as text for a readable failure.
    static func expectSameJSON<Value: Encodable & JSONWritable>(
        _ value: Value, _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let expected = String(decoding: SearchAPI.encode(value), as: UTF8.self)
        let written = String(decoding: value.jsonBytes(), as: UTF8.self)
        #expect(written == expected, comment, sourceLocation: sourceLocation)
    }

    // MARK: - Strings and numbers

    /// Every ASCII control character, then the characters JSON escapes or
    /// might: the quote, the backslash, the slash (not escaped here), DEL,
    /// the Unicode line and paragraph separators (JSONEncoder leaves them
    /// raw), a BOM, and characters of 2, 3 and 4 UTF-8 bytes.
    static let awkwardStrings: [String] = [
        String(String.UnicodeScalarView((0..<0x20).map { Unicode.Scalar($0)! })),
        "\"", "\\", "/", "\\\"", "a/b\\c\"d", "http://example.org/a?b=c",
        "\u{7F}", "\u{2028}\u{2029}", "\u{FEFF}", "é", "产教融合", "😀", "e\u{301}",
        "", " ", "«产教»融合…", "end\n", "\tstart", "\r\n", "\u{0}mid\u{1F}",
    ]

    @Test func stringsAreEscapedAsJSONEncoderDoes() {
        for text in Self.awkwardStrings {
            Self.expectSameJSON([text], "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
        }
        Self.expectSameJSON(Self.awkwardStrings)
    }

    @Test func dictionaryKeysAreEscapedAndSortedAsJSONEncoderDoes() {
        // Byte order, not case-insensitive or numeric order: "B" < "_" < "a", "a10" < "a2".
        var dictionary: [String: [String]] = [:]
        for (offset, key) in (Self.awkwardStrings + ["b", "a", "B", "Z", "_", "a10", "a2", "中职", "人工智能", "AI"]).enumerated() {
            dictionary[key] = [String(offset)]
        }
        Self.expectSameJSON(dictionary)
        Self.expectSameJSON([String: Int]())
    }

    static let awkwardNumbers: [Double] = [
        0, -0.0, 1, -1, 3, 0.5, 0.1, 1.0 / 3, -2.5, 100_000, 12.345678901234567,
        1e15, 1e16, 123_456_789_012_345, 9_007_199_254_740_992, 1e21, -1.5e300,
        1e-4, 1e-5, 0.000123, .leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
    ]

    @Test func doublesArePrintedAsJSONEncoderDoes() {
        for number in Self.awkwardNumbers {
            Self.expectSameJSON([number], "\(number)")
        }
        Self.expectSameJSON(Self.awkwardNumbers)
    }

    @Test func integersAndBooleans() {
        Self.expectSameJSON([0, 1, -1, 9, 10, -10, 2024, Int.max, Int.min])
        Self.expectSameJSON([true, false])
        Self.expectSameJSON([[Int]](), "an empty array")
        Self.expectSameJSON([[1, 2], [], [3]], "nested arrays")
    }

    @Test func nonFiniteNumbersAreWrittenAsZero() {
        // JSON has no NaN or infinity and JSONEncoder throws on them; the
        // writer keeps the answer readable instead (see JSONWriter.number).
        for number in [Double.nan, .infinity, -.infinity] {
            #expect(String(decoding: [number, 1.5].jsonBytes(), as: UTF8.self) == "[0,1.5]")
        }
    }

    @Test func nullAndOmittedFields() {
        var json = JSONWriter(reservingCapacity: 0)
        json.beginObject()
        json.field("a", nil as String?)
        json.field("b", 1)
        json.field("c", nil as Int?)
        json.key("d")
        json.null()
        json.endObject()
        #expect(String(decoding: json.bytes, as: UTF8.self) == #"{"b":1,"d":null}"#)
    }
}
