import AnliTestSupport
import Foundation
import Testing
import WebPage

/// The web page as the daemon serves it: the files compiled into the
/// binary, at `/` and `/page/`, and the API's marks that its unit view
/// shows. What the page does in a browser is Tests/browser (tools/test).
@Suite struct PageTests {
    @Test func thePageIsServedAtTheRootWithItsFiles() async throws {
        try await TestDaemon.with { daemon in
            let page = try await daemon.get("/")
            #expect(page.status == 200)
            #expect(page.header("Content-Type") == "text/html; charset=utf-8")
            #expect(page.text.contains(#"<script type="module" src="/page/app.js">"#))
            // Every file the page names is there, with its type.
            let names = page.text.matches(of: /(?:src|href)="\/page\/([a-z-]+\.[a-z]+)"/).map { String($0.output.1) }
            #expect(Set(names) == ["app.js", "style.css"])
            for name in PageFiles.names where name != "index.html" {
                let file = try await daemon.get("/page/\(name)")
                #expect(file.status == 200, "\(name)")
                #expect(file.body == PageFiles.file(at: "/page/\(name)")?.bytes)
            }
            #expect(try await daemon.get("/page/app.js").header("Content-Type") == "text/javascript; charset=utf-8")
            #expect(try await daemon.get("/page/style.css").header("Content-Type") == "text/css; charset=utf-8")
            // Every module an ES module imports is a file of the page.
            for name in PageFiles.names where name.hasSuffix(".js") {
                let source = String(decoding: PageFiles.file(at: "/page/\(name)")?.bytes ?? [], as: UTF8.self)
                for imported in source.matches(of: /from '\.\/([a-z-]+\.js)'/) {
                    #expect(PageFiles.names.contains(String(imported.output.1)), "\(name) imports \(imported.output.1)")
                }
            }
        }
    }

    @Test func onlyThePagesFilesAndNothingElse() async throws {
        try await TestDaemon.with { daemon in
            for path in ["/page/", "/page/index.html", "/page/../Package.swift", "/page/nothing.js", "/favicon.ico", "/index.html"] {
                let response = try await daemon.get(path)
                #expect(response.status == 404, "\(path)")
                #expect(response.errorCode == "not_found", "\(path)")
            }
            let post = try await daemon.request("POST", "/")
            #expect(post.status == 405)
            #expect(post.header("Allow") == "GET, HEAD")
            let head = try await daemon.request("HEAD", "/")
            #expect(head.status == 200)
            #expect(head.body.isEmpty)
        }
    }

    /// The issue's budget: the whole page well under 200 KB.
    @Test func thePageIsSmall() {
        #expect(PageFiles.totalBytes < 100_000, "\(PageFiles.totalBytes) bytes")
        #expect(PageFiles.names.contains("index.html"))
    }

    /// `GET /v1/units/{id}?q=` gives where the query's words are written,
    /// in characters of the text as written, traditional script included.
    @Test func unitMarksAreWhereTheWordsAreWritten() async throws {
        try await TestDaemon.with { daemon in
            for query in ["红色", "紅色"] {
                let target = "/v1/units/gz-2024/case/3-2?q=" + query.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                let response = try await daemon.get(target)
                #expect(response.status == 200, "\(response.text)")
                let object = try response.json()
                let text = Array((object["text"] as? String ?? "").unicodeScalars)
                let marks = (object["marks"] as? [String: Any])?["text"] as? [[Int]] ?? []
                #expect(marks.count == 6, "\(marks)")
                for mark in marks { #expect(String(String.UnicodeScalarView(text[mark[0]..<mark[1]])) == "红色") }
                let title = (object["marks"] as? [String: Any])?["title"] as? [[Int]] ?? []
                #expect(title == [[9, 11]])
            }
            // Without q, no marks; a bad query is the search's 400.
            #expect(try await daemon.get("/v1/units/gz-2024/case/3-2").json()["marks"] == nil)
            let bad = try await daemon.get("/v1/units/gz-2024/case/3-2?q=%22%E7%BA%A2")
            #expect(bad.status == 400)
            #expect(bad.errorCode == "bad_query")
        }
    }
}
