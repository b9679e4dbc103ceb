// The reader database: opening, counts, metadata, synonyms, documents.
// Every read goes through retrying() (reopen once on DatabaseModifiedError).
#include "Internal.hpp"

#include <fstream>
#include <memory>
#include <sstream>

#include <sys/stat.h>

using cxapian::bytes;
using cxapian::copy_out;
using cxapian::guarded;
using cxapian::require;
using cxapian::retrying;

namespace {

// Runs `fill` (retrying once after a reopen) and hands the terms it collected
// to the caller as a list it frees with cx_string_list_free.
template <typename Fill>
cx_string_list *collect_terms(cx_database *db, Fill fill) {
    std::unique_ptr<cx_string_list> list(new cx_string_list());
    retrying(db, [&] {
        list->items.clear();
        fill(list->items);
    });
    list->weights.assign(list->items.size(), 0.0);
    return list.release();
}

/// The shards a stub file lists, one per line as Xapian's stub format
/// writes them: `auto PATH` or `glass PATH`, relative to the stub's
/// directory; blank lines and `#` comments are skipped. Xapian would open
/// the stub itself, but anli needs the shards one by one as well (facet
/// counts, see cx_database), so it reads the list and joins the shards.
std::vector<std::string> stub_shard_paths(const std::string &directory, const std::string &stub) {
    std::ifstream in(stub);
    if (!in) throw Xapian::DatabaseOpeningError("cannot read the shard list " + stub);
    std::vector<std::string> paths;
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
        ++number;
        std::istringstream words(line);
        std::string type, path, extra;
        if (!(words >> type) || type[0] == '#') continue;
        if ((type != "auto" && type != "glass") || !(words >> path) || (words >> extra))
            throw Xapian::DatabaseOpeningError(stub + ":" + std::to_string(number) +
                                               ": expected `auto PATH` or `glass PATH`, found: " + line);
        paths.push_back(path[0] == '/' ? path : directory + "/" + path);
    }
    if (paths.empty()) throw Xapian::DatabaseOpeningError(stub + " lists no shards");
    return paths;
}

}  // namespace

extern "C" {

cx_database *cx_database_open(const char *path, cx_error *error) {
    return guarded(error, static_cast<cx_database *>(nullptr), [&] {
        const std::string directory = require(path, "path");
        const std::string stub = directory + "/XAPIANDB";
        struct stat status;
        std::unique_ptr<cx_database> handle(new cx_database());
        if (::stat(stub.c_str(), &status) != 0) {
            handle->db = Xapian::Database(directory);
            // A stub file named directly would join its databases out of
            // anli's sight: facets are counted shard by shard.
            if (handle->db.size() != 1)
                throw Xapian::DatabaseOpeningError(directory + " joins " + std::to_string(handle->db.size()) +
                                                   " databases; open the directory that holds its XAPIANDB instead");
            handle->shards.push_back(handle->db);
        } else {
            for (const std::string &shard : stub_shard_paths(directory, stub)) {
                handle->shards.emplace_back(shard);
                handle->db.add_database(handle->shards.back());
            }
        }
        return handle.release();
    });
}

size_t cx_database_shard_count(cx_database *db) {
    return db == nullptr ? 0 : db->shards.size();
}

long cx_database_doccount(cx_database *db, cx_error *error) {
    return guarded(error, -1L, [&] {
        require(db, "database");
        return retrying(db, [&] { return static_cast<long>(db->db.get_doccount()); });
    });
}

char *cx_database_get_metadata(cx_database *db, const char *key, size_t key_length, size_t *value_length,
                               cx_error *error) {
    return guarded(error, static_cast<char *>(nullptr), [&] {
        require(db, "database");
        std::string k = bytes(key, key_length);
        std::string value = retrying(db, [&] { return db->db.get_metadata(k); });
        return copy_out(value, value_length);
    });
}

long cx_database_termfreq(cx_database *db, const char *term, size_t term_length, cx_error *error) {
    return guarded(error, -1L, [&] {
        require(db, "database");
        std::string t = bytes(term, term_length);
        return retrying(db, [&] { return static_cast<long>(db->db.get_termfreq(t)); });
    });
}

cx_string_list *cx_database_synonyms(cx_database *db, const char *term, size_t term_length, cx_error *error) {
    return guarded(error, static_cast<cx_string_list *>(nullptr), [&] {
        require(db, "database");
        std::string t = bytes(term, term_length);
        return collect_terms(db, [&](std::vector<std::string> &items) {
            for (auto it = db->db.synonyms_begin(t); it != db->db.synonyms_end(t); ++it) items.push_back(*it);
        });
    });
}

int cx_database_document_by_term(cx_database *db, const char *unique_term, size_t unique_term_length,
                                 uint32_t *docid, char **data, size_t *data_length, cx_error *error) {
    return guarded(error, -1, [&] {
        require(db, "database");
        std::string term = bytes(unique_term, unique_term_length);
        Xapian::docid found = 0;
        std::string found_data;
        retrying(db, [&] {
            found = 0;
            Xapian::PostingIterator it = db->db.postlist_begin(term);
            if (it == db->db.postlist_end(term)) return;
            found = *it;
            found_data = db->db.get_document(found).get_data();
        });
        if (found == 0) return 0;
        if (data != nullptr) *data = copy_out(found_data, data_length);
        if (docid != nullptr) *docid = found;
        return 1;
    });
}

int cx_database_document_data(cx_database *db, uint32_t docid, char **data, size_t *data_length, cx_error *error) {
    return guarded(error, -1, [&] {
        require(db, "database");
        require(data, "data");
        std::string found_data;
        retrying(db, [&] { found_data = db->db.get_document(docid).get_data(); });
        *data = copy_out(found_data, data_length);
        return 1;
    });
}

cx_string_list *cx_database_termlist(cx_database *db, uint32_t docid, cx_error *error) {
    return guarded(error, static_cast<cx_string_list *>(nullptr), [&] {
        require(db, "database");
        return collect_terms(db, [&](std::vector<std::string> &items) {
            for (auto it = db->db.termlist_begin(docid); it != db->db.termlist_end(docid); ++it) items.push_back(*it);
        });
    });
}

void cx_database_close(cx_database *db) {
    cx_error ignored;
    guarded(&ignored, 0, [&] {
        delete db;
        return 0;
    });
}

}  // extern "C"
