// libFuzzer target: any bytes as a report file. tools/fuzz compiles this file
// into one module with Sources/Reports (so it calls the parser as the indexer
// does, internals included) with -sanitize=fuzzer,address. Every input must
// parse or fail with a ReportError; a crash, a hang or a sanitizer report is
// a finding.
import Foundation

private let gazetteer: Gazetteer = {
    let path = ProcessInfo.processInfo.environment["ANLI_FUZZ_GAZETTEER"] ?? "corpus/schools.json"
    guard let data = FileManager.default.contents(atPath: path),
          let gazetteer = try? JSONDecoder().decode(Gazetteer.self, from: data)
    else { fatalError("cannot read the gazetteer at \(path) (set ANLI_FUZZ_GAZETTEER)") }
    return gazetteer
}()

private let info = ReportInfo(
    id: "fuzz-2024", title: "模糊测试报告", region: "测市", publisher: "测市教育局", year: 2024,
    academicYear: "2023-2024", published: "2024-12", file: "fuzz.md", synthetic: true)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzReport(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Data(bytes: data, count: size)
    do {
        let text = try Corpus.decodeUTF8(bytes, file: "fuzz.md")
        let parsed = try ReportParser(gazetteer: gazetteer).parse(text: text, info: info, file: "fuzz.md")
        // What the indexer reads of every unit must be well-formed.
        for unit in parsed.units {
            precondition(unit.id.hasPrefix("fuzz-2024/"), "unit id \(unit.id)")
            precondition(unit.lines.start >= 1 && unit.lines.start <= unit.lines.end, "lines of \(unit.id)")
        }
    } catch is ReportError {
        // A clear error is a correct answer to bad input.
    } catch {
        fatalError("not a ReportError: \(error)")
    }
    return 0
}
