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

/// How long a remote shard may take to connect, at most (Xapian's stub
/// reader would wait as long as for a call). A shard server that is down
/// fails at once; one that hangs fails after this, or after the handle's
/// call timeout.
constexpr unsigned remote_connect_timeout_ms = 3000;

/// One shard of a stub: a local database directory, or a database served by
/// xapian-tcpsrv at `host:port`.
struct StubShard {
    std::string path;
    std::string host;
    unsigned port = 0;
    bool is_remote() const { return port != 0; }
};

/// The shards a stub file lists, one per line as Xapian's stub format
/// writes them: `auto PATH` or `glass PATH` (relative to the stub's
/// directory), or `remote HOST:PORT` (`remote [IPv6]:PORT`) for a shard
/// served by xapian-tcpsrv; blank lines and `#` comments are skipped.
/// Xapian would open the stub itself, but anli needs the shards one by one
/// as well (facet counts, see cx_database), so it reads the list and joins
/// the shards.
std::vector<StubShard> stub_shards(const std::string &directory, const std::string &stub) {
    std::ifstream in(stub);
    if (!in) throw Xapian::DatabaseOpeningError("cannot read the shard list " + stub);
    std::vector<StubShard> shards;
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
        ++number;
        std::istringstream words(line);
        std::string type, where, extra;
        if (!(words >> type) || type[0] == '#') continue;
        const std::string context = stub + ":" + std::to_string(number);
        if ((type != "auto" && type != "glass" && type != "remote") || !(words >> where) || (words >> extra))
            throw Xapian::DatabaseOpeningError(context + ": expected `auto PATH`, `glass PATH` or `remote HOST:PORT`, found: " + line);
        StubShard shard;
        if (type == "remote") {
            const size_t colon = where.rfind(':');
            std::string host = colon == std::string::npos ? "" : where.substr(0, colon);
            if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
            const std::string port = colon == std::string::npos ? "" : where.substr(colon + 1);
            const bool digits = !port.empty() && port.size() <= 5 && port.find_first_not_of("0123456789") == std::string::npos;
            if (host.empty() || !digits || std::stoul(port) == 0 || std::stoul(port) > 65535)
                throw Xapian::DatabaseOpeningError(context + ": expected `remote HOST:PORT` (a shard served by xapian-tcpsrv), found: " + line);
            shard.host = host;
            shard.port = unsigned(std::stoul(port));
        } else {
            shard.path = where[0] == '/' ? where : directory + "/" + where;
        }
        shards.push_back(shard);
    }
    if (shards.empty()) throw Xapian::DatabaseOpeningError(stub + " lists no shards");
    return shards;
}

}  // namespace

namespace cxapian {

void open_shards(cx_database &handle) {
    const std::string &directory = handle.directory;
    const std::string stub = directory + "/XAPIANDB";
    struct stat status;
    if (::stat(stub.c_str(), &status) != 0) {
        handle.db = Xapian::Database(directory);
        // A stub file named directly would join its databases out of
        // anli's sight: facets are counted shard by shard.
        if (handle.db.size() != 1)
            throw Xapian::DatabaseOpeningError(directory + " joins " + std::to_string(handle.db.size()) +
                                               " databases; open the directory that holds its XAPIANDB instead");
        handle.shards.push_back(handle.db);
        handle.remote.push_back(false);
        handle.remote_contexts.push_back("");
        handle.uuids.push_back(handle.db.get_uuid());
        return;
    }
    for (const StubShard &shard : stub_shards(directory, stub)) {
        if (shard.is_remote()) {
            try {
                handle.shards.push_back(Xapian::Remote::open(shard.host, shard.port, handle.remote_timeout_ms,
                                                             std::min(handle.remote_timeout_ms, remote_connect_timeout_ms)));
            } catch (const Xapian::NetworkError &error) {
                // Which shard, in the words a reader of the stub uses.
                throw Xapian::NetworkError("shard " + std::to_string(handle.shards.size()) + " at " + shard.host + ":" +
                                           std::to_string(shard.port) + " (" + stub + ") does not answer: " + error.get_msg());
            }
        } else {
            handle.shards.emplace_back(shard.path);
        }
        handle.remote.push_back(shard.is_remote());
        // As Xapian's RemoteTcpClient names its connection in errors.
        handle.remote_contexts.push_back(shard.is_remote() ? "remote:tcp(" + shard.host + ":" + std::to_string(shard.port) + ")" : "");
        handle.uuids.push_back(handle.shards.back().get_uuid());
        handle.db.add_database(handle.shards.back());
    }
}

}  // namespace cxapian

extern "C" {

cx_database *cx_database_open(const char *path, cx_error *error) {
    return cx_database_open_with_timeout(path, 5000, error);
}

cx_database *cx_database_open_with_timeout(const char *path, unsigned remote_timeout_ms, cx_error *error) {
    return guarded(error, static_cast<cx_database *>(nullptr), [&] {
        std::unique_ptr<cx_database> handle(new cx_database());
        handle->directory = require(path, "path");
        if (remote_timeout_ms == 0) throw Xapian::InvalidArgumentError("a remote timeout of 0 ms");
        handle->remote_timeout_ms = remote_timeout_ms;
        cxapian::open_shards(*handle);
        handle->opened_uuids = handle->uuids;
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

char *cx_database_shard_metadata(cx_database *db, size_t shard, const char *key, size_t key_length,
                                 size_t *value_length, cx_error *error) {
    return guarded(error, static_cast<char *>(nullptr), [&] {
        require(db, "database");
        std::string k = bytes(key, key_length);
        std::string value = retrying(db, [&] {
            if (shard >= db->shards.size())
                throw Xapian::InvalidArgumentError("no shard " + std::to_string(shard) + " of " + std::to_string(db->shards.size()));
            return db->shards[shard].get_metadata(k);
        });
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
