import CPoppler
import Foundation

/// One word of a PDF page as poppler found it: its text, its box in points
/// (origin top left, y downwards) and its size.
public struct PDFWord: Sendable, Equatable {
    public var text: String
    public var x0: Double
    public var y0: Double
    public var x1: Double
    public var y1: Double
    /// The height of the word's box, which poppler makes from the font's
    /// size, ascent and descent (not from the glyphs: digits and CJK
    /// characters of one font get one height). It stands for the font size:
    /// it compares words of one document, which is all the rebuilder asks.
    /// (poppler-cpp can name the font size too, but asking for font
    /// information makes `text_list` 2.5 times slower, and Chromium's Type 3
    /// fonts report twice their point size.)
    public var size: Double
    /// poppler saw a space after the word on its line.
    public var spaceAfter: Bool

    public var height: Double { y1 - y0 }
    public var centerY: Double { (y0 + y1) / 2 }
}

/// The words of one page.
public struct PDFPage: Sendable {
    /// 1-based physical page number.
    public var number: Int
    public var width: Double
    public var height: Double
    /// The page label the PDF defines (`iv`, `12`), if it defines labels.
    public var label: String?
    public var words: [PDFWord]
}

/// Why a PDF cannot be read. `code` values are stable (they become the
/// report errors' codes).
public struct PDFProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The file does not start like a PDF (`%PDF-`).
        case notPDF = "pdf_not_a_pdf"
        /// poppler cannot load it: truncated or damaged beyond repair.
        case damaged = "pdf_damaged"
        /// Encrypted with a password.
        case encrypted = "pdf_encrypted"
        /// A PDF without pages.
        case noPages = "pdf_no_pages"
        /// Pages without a text layer (scanned images): it needs OCR first.
        case noText = "pdf_no_text"
    }

    public var code: Code
    public var message: String
    public var description: String { message }
}

/// A PDF opened with poppler (through the CPoppler shim).
///
/// ```swift
/// let document = try PDFDocument(path: "corpus/report.pdf")
/// for index in 0..<document.pageCount { print(try document.page(index).words.count) }
/// ```
public final class PDFDocument: @unchecked Sendable {
    // @unchecked: the handle is used by one thread at a time (each reading
    // thread opens its own: `reopened()`); the bytes are only read.
    private let handle: OpaquePointer
    private let bytes: Bytes

    public static var popplerVersion: String { String(cString: cp_poppler_version()) }

    /// The bytes poppler reads from, owned here (not borrowed from a `Data`,
    /// whose storage Swift only promises inside `withUnsafeBytes`), shared
    /// by every handle opened on them and freed after the last.
    final class Bytes: @unchecked Sendable {
        let buffer: UnsafeMutableRawBufferPointer
        init(_ data: Data) {
            buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: data.count, alignment: 1)
            buffer.copyBytes(from: data)
        }
        deinit { buffer.deallocate() }
    }

    public convenience init(path: String) throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw PDFProblem(code: .damaged, message: "it cannot be read: \(error.localizedDescription)")
        }
        try self.init(data: data)
    }

    /// Opens a PDF from its bytes (a caller that fingerprints a file reads
    /// it once and parses exactly what it fingerprinted).
    public convenience init(data: Data) throws {
        // poppler would say "May not be a PDF file" and answer NULL; look at
        // the magic number first for a message that says what the file is.
        // The header may follow a little junk (the spec allows 1024 bytes).
        guard data.prefix(1024).range(of: Data("%PDF-".utf8)) != nil else {
            throw PDFProblem(code: .notPDF, message: "it is not a PDF (it does not start with %PDF-)")
        }
        try self.init(bytes: Bytes(data))
    }

    private init(bytes: Bytes) throws {
        var error = cp_error()
        guard let handle = cp_document_open_data(bytes.buffer.baseAddress!.assumingMemoryBound(to: CChar.self), bytes.buffer.count, &error) else {
            let detail = Self.message(of: &error)
            if error.code == CP_ERROR_LOCKED.rawValue {
                throw PDFProblem(code: .encrypted, message: "it is encrypted with a password; save an unprotected copy (qpdf --decrypt) and index that")
            }
            throw PDFProblem(code: .damaged, message: "it is damaged or truncated and poppler cannot open it (\(detail)); download it again")
        }
        self.handle = handle
        self.bytes = bytes
    }

    /// Another handle on the same bytes, for another thread: a poppler
    /// document is read by one thread at a time, but separate documents
    /// can be read side by side.
    public func reopened() throws -> PDFDocument {
        try PDFDocument(bytes: bytes)
    }

    deinit {
        cp_document_free(handle)
    }

    public var pageCount: Int { Int(cp_document_page_count(handle)) }

    /// How many problems poppler reported and repaired while reading.
    public var problemCount: Int { Int(cp_document_problem_count(handle)) }
    public var lastProblem: String { String(cString: cp_document_last_problem(handle)) }

    /// The words of page `index` (0-based).
    public func page(_ index: Int) throws -> PDFPage {
        var error = cp_error()
        guard let page = cp_document_page(handle, Int32(index), &error) else {
            throw PDFProblem(code: .damaged, message: Self.message(of: &error))
        }
        defer { cp_page_free(page) }
        var length = 0
        let base = cp_page_text(page, &length)!
        let bytes = UnsafeRawBufferPointer(start: base, count: length)
        let count = cp_page_word_count(page)
        let raw = UnsafeBufferPointer(start: cp_page_words(page), count: count)
        var words: [PDFWord] = []
        words.reserveCapacity(count)
        // Only horizontal text is read: a label turned up the margin or a
        // stamp is not part of the report's running text.
        for word in raw where word.rotation == 0 {
            let slice = UnsafeRawBufferPointer(rebasing: bytes[word.text_offset..<(word.text_offset + word.text_length)])
            words.append(PDFWord(
                text: String(decoding: slice, as: UTF8.self),
                x0: word.x0, y0: word.y0, x1: word.x1, y1: word.y1,
                size: word.y1 - word.y0, spaceAfter: word.space_after != 0))
        }
        let label = String(cString: cp_page_label(page))
        return PDFPage(number: index + 1, width: cp_page_width(page), height: cp_page_height(page),
                       label: label.isEmpty ? nil : label, words: words)
    }

    private static func message(of error: inout cp_error) -> String {
        withUnsafeBytes(of: &error.message) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
    }
}
