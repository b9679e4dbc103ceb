// swift-tools-version:6.1
// anli: a search engine and query daemon for Chinese vocational-education
// quality reports. See docs/ARCHITECTURE.md for what each target does.
import PackageDescription

let package = Package(
    name: "anli",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "anli", targets: ["anli"]),
        .library(name: "Reports", targets: ["Reports"]),
        .library(name: "TextAnalysis", targets: ["TextAnalysis"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // The daemon: SwiftNIO directly (not Hummingbird) for latency, see
        // SearchServer.swift. 2.101.2: NIOHTTPDecoderLimitConfiguration (the
        // request head size limit).
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // OpenCC's C API (libopencc), for traditional -> simplified conversion.
        .systemLibrary(
            name: "COpenCC",
            pkgConfig: "opencc",
            providers: [.apt(["libopencc-dev", "libopencc-data"])]
        ),
        // The only place that includes <xapian.h>: C++ behind a plain C header,
        // so that no Swift target needs C++ interoperability.
        .target(
            name: "CXapian",
            cxxSettings: [.unsafeFlags(["-fno-omit-frame-pointer"])],
            linkerSettings: [.linkedLibrary("xapian")]
        ),
        // poppler's C++ API (libpoppler-cpp) behind a plain C header: the words
        // of each PDF page with their boxes and font sizes.
        .target(
            name: "CPoppler",
            cxxSettings: [.unsafeFlags(["-I/usr/include/poppler/cpp", "-I/usr/include/poppler"])],
            linkerSettings: [.linkedLibrary("poppler-cpp")]
        ),
        // PDF pages -> the text the report parser reads, with the page of
        // every line: running headers and footers dropped, paragraphs, headings
        // and table rows rebuilt from the words' positions.
        .target(name: "PDFText", dependencies: ["CPoppler"]),
        // Normalisation and tokenising shared by index time and query time.
        .target(
            name: "TextAnalysis",
            dependencies: ["COpenCC"]
        ),
        // Corpus files (text or PDF) -> typed units. No Xapian.
        .target(name: "Reports", dependencies: ["PDFText"]),
        // Units -> Xapian documents, our query grammar -> Xapian queries,
        // ranked and faceted results. The only Swift target that imports CXapian.
        .target(
            name: "SearchIndex",
            dependencies: ["Reports", "TextAnalysis", "CXapian"]
        ),
        // The web page served at `/`: files in Sources/WebPage/page, compiled
        // into the binary by the EmbedPage plugin (its tool: embed-page).
        .executableTarget(name: "embed-page"),
        .plugin(name: "EmbedPage", capability: .buildTool(), dependencies: ["embed-page"]),
        .target(name: "WebPage", exclude: ["page"], plugins: ["EmbedPage"]),
        // HTTP/JSON over a Unix socket: a pool of Searchers off the event loop,
        // reloading after a rebuild. No Xapian types, no report parsing.
        .target(
            name: "SearchServer",
            dependencies: [
                "SearchIndex",
                "WebPage",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // A blocking HTTP/1.1 client over a Unix socket: the tests' client and
        // the load generator's (`anli bench-load`). Foundation only.
        .target(name: "UnixHTTP"),
        .executableTarget(
            name: "anli",
            dependencies: [
                "UnixHTTP",
                "Reports",
                "PDFText",
                "TextAnalysis",
                "SearchIndex",
                "SearchServer",
                "CXapian",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        // Helpers shared by the test targets: temporary directories, the
        // repository's corpus, running the built `anli` binary.
        .target(name: "AnliTestSupport", dependencies: ["UnixHTTP"], path: "Sources/AnliTestSupport"),
        .testTarget(name: "TextAnalysisTests", dependencies: ["TextAnalysis"]),
        .testTarget(
            name: "ReportsTests",
            dependencies: ["Reports", "AnliTestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "CXapianTests", dependencies: ["CXapian"]),
        .testTarget(name: "PDFTextTests", dependencies: ["PDFText"]),
        .testTarget(
            name: "SearchIndexTests",
            dependencies: ["SearchIndex", "Reports", "TextAnalysis", "AnliTestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "anliTests", dependencies: ["anli", "AnliTestSupport"]),
        .testTarget(
            name: "SearchServerTests",
            dependencies: [
                "SearchServer", "SearchIndex", "Reports", "AnliTestSupport", "anli", "WebPage",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
    ],
    cxxLanguageStandard: .cxx17
)
