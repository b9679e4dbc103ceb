import Foundation

/// Decodes a small JSON data file (manifest, gazetteer) and turns every
/// failure into a `ReportError` that names the file, the line for syntax
/// errors, and the key path for shape errors.
enum JSONFile {
    static func decode<T: Decodable>(
        _ type: T.Type, at url: URL, displayPath: String,
        missing: ReportError.Code, invalid: ReportError.Code
    ) throws -> T {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ReportError(missing, "cannot read \(url.lastPathComponent): \(FileProblem.describe(error))", file: displayPath)
        }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw ReportError(invalid, describe(error, data: data), file: displayPath, line: syntaxErrorLine(in: data))
        }
    }

    private static func describe(_ error: DecodingError, data: Data) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            var out = ""
            for key in codingPath {
                if let index = key.intValue { out += "[\(index)]" } else { out += out.isEmpty ? key.stringValue : ".\(key.stringValue)" }
            }
            return out.isEmpty ? "the top level" : out
        }
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return "not valid JSON (\(syntaxErrorDetail(in: data) ?? context.debugDescription))"
        case .dataCorrupted(let context):
            return "invalid value at \(path(context.codingPath)): \(context.debugDescription)"
        case .keyNotFound(let key, let context):
            return "missing key \"\(key.stringValue)\" in \(path(context.codingPath))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "wrong type at \(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    /// Foundation reports syntax errors as "around character N"; turn that into
    /// a line number a person can jump to.
    private static func syntaxErrorLine(in data: Data) -> Int? {
        guard let offset = syntaxErrorOffset(in: data) else { return nil }
        let prefix = data.prefix(offset)
        return prefix.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
    }

    private static func syntaxErrorDetail(in data: Data) -> String? {
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            return nil
        } catch {
            return (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
        }
    }

    private static func syntaxErrorOffset(in data: Data) -> Int? {
        guard let detail = syntaxErrorDetail(in: data),
              let range = detail.range(of: #"character (\d+)"#, options: .regularExpression)
        else { return nil }
        let digits = detail[range].drop(while: { !$0.isNumber })
        guard let characterIndex = Int(digits) else { return nil }
        // Foundation counts UTF-16 code units; map that back to a byte offset.
        let text = String(decoding: data, as: UTF8.self)
        let utf16 = text.utf16
        guard let index = utf16.index(utf16.startIndex, offsetBy: characterIndex, limitedBy: utf16.endIndex) else {
            return data.count
        }
        return text.utf8.distance(from: text.utf8.startIndex, to: index.samePosition(in: text.utf8) ?? text.utf8.endIndex)
    }
}

enum FileProblem {
    static func describe(_ error: any Error) -> String {
        let nsError = error as NSError
        if nsError.domain == NSCocoaErrorDomain, nsError.code == NSFileReadNoSuchFileError { return "no such file" }
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return nsError.localizedDescription
    }
}
