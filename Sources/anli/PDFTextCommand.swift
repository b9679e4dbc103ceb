import ArgumentParser
import Foundation
import PDFText

/// `anli pdf-text FILE.pdf`: what anli reads from a PDF, before parsing.
struct PDFTextCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pdf-text",
        abstract: "Print the text anli reads from a PDF report, as the parser sees it.",
        discussion: """
            The words poppler finds on each page, with the running headers, \
            footers and page numbers dropped and the paragraphs, headings (#), \
            table rows (tab-separated) and footnotes (<sup>) rebuilt from their \
            positions. With --pages, each line starts with the pages it came \
            from (physical, and printed in brackets where the page prints one).

            Exit status: 0 on success, 1 for a PDF that cannot be read \
            (encrypted, scanned without a text layer, damaged, not a PDF).
            """
    )

    @Argument(help: "The PDF file.")
    var file: String

    @Flag(help: "Start each line with the pages it came from.")
    var pages = false

    func run() throws {
        let extracted: ExtractedText
        do {
            extracted = try ExtractedText.extract(path: file)
        } catch let problem as PDFProblem {
            printError("\(file): error: \(problem.message) [\(problem.code.rawValue)]")
            throw ExitCode(1)
        }
        let output = StandardOutput()
        guard pages else {
            output.write(extracted.text)
            output.flush()
            return
        }
        for (line, range) in zip(extracted.text.split(separator: "\n", omittingEmptySubsequences: false), extracted.linePages) {
            if let range {
                let printed = extracted.printedPages[range.lowerBound - 1].map { "[\($0)]" } ?? ""
                let span = range.count == 1 ? "\(range.lowerBound)" : "\(range.lowerBound)-\(range.upperBound)"
                output.write("p\(span)\(printed)\t\(line)\n")
            } else {
                output.write("\n")
            }
        }
        output.flush()
    }
}
