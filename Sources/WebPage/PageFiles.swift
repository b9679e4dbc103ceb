/// The web page that `anli serve` answers at `/`: static files compiled into
/// the binary by the EmbedPage build plugin from `page/`. The page is a
/// client of the public API (`/v1/…`) like any other; nothing here knows
/// about searching.
public enum PageFiles {
    public struct File: Sendable {
        public var contentType: String
        public var bytes: [UInt8]
    }

    /// The file a browser asks for at `path`: `/` is the page itself, the
    /// other files are under `/page/`. nil for anything else.
    public static func file(at path: String) -> File? {
        let name: Substring
        if path == "/" {
            name = "index.html"
        } else if path.hasPrefix("/page/") {
            name = path.dropFirst("/page/".count)
            // The page itself is only at `/`, so that it has one URL.
            guard name != "index.html" else { return nil }
        } else {
            return nil
        }
        return embedded[String(name)].map { File(contentType: contentType(of: String(name)), bytes: $0) }
    }

    /// Every file's name, for the size budget and the tests.
    public static var names: [String] { embedded.keys.sorted() }

    /// Bytes of the whole page, every file counted once.
    public static var totalBytes: Int { embedded.values.reduce(0) { $0 + $1.count } }

    static func contentType(of name: String) -> String {
        switch name.split(separator: ".").last {
        case "html": return "text/html; charset=utf-8"
        case "js": return "text/javascript; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "svg": return "image/svg+xml"
        default: return "application/octet-stream"
        }
    }
}
