// Version, owned strings and lists, documents and the writable database.
#include "Internal.hpp"

#include <cstdlib>
#include <stdexcept>

using cxapian::bytes;
using cxapian::guarded;
using cxapian::require;

namespace {

/// Refuses to go on after a failed modifying call (see
/// cx_writable_database::failure).
cx_writable_database *usable(cx_writable_database *db) {
    require(db, "writable database");
    if (!db->failure.empty()) throw Xapian::InvalidOperationError(db->failure);
    return db;
}

/// Runs a call after which Xapian discards every uncommitted change if it
/// throws (add, replace and delete end in `catch (...) { cancel(); throw; }`
/// in the glass backend; a failed commit leaves the state unknown):
/// remembers that, and rethrows.
template <typename Body>
auto modifying(cx_writable_database *db, Body body) -> decltype(body()) {
    usable(db);
    try {
        return body();
    } catch (const Xapian::Error &e) {
        db->failure = std::string("uncommitted changes were discarded after an earlier error: ") + e.get_type() +
                      ": " + e.get_msg();
        throw;
    } catch (...) {
        db->failure = "uncommitted changes were discarded after an earlier error";
        throw;
    }
}

}  // namespace

extern "C" {

const char *cx_version_string(void) {
    return Xapian::version_string();
}

size_t cx_max_term_length(void) {
    return cxapian::max_term_length;
}

// MARK: - Owned strings and lists

// The accessors below only read vectors with bounds checks: they allocate
// nothing and cannot throw, so they need no translator.

void cx_string_free(char *string) {
    std::free(string);
}

size_t cx_string_list_count(const cx_string_list *list) {
    return list == nullptr ? 0 : list->items.size();
}

const char *cx_string_list_get(const cx_string_list *list, size_t index, size_t *length) {
    if (list == nullptr || index >= list->items.size()) {
        if (length != nullptr) *length = 0;
        return nullptr;
    }
    const std::string &item = list->items[index];
    if (length != nullptr) *length = item.size();
    return item.data();
}

double cx_string_list_weight(const cx_string_list *list, size_t index) {
    if (list == nullptr || index >= list->weights.size()) return 0;
    return list->weights[index];
}

void cx_string_list_free(cx_string_list *list) {
    cx_error ignored;
    guarded(&ignored, 0, [&] {
        delete list;
        return 0;
    });
}

// MARK: - Documents

cx_document *cx_document_new(cx_error *error) {
    return guarded(error, static_cast<cx_document *>(nullptr), [&] { return new cx_document(); });
}

void cx_document_free(cx_document *document) {
    cx_error ignored;
    guarded(&ignored, 0, [&] {
        delete document;
        return 0;
    });
}

int cx_document_add_posting(cx_document *document, const char *term, size_t term_length, uint32_t position,
                            uint32_t wdf_increment, cx_error *error) {
    return guarded(error, -1, [&] {
        std::string t = bytes(term, term_length);
        cxapian::check_term(t);
        require(document, "document")->doc.add_posting(t, position, wdf_increment);
        return 0;
    });
}

int cx_document_add_term(cx_document *document, const char *term, size_t term_length, uint32_t wdf_increment,
                         cx_error *error) {
    return guarded(error, -1, [&] {
        std::string t = bytes(term, term_length);
        cxapian::check_term(t);
        require(document, "document")->doc.add_term(t, wdf_increment);
        return 0;
    });
}

int cx_document_add_boolean_term(cx_document *document, const char *term, size_t term_length, cx_error *error) {
    return guarded(error, -1, [&] {
        std::string t = bytes(term, term_length);
        cxapian::check_term(t);
        require(document, "document")->doc.add_boolean_term(t);
        return 0;
    });
}

int cx_document_add_value(cx_document *document, uint32_t slot, const char *value, size_t value_length,
                          cx_error *error) {
    return guarded(error, -1, [&] {
        require(document, "document")->doc.add_value(slot, bytes(value, value_length));
        return 0;
    });
}

int cx_document_set_data(cx_document *document, const char *data, size_t data_length, cx_error *error) {
    return guarded(error, -1, [&] {
        require(document, "document")->doc.set_data(bytes(data, data_length));
        return 0;
    });
}

// MARK: - Writable database

cx_writable_database *cx_writable_database_create(const char *path, cx_error *error) {
    return guarded(error, static_cast<cx_writable_database *>(nullptr), [&] {
        auto *db = new cx_writable_database{
            Xapian::WritableDatabase(require(path, "path"), Xapian::DB_CREATE_OR_OVERWRITE), std::string()};
        try {
            // Unflushed: Xapian never commits on its own inside a transaction.
            db->db.begin_transaction(false);
        } catch (...) {
            delete db;
            throw;
        }
        return db;
    });
}

int cx_set_flush_threshold(uint32_t changes, cx_error *error) {
    return guarded(error, -1, [&] {
        int status = changes == 0 ? unsetenv("XAPIAN_FLUSH_THRESHOLD")
                                  : setenv("XAPIAN_FLUSH_THRESHOLD", std::to_string(changes).c_str(), 1);
        if (status != 0) throw std::runtime_error("setenv XAPIAN_FLUSH_THRESHOLD failed");
        return 0;
    });
}

uint32_t cx_writable_database_add_document(cx_writable_database *db, const cx_document *document,
                                           cx_error *error) {
    return guarded(error, static_cast<uint32_t>(0), [&] {
        const Xapian::Document &doc = require(document, "document")->doc;
        return static_cast<uint32_t>(modifying(db, [&] { return db->db.add_document(doc); }));
    });
}

uint32_t cx_writable_database_replace_document(cx_writable_database *db, const char *unique_term,
                                               size_t unique_term_length, const cx_document *document,
                                               cx_error *error) {
    return guarded(error, static_cast<uint32_t>(0), [&] {
        const Xapian::Document &doc = require(document, "document")->doc;
        std::string term = bytes(unique_term, unique_term_length);
        cxapian::check_term(term);
        return static_cast<uint32_t>(modifying(db, [&] { return db->db.replace_document(term, doc); }));
    });
}

int cx_writable_database_delete_document(cx_writable_database *db, const char *unique_term,
                                         size_t unique_term_length, cx_error *error) {
    return guarded(error, -1, [&] {
        std::string term = bytes(unique_term, unique_term_length);
        cxapian::check_term(term);
        modifying(db, [&] { db->db.delete_document(term); });
        return 0;
    });
}

int cx_writable_database_set_metadata(cx_writable_database *db, const char *key, size_t key_length,
                                      const char *value, size_t value_length, cx_error *error) {
    return guarded(error, -1, [&] {
        std::string k = bytes(key, key_length);
        std::string v = bytes(value, value_length);
        usable(db)->db.set_metadata(k, v);  // refuses without discarding anything
        return 0;
    });
}

int cx_writable_database_add_synonym(cx_writable_database *db, const char *term, size_t term_length,
                                     const char *synonym, size_t synonym_length, cx_error *error) {
    return guarded(error, -1, [&] {
        std::string t = bytes(term, term_length);
        std::string s = bytes(synonym, synonym_length);
        cxapian::check_term(t);
        cxapian::check_term(s);
        usable(db)->db.add_synonym(t, s);
        return 0;
    });
}

long cx_writable_database_add_documents_from(cx_writable_database *db, cx_database *source, const char *term,
                                             size_t term_length, uint32_t first, uint32_t stride,
                                             cx_error *error) {
    return guarded(error, -1L, [&] {
        require(source, "source database");
        usable(db);
        std::string t = bytes(term, term_length);
        cxapian::check_term(t);
        // Read everything first, under reopen-and-retry: a failure while
        // reading the source then happens outside add_document, where it
        // would have made Xapian discard the whole uncommitted build.
        std::vector<Xapian::Document> copies = cxapian::retrying(source, [&] {
            std::vector<Xapian::Document> documents;
            uint32_t number = 0;
            for (auto it = source->db.postlist_begin(t); it != source->db.postlist_end(t); ++it, ++number) {
                if (number < first || (stride > 1 && (number - first) % stride != 0)) continue;
                documents.push_back(cxapian::detached_copy(source->db.get_document(*it)));
            }
            return documents;
        });
        for (const Xapian::Document &copy : copies) modifying(db, [&] { return db->db.add_document(copy); });
        return static_cast<long>(copies.size());
    });
}

long cx_writable_database_doccount(cx_writable_database *db, cx_error *error) {
    return guarded(error, -1L, [&] { return static_cast<long>(require(db, "writable database")->db.get_doccount()); });
}

int cx_writable_database_commit(cx_writable_database *db, cx_error *error) {
    return guarded(error, -1, [&] {
        modifying(db, [&] {
            db->db.commit_transaction();  // unflushed: makes the changes pending...
            db->db.commit();              // ...and this publishes them as one revision
            db->db.begin_transaction(false);
        });
        return 0;
    });
}

int cx_database_compact(const char *source, const char *destination, cx_error *error) {
    return guarded(error, -1, [&] {
        require(source, "source");
        require(destination, "destination");
        Xapian::Database db(source);
        db.compact(destination);
        return 0;
    });
}

int cx_writable_database_close(cx_writable_database *db, cx_error *error) {
    int result = guarded(error, -1, [&] {
        require(db, "writable database");
        if (!db->failure.empty()) {
            // Release the lock without publishing what is left.
            std::string failure = db->failure;
            try {
                db->db.cancel_transaction();
            } catch (...) {
            }
            db->db.close();
            throw Xapian::InvalidOperationError(failure);
        }
        db->db.commit_transaction();
        db->db.close();  // commits, then releases the write lock
        return 0;
    });
    cx_error ignored;
    guarded(&ignored, 0, [&] {
        delete db;
        return 0;
    });
    return result;
}

}  // extern "C"
