// swift-tools-version:6.0
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
        // Normalisation and tokenising shared by index time and query time.
        .target(
            name: "TextAnalysis",
            dependencies: ["COpenCC"]
        ),
        // Corpus files -> typed units. Pure Swift, no Xapian.
        .target(name: "Reports"),
        // Units -> Xapian documents, our query grammar -> Xapian queries,
        // ranked and faceted results. The only Swift target that imports CXapian.
        .target(
            name: "SearchIndex",
            dependencies: ["Reports", "TextAnalysis", "CXapian"]
        ),
        .executableTarget(
            name: "anli",
            dependencies: [
                "Reports",
                "TextAnalysis",
                "SearchIndex",
                "CXapian",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Helpers shared by the test targets: temporary directories, the
        // repository's corpus, running the built `anli` binary.
        .target(name: "AnliTestSupport", path: "Sources/AnliTestSupport"),
        .testTarget(name: "TextAnalysisTests", dependencies: ["TextAnalysis"]),
        .testTarget(
            name: "ReportsTests",
            dependencies: ["Reports", "AnliTestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "CXapianTests", dependencies: ["CXapian"]),
        .testTarget(
            name: "SearchIndexTests",
            dependencies: ["SearchIndex", "Reports", "TextAnalysis", "AnliTestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "anliTests", dependencies: ["anli", "AnliTestSupport"]),
    ],
    cxxLanguageStandard: .cxx17
)
