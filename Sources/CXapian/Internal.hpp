// Shared by the CXapian sources; not part of the C interface.
#ifndef CXAPIAN_INTERNAL_HPP
#define CXAPIAN_INTERNAL_HPP

#include "CXapian.h"

#include <xapian.h>

#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <utility>
#include <vector>

namespace cxapian {

/// The values of one facet slot for every document, decoded once per open
/// database so that counting a facet over a match set is an array
/// increment per document instead of a value read and a string-keyed map
/// lookup (which were most of the cost of a faceted search over tens of
/// thousands of matches). A slot holding several values joined by 0x1F (a
/// case about two schools) has each distinct value listed once.
struct FacetTable {
    /// Distinct values; a code is an index into it.
    std::vector<std::string> values;
    /// Document d's codes are codes[starts[d]] ..< codes[starts[d + 1]].
    std::vector<uint32_t> starts;
    std::vector<uint32_t> codes;

    FacetTable(const Xapian::Database &db, Xapian::valueno slot, bool multi_valued);
};

}  // namespace cxapian

struct cx_database {
    /// Every shard as one database (Xapian merges their postings and
    /// statistics, and numbers documents across them: shard s of n holds
    /// the combined docids d with (d - 1) % n == s).
    Xapian::Database db;
    /// The same shards one by one (they share their internals with `db`, so
    /// reopening `db` reopens them): a MatchSpy sees each shard's own docids,
    /// so facets are counted shard by shard. One entry, `db`, when unsharded.
    std::vector<Xapian::Database> shards;
    /// Each remote shard's address as Xapian's errors give it
    /// ("remote:tcp(HOST:PORT)"), "" for a local shard: which shard an
    /// error is about.
    std::vector<std::string> remote_contexts;
    /// Each shard's UUID as last opened, and as the handle first opened it.
    /// Every anli build is a new database, so a shard that comes back after
    /// a reconnect with another UUID serves another build (copied in while
    /// this handle was open), which the other shards may not: reconnect().
    std::vector<std::string> uuids;
    std::vector<std::string> opened_uuids;
    /// Whether each shard is served by xapian-tcpsrv (a `remote` line of
    /// the stub): a stock server runs only the match spies it knows, so
    /// its facets are counted with ValueCountMatchSpy, not a FacetTable.
    std::vector<bool> remote;
    /// Facet tables by shard, slot and multi-valuedness, built on first use
    /// and dropped when the handle reopens (another revision).
    std::map<std::tuple<size_t, Xapian::valueno, bool>, std::unique_ptr<cxapian::FacetTable>> facet_tables;
    /// The directory opened (its stub lists the shards), to connect again.
    std::string directory;
    /// How long a remote shard may take to answer one call, in ms (its
    /// connection: at most 3 s of it).
    unsigned remote_timeout_ms = 5000;
    /// A remote shard timed out: its connection is unusable, so the next
    /// read connects again first.
    bool needs_reconnect = false;
};

struct cx_writable_database {
    Xapian::WritableDatabase db;
    /// Set when a modifying call failed. Xapian then cancels every change
    /// since the last commit (GlassWritableDatabase::add_document_ calls
    /// cancel()), and later calls would quietly build on what is left, so
    /// commit and close refuse with this message instead.
    std::string failure;
};

struct cx_document {
    Xapian::Document doc;
};

struct cx_query {
    Xapian::Query query;
};

struct cx_string_list {
    std::vector<std::string> items;
    std::vector<double> weights;  // same length as items
};

struct cx_hit {
    Xapian::docid docid;
    double weight;
    std::string data;
    std::vector<std::string> terms;
};

struct cx_facet {
    std::vector<std::pair<std::string, Xapian::doccount>> values;
};

struct cx_matches {
    std::vector<cx_hit> hits;
    Xapian::doccount estimated = 0;
    Xapian::doccount lower_bound = 0;
    Xapian::doccount upper_bound = 0;
    std::vector<cx_facet> facets;
};

namespace cxapian {

/// Glass refuses longer terms (MAX_SAFE_TERM_LENGTH in backends/glass).
constexpr size_t max_term_length = 245;

inline void set_error(cx_error *error, int code, const char *type, const std::string &message) {
    if (error == nullptr) return;
    error->code = code;
    std::strncpy(error->type, type, sizeof(error->type) - 1);
    error->type[sizeof(error->type) - 1] = '\0';
    std::strncpy(error->message, message.c_str(), sizeof(error->message) - 1);
    error->message[sizeof(error->message) - 1] = '\0';
}

/// Xapian's message plus the system error behind it, when there is one:
/// "Error writing to file" alone does not say that the disk is full.
inline std::string message_of(const Xapian::Error &e) {
    const char *system = e.get_error_string();
    if (system == nullptr || *system == '\0') return e.get_msg();
    return e.get_msg() + " (" + system + ")";
}

inline void clear_error(cx_error *error) {
    if (error == nullptr) return;
    error->code = CX_OK;
    error->type[0] = '\0';
    error->message[0] = '\0';
}

/// The one place C++ exceptions become C errors. Most specific first:
/// Xapian::Error is not polymorphic in 1.4, so the order of the clauses is
/// the class hierarchy read from the leaves up (as xapian-bindings'
/// generate-generic-exceptions does). Nothing escapes: the last clause
/// catches everything.
template <typename Result, typename Body>
Result guarded(cx_error *error, Result on_failure, Body body) noexcept {
    clear_error(error);
    try {
        return body();
    } catch (const Xapian::DatabaseLockError &e) {  // a DatabaseError, before it
        set_error(error, CX_ERROR_DATABASE_LOCK, e.get_type(), message_of(e));
    } catch (const Xapian::DatabaseOpeningError &e) {  // incl. DatabaseNotFoundError, DatabaseVersionError
        set_error(error, CX_ERROR_DATABASE_OPENING, e.get_type(), message_of(e));
    } catch (const Xapian::DatabaseModifiedError &e) {
        set_error(error, CX_ERROR_DATABASE_MODIFIED, e.get_type(), message_of(e));
    } catch (const Xapian::DatabaseError &e) {
        set_error(error, CX_ERROR_DATABASE, e.get_type(), message_of(e));
    } catch (const Xapian::InvalidArgumentError &e) {
        set_error(error, CX_ERROR_INVALID_ARGUMENT, e.get_type(), message_of(e));
    } catch (const Xapian::DocNotFoundError &e) {
        set_error(error, CX_ERROR_DOCUMENT_NOT_FOUND, e.get_type(), message_of(e));
    } catch (const Xapian::NetworkError &e) {
        set_error(error, CX_ERROR_SHARD_UNAVAILABLE, e.get_type(), message_of(e));
    } catch (const Xapian::Error &e) {
        set_error(error, CX_ERROR_XAPIAN, e.get_type(), message_of(e));
    } catch (const std::bad_alloc &) {
        set_error(error, CX_ERROR_OUT_OF_MEMORY, "std::bad_alloc", "out of memory");
    } catch (const std::exception &e) {
        set_error(error, CX_ERROR_STD, "std::exception", e.what());
    } catch (...) {
        set_error(error, CX_ERROR_UNKNOWN, "unknown", "unknown C++ exception");
    }
    return on_failure;
}

/// A (pointer, length) pair from C as a std::string; NULL is "".
inline std::string bytes(const char *pointer, size_t length) {
    if (pointer == nullptr || length == 0) return std::string();
    return std::string(pointer, length);
}

/// Throws InvalidArgumentError for a NULL handle, so that a caller's mistake
/// is an error rather than a crash.
template <typename T>
T *require(T *handle, const char *what) {
    if (handle == nullptr) throw Xapian::InvalidArgumentError(std::string("NULL ") + what);
    return handle;
}

/// Refuses a term Xapian would refuse later, at add_document time, where the
/// refusal also cancels every uncommitted change.
inline void check_term(const std::string &term) {
    if (term.empty()) throw Xapian::InvalidArgumentError("Empty termnames aren't allowed");
    if (term.size() > max_term_length)
        throw Xapian::InvalidArgumentError("Term too long (> 245 bytes, " + std::to_string(term.size()) +
                                           "): " + term.substr(0, 60) + "...");
}

/// Opens the shards `handle->directory` holds (its stub's lines, or the
/// directory itself as one database) into `handle`. Reader.cpp.
void open_shards(cx_database &handle);

/// "shard 1 at 10.0.0.12:7601" for a remote shard, "shard 1" for a local one.
inline std::string shard_label(const cx_database &db, size_t shard) {
    std::string label = "shard " + std::to_string(shard);
    if (shard >= db.remote_contexts.size() || db.remote_contexts[shard].empty()) return label;
    // "remote:tcp(HOST:PORT)" -> "HOST:PORT"
    const std::string &address = db.remote_contexts[shard];
    const size_t open = address.find('('), close = address.rfind(')');
    return label + " at " + address.substr(open + 1, close - open - 1);
}

/// Drops every connection and opens the shards again: a remote connection
/// that failed never recovers, even when its server is back (Xapian 1.4:
/// reopen() throws too), so it is replaced. Throws NetworkError naming the
/// shard that still does not answer.
inline void reconnect(cx_database *db) {
    const std::vector<std::string> &opened = db->opened_uuids;
    db->needs_reconnect = true;
    db->facet_tables.clear();
    db->shards.clear();
    db->remote.clear();
    db->remote_contexts.clear();
    db->uuids.clear();
    db->db = Xapian::Database();
    open_shards(*db);
    // Shards of another build than the one this handle's caller read the
    // index's description from (and may be of two builds): refused, and
    // refused again on every read, so that the caller opens the index anew
    // (where the shards' identities are checked).
    for (size_t shard = 0; shard < db->uuids.size(); ++shard) {
        if (shard < opened.size() && opened[shard] == db->uuids[shard]) continue;
        throw Xapian::NetworkError(shard_label(*db, shard) +
                                   " serves another database than when the index was opened (a new build arrived): "
                                   "the next request opens the index again");
    }
    if (opened.size() != db->uuids.size())
        throw Xapian::NetworkError("the index lists " + std::to_string(db->uuids.size()) + " shards now, " +
                                   std::to_string(opened.size()) + " when it was opened: the next request opens it again");
    db->needs_reconnect = false;
}

/// A remote error's message, starting with the shard it came from when its
/// context names one ("shard 1 at 10.0.0.12:7601 does not answer: Timeout
/// expired while trying to read").
inline std::string naming_the_shard(const cx_database &db, const Xapian::Error &error) {
    const std::string context = error.get_context();
    for (size_t shard = 0; shard < db.remote_contexts.size(); ++shard) {
        const std::string &address = db.remote_contexts[shard];
        if (address.empty() || context.find(address) == std::string::npos) continue;
        return shard_label(db, shard) + " does not answer: " + error.get_msg();
    }
    return error.get_msg();
}

/// A read on a reader: on DatabaseModifiedError (the writer committed twice
/// since this reader's revision) reopen at the latest revision and try once
/// more, as recoll's XAPTRY does. On a NetworkError from a remote shard
/// (its server restarted, or went away), connect again and try once more;
/// after a timeout, only connect again before the next read, so that a
/// hung server costs one timeout, not two. A second failure goes to
/// guarded().
template <typename Body>
auto retrying(cx_database *db, Body body) -> decltype(body()) {
    if (db->needs_reconnect) reconnect(db);
    try {
        return body();
    } catch (const Xapian::DatabaseModifiedError &) {
        db->db.reopen();
        db->facet_tables.clear();
        return body();
    } catch (const Xapian::NetworkTimeoutError &e) {
        db->needs_reconnect = true;
        throw Xapian::NetworkTimeoutError(naming_the_shard(*db, e));
    } catch (const Xapian::NetworkError &) {
        reconnect(db);
        try {
            return body();
        } catch (const Xapian::NetworkTimeoutError &again) {
            db->needs_reconnect = true;
            throw Xapian::NetworkTimeoutError(naming_the_shard(*db, again));
        } catch (const Xapian::NetworkError &again) {
            throw Xapian::NetworkError(naming_the_shard(*db, again));
        }
    }
}

/// A document with the same terms (wdf and positions), values and data as
/// `source`, not tied to `source`'s database, so that adding it reads nothing.
inline Xapian::Document detached_copy(const Xapian::Document &source) {
    Xapian::Document copy;
    copy.set_data(source.get_data());
    for (auto v = source.values_begin(); v != source.values_end(); ++v) copy.add_value(v.get_valueno(), *v);
    for (auto t = source.termlist_begin(); t != source.termlist_end(); ++t) {
        const std::string term = *t;
        for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p) copy.add_posting(term, *p, 0);
        copy.add_term(term, t.get_wdf());  // wdf 0 keeps a boolean term boolean
    }
    return copy;
}

/// A malloc'd, NUL-terminated copy of `s` for the caller to cx_string_free.
inline char *copy_out(const std::string &s, size_t *length) {
    char *out = static_cast<char *>(std::malloc(s.size() + 1));
    if (out == nullptr) throw std::bad_alloc();
    if (!s.empty()) std::memcpy(out, s.data(), s.size());
    out[s.size()] = '\0';
    if (length != nullptr) *length = s.size();
    return out;
}

}  // namespace cxapian

#endif
