import Reports
import SearchIndex

// The JSON of the busy routes' types, written by hand (see JSONWriter.swift
// for why). Each must match what the type's `Encodable` conformance gives:
// the CodingKeys' names, keys in UTF-8 byte order (so `took_us` before
// `total`, `text` before `title` before `tocTitle`), nil optionals left out.
// JSONWriterTests compares every type here with JSONEncoder; a field added
// to one of these types must be added here too, or those tests fail.

// MARK: - Search

extension SearchResults: JSONWritable {
    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.field("facets", facets)
        json.field("hits", hits)
        json.field("limit", limit)
        json.field("offset", offset)
        json.field("query", query)
        json.field("suggestions", suggestions)
        json.field("synonyms", synonyms)
        json.field("took_us", tookMicroseconds)
        json.field("total", total)
        json.endObject()
    }
}

extension SearchHit: JSONWritable {
    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.field("chapter", chapter)
        json.field("explain", explain)
        json.field("headings", headings)
        json.field("id", id)
        json.field("kind", kind)
        json.field("match", match)
        json.field("matches", matches)
        json.field("number", number)
        json.field("pages", pages)
        json.field("report", report)
        json.field("schools", schools)
        json.field("score", score)
        json.field("sectionPath", sectionPath)
        json.field("snippet", snippet)
        json.field("title", title)
        json.field("year", year)
        json.endObject()
    }
}

extension Suggestion: JSONWritable {
    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.field("query", query)
        json.field("reason", reason)
        json.field("total", total)
        json.endObject()
    }
}

extension SchoolRef: JSONWritable {
    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.field("id", id)
        json.field("name", name)
        json.endObject()
    }
}

extension FacetCount: JSONWritable {
    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.field("count", count)
        json.field("label", label)
        json.field("value", value)
        json.endObject()
    }
}

extension Explanation: JSONWritable {
    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.field("query", query)
        json.field("score", score)
        json.field("terms", terms)
        json.endObject()
    }
}

extension Explanation.Term: JSONWritable {
    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.field("field", field)
        json.field("origin", origin)
        json.field("term", term)
        json.field("unitFrequency", unitFrequency)
        json.field("weight", weight)
        json.endObject()
    }
}

extension TermOrigin: JSONWritable {
    func write(to json: inout JSONWriter) { json.string(rawValue) }
}

extension FacetValues: JSONWritable {
    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.field("field", field)
        json.field("query", query)
        json.field("total", total)
        json.field("values", values)
        json.endObject()
    }
}

extension RelatedResults: JSONWritable {
    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.field("hits", hits)
        json.field("id", id)
        json.field("terms", terms)
        json.endObject()
    }
}

// MARK: - Units

extension UnitKind: JSONWritable {
    func write(to json: inout JSONWriter) { json.string(rawValue) }
}

extension MatchKind: JSONWritable {
    func write(to json: inout JSONWriter) { json.string(rawValue) }
}

extension ChapterRef: JSONWritable {
    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.field("number", number)
        json.field("title", title)
        json.endObject()
    }
}

extension ReportUnit: JSONWritable {
    func write(to json: inout JSONWriter) { write(to: &json, marks: nil) }

    /// The unit, with where a query's words are written when `marks` is
    /// given (`GET /v1/units/{id}?q=…`).
    func write(to json: inout JSONWriter, marks: UnitMarks?) {
        json.beginObject()
        json.field("chapter", chapter)
        json.field("districts", districts)
        json.field("figures", figures)
        json.field("footnotes", footnotes)
        json.field("headings", headings)
        json.field("id", id)
        json.field("kind", kind)
        json.field("lines", lines)
        json.field("marks", marks)
        json.field("mentionedSchools", mentionedSchools)
        json.field("number", number)
        json.field("pages", pages)
        json.field("parent", parent)
        json.field("report", report)
        json.field("row", row)
        json.field("schools", schools)
        json.field("sectionPath", sectionPath)
        json.field("table", table)
        json.field("tables", tables)
        json.field("text", text)
        json.field("title", title)
        json.field("tocTitle", tocTitle)
        json.field("year", year)
        json.field("years", years)
        json.endObject()
    }
}

extension LineRange: JSONWritable {
    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.field("end", end)
        json.field("start", start)
        json.endObject()
    }
}

extension PageSpan: JSONWritable {
    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.field("end", end)
        json.field("printed", printed)
        json.field("start", start)
        json.endObject()
    }
}

extension PageSpan.Printed: JSONWritable {
    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.field("end", end)
        json.field("start", start)
        json.endObject()
    }
}

extension Footnote: JSONWritable {
    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.field("line", line)
        json.field("marker", marker)
        json.field("text", text)
        json.endObject()
    }
}

extension TableData: JSONWritable {
    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.field("caption", caption)
        json.field("header", header)
        json.field("parts", parts)
        json.field("rows", rows)
        json.field("source", source)
        json.endObject()
    }
}

extension TablePart: JSONWritable {
    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.field("header", header)
        json.field("label", label)
        json.field("rows", rows)
        json.endObject()
    }
}

extension RowData: JSONWritable {
    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.field("caption", caption)
        json.field("cells", cells)
        json.field("index", index)
        json.field("part", part)
        json.field("table", table)
        json.endObject()
    }
}

extension RowData.Cell: JSONWritable {
    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.field("header", header)
        json.field("number", number)
        json.field("unit", unit)
        json.field("value", value)
        json.endObject()
    }
}

extension UnitMarks: JSONWritable {
    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.field("text", text.map { [$0.lowerBound, $0.upperBound] })
        json.field("title", title.map { [$0.lowerBound, $0.upperBound] })
        json.endObject()
    }
}
