internal import CXapian

/// Encodings for value slots (sort keys, ranges, facets).
enum XapianValue {
    /// Joins the values of a multi-valued facet slot (see
    /// `XapianSearchOptions.multiValuedSlots`).
    static let multiValueSeparator: UInt8 = 0x1F

    /// Xapian::sortable_serialise: byte order of the result is numeric order,
    /// so years can be sorted and range-filtered.
    ///
    ///     document.setValue(Slot.year, XapianValue.sortable(2023))
    static func sortable(_ value: Double) -> [UInt8] {
        var buffer = [CChar](repeating: 0, count: 9)
        let length = buffer.withUnsafeMutableBufferPointer { cx_sortable_serialise(value, $0.baseAddress) }
        return buffer.prefix(length).map { UInt8(bitPattern: $0) }
    }

    /// The inverse of `sortable(_:)`.
    static func number(fromSortable bytes: [UInt8]) -> Double {
        CBytes.with(bytes) { cx_sortable_unserialise($0, $1) }
    }

    /// Several values for one multi-valued slot, joined by 0x1F. Values must
    /// not contain the separator themselves.
    static func multiValue(_ values: [String]) -> [UInt8] {
        var result: [UInt8] = []
        for (index, value) in values.enumerated() {
            if index > 0 { result.append(multiValueSeparator) }
            result.append(contentsOf: value.utf8)
        }
        return result
    }
}
