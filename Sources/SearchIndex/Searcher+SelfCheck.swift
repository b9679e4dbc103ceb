import Reports

extension Searcher {
    /// Reads a little of every table a search touches, so that a health
    /// check says "ok" only when searches would work. Opening a database
    /// reads only its version file; a damaged table is found when something
    /// reads it.
    ///
    /// The reads go through a database handle of their own, opened for the
    /// check: an open handle keeps the blocks it read last in memory and
    /// would find the same good blocks again after the file was damaged.
    /// What is read (some 0.4 ms on the seed index): the newest unit by the year
    /// value (values, the all-documents postlist); its stored data, decoded
    /// in full (docdata); its terms (termlist); the unit found again by its
    /// id term; a search for one of its words (postlists); the positions of
    /// that word in every unit that has it (a phrase). Glass has no block
    /// checksums, so damage elsewhere still shows only when a search reads it.
    public func checkReadable() throws(SearchError) {
        guard info.units > 0 else { return }
        let path = location.database.path
        do {
            let database = try XapianDatabase(path: path)
            var options = searchOptions(limit: 1)
            options.sort = .value(slot: IndexSchema.Slot.year, descending: true)
            guard let first = try database.search(.matchAll, options: options).hits.first else {
                throw damaged("the index has \(info.units) units but a search finds none")
            }
            let unit: ReportUnit
            do {
                unit = try StoredUnit.unit(from: database.data(ofDocument: first.docid))
            } catch let error as XapianError {
                throw error
            } catch {
                throw damaged("the data of document \(first.docid) cannot be decoded (\(error))")
            }
            let terms = try database.terms(ofDocument: first.docid)
            let idTerm = IndexSchema.Prefix.id + unit.id
            guard terms.contains(idTerm), try database.document(uniqueTerm: idTerm)?.docid == first.docid else {
                throw damaged("unit \(unit.id) is not found by its id")
            }
            // Word terms are the unprefixed ones (prefixes are capital letters).
            if let word = terms.first(where: { !($0.first?.isUppercase ?? true) }) {
                var wordOptions = searchOptions(limit: 1)
                wordOptions.checkAtLeast = info.units
                guard try database.search(.term(word), options: wordOptions).estimated > 0 else {
                    throw damaged("unit \(unit.id) is not found by its word '\(word)'")
                }
                // Matching or not, a phrase reads the word's positions in
                // every unit that has it.
                _ = try database.search(.combine(.phrase, [.term(word), .term(word)], parameter: 2), options: wordOptions)
            }
        } catch let error as SearchError {
            throw error
        } catch let error as XapianError {
            throw Self.translate(error, path: path)
        } catch {
            throw damaged("\(error)")
        }
    }

    private func damaged(_ what: String) -> SearchError {
        SearchError(.indexCorrupt, "the index is damaged: \(what); rebuild it with `anli index`", context: location.database.path)
    }
}
