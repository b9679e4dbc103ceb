import Reports
import Testing

/// The number in a table cell, for scripts: the report's ways of writing
/// ratios, percentages, thousands and units, and what is not a number.
@Suite struct CellNumberTests {
    @Test(arguments: [
        ("17.76:1", 17.76, "ratio"),
        ("17.76 : 1", 17.76, "ratio"),
        ("96.43%", 96.43, "%"),
        ("９６．４３％", 96.43, "%"),
        ("1,234", 1234, nil),
        ("1,234,567.5", 1_234_567.5, nil),
        ("83", 83, nil),
        ("-3.5", -3.5, nil),
        ("−3.5", -3.5, nil),
        ("389人", 389, "人"),
        ("12.5 万元", 12.5, "万元"),
        (" 70.2 ", 70.2, nil),
    ] as [(String, Double, String?)])
    func numbers(text: String, value: Double, unit: String?) {
        let parsed = CellNumber.parse(text)
        #expect(parsed?.value == value, "\(text)")
        #expect(parsed?.unit == unit, "\(text)")
    }

    @Test(arguments: ["奖牌数", "2023-2024", "17.76:2", "1,23", "12,3456", "3 个 5 个", "", "A类", "1.2.3", "约100", "100多万人次以上"])
    func notNumbers(text: String) {
        #expect(CellNumber.parse(text) == nil, "\(text)")
    }

    @Test func aRowsCellsCarryTheirNumbers() {
        let cell = RowData.Cell(header: "生师比", value: "17.76:1")
        #expect(cell.value == "17.76:1")
        #expect(cell.number == 17.76)
        #expect(cell.unit == "ratio")
        let text = RowData.Cell(header: "奖牌", value: "奖牌数")
        #expect(text.number == nil)
        #expect(text.unit == nil)
    }
}
