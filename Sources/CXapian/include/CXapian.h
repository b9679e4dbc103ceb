// CXapian: the only place that includes <xapian.h>.
//
// A plain C interface (opaque handles, cx_-prefixed functions, an error
// out-parameter) so that no Swift target needs C++ interoperability and no
// C++ exception ever unwinds through Swift frames: every function body runs
// inside one translator (`guarded()` in CXapian.cpp).
//
// Conventions
// - Terms, keys, values and data cross as (pointer, length) pairs: they may
//   contain NUL bytes. A NULL pointer with length 0 is the empty string.
// - A function that can fail takes `cx_error *error` last, clears it on entry
//   and fills it on failure. Failure is signalled by the return value: NULL,
//   -1, or 0 for functions returning a docid (Xapian never uses docid 0).
// - Memory returned to the caller is owned by the caller and released with
//   the matching cx_*_free function. Pointers returned by accessors
//   (cx_matches_*, cx_string_list_*) borrow from their owner and are valid
//   until it is freed.
// - Threads: Xapian objects have no internal locking and their reference
//   counts are not atomic. A handle, and every query built from a query
//   handle, must be used by one thread at a time.
// - Reads on a cx_database that meet Xapian::DatabaseModifiedError reopen the
//   database and retry once (recoll's XAPTRY).
#ifndef CXAPIAN_H
#define CXAPIAN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// MARK: - Errors

/// Stable error codes; `cx_error.code`. New codes are only ever appended.
typedef enum {
    CX_OK = 0,
    CX_ERROR_DATABASE_OPENING = 1,    // Xapian::DatabaseOpeningError (missing or not a database)
    CX_ERROR_DATABASE_LOCK = 2,       // Xapian::DatabaseLockError (another writer)
    CX_ERROR_DATABASE = 3,            // other Xapian::DatabaseError (incl. DatabaseClosedError)
    CX_ERROR_INVALID_ARGUMENT = 4,    // Xapian::InvalidArgumentError (e.g. "Term too long")
    CX_ERROR_XAPIAN = 5,              // any other Xapian::Error
    CX_ERROR_OUT_OF_MEMORY = 6,       // std::bad_alloc
    CX_ERROR_STD = 7,                 // other std::exception
    CX_ERROR_UNKNOWN = 8,             // anything else
    CX_ERROR_DOCUMENT_NOT_FOUND = 9,  // Xapian::DocNotFoundError
    CX_ERROR_DATABASE_MODIFIED = 10,  // Xapian::DatabaseModifiedError that survived one reopen-and-retry
    CX_ERROR_SHARD_UNAVAILABLE = 11   // Xapian::NetworkError: a remote shard that did not answer, after one reconnect
} cx_error_code;

/// Filled in by a failing call. `type` is Xapian's error class name
/// ("DatabaseOpeningError") or "std::bad_alloc" etc. Strings are
/// NUL-terminated and truncated to fit.
typedef struct {
    int code;
    char type[64];
    char message[512];
} cx_error;

/// The Xapian library version the shim is linked against, e.g. "1.4.22".
const char *cx_version_string(void);

/// The longest term Xapian's glass backend accepts, in bytes (245).
/// Longer (and empty) terms are refused with CX_ERROR_INVALID_ARGUMENT when
/// they are added to a cx_document or passed as a unique term, before they
/// reach the database: Xapian itself would refuse them inside add_document
/// and, in doing so, discard every uncommitted change.
size_t cx_max_term_length(void);

// MARK: - Handles

typedef struct cx_database cx_database;                   // a reader
typedef struct cx_writable_database cx_writable_database; // the one writer
typedef struct cx_document cx_document;                   // a document being built
typedef struct cx_query cx_query;                         // an immutable query
typedef struct cx_matches cx_matches;                     // a search result, copied out
typedef struct cx_string_list cx_string_list;             // owned list of byte strings

// MARK: - Owned strings and lists

/// Frees a string returned by a cx_* function (NULL is fine).
void cx_string_free(char *string);

/// A list of byte strings, each with an optional weight (0 when the producer
/// has none). Returned by synonyms, termlists and expand.
size_t cx_string_list_count(const cx_string_list *list);
/// Borrowed; NULL if `index` is out of range.
const char *cx_string_list_get(const cx_string_list *list, size_t index, size_t *length);
double cx_string_list_weight(const cx_string_list *list, size_t index);
void cx_string_list_free(cx_string_list *list);

// MARK: - Documents

cx_document *cx_document_new(cx_error *error);
void cx_document_free(cx_document *document);
/// Adds `term` at `position` (positions start at 1 by convention), raising its
/// wdf by `wdf_increment`. Returns 0, or -1 on failure.
int cx_document_add_posting(cx_document *document, const char *term, size_t term_length,
                            uint32_t position, uint32_t wdf_increment, cx_error *error);
/// Adds `term` without a position.
int cx_document_add_term(cx_document *document, const char *term, size_t term_length,
                         uint32_t wdf_increment, cx_error *error);
/// Adds a filter term: no position, wdf 0, so it does not change weights.
int cx_document_add_boolean_term(cx_document *document, const char *term, size_t term_length,
                                 cx_error *error);
/// Sets value slot `slot` (replacing any earlier value of that slot).
int cx_document_add_value(cx_document *document, uint32_t slot, const char *value, size_t value_length,
                          cx_error *error);
int cx_document_set_data(cx_document *document, const char *data, size_t data_length, cx_error *error);

// MARK: - Writable database

/// Creates a database at `path`, replacing any database already there
/// (Xapian::DB_CREATE_OR_OVERWRITE), and takes the write lock.
///
/// Changes are grouped in an unflushed transaction, so Xapian never commits on
/// its own (its default is every 10,000 changes): a build makes exactly one
/// revision per call to cx_writable_database_commit (or close). Memory stays
/// bounded: Xapian still writes pending postings to disk every
/// XAPIAN_FLUSH_THRESHOLD changes (environment, read here; default 10,000),
/// it only does not publish them.
///
/// If add, replace, delete or commit fails inside Xapian, Xapian has already
/// discarded every change since the last commit. The handle remembers it:
/// later changes, commit and close then fail (close still releases the lock
/// and frees the handle) instead of publishing a silently partial database.
cx_writable_database *cx_writable_database_create(const char *path, cx_error *error);
/// Sets XAPIAN_FLUSH_THRESHOLD, the number of changes after which a writer
/// created from now on writes pending postings to disk (without publishing
/// them; see above). 0 restores Xapian's default (10,000). This changes the
/// process environment: call it before other threads start, as for setenv.
/// Measured (release, 10,000 units of 20 CJK characters, one commit, best of
/// 3 on a shared 2-core machine): about 0.73 s with the default, 0.60 s with
/// 1,000; smaller batches keep Xapian's in-memory postings small. Returns 0, or -1 on failure.
int cx_set_flush_threshold(uint32_t changes, cx_error *error);
/// Returns the new document's id, or 0 on failure.
uint32_t cx_writable_database_add_document(cx_writable_database *db, const cx_document *document,
                                           cx_error *error);
/// Replaces every document indexed by `unique_term` with `document` (adds it
/// if there is none). Returns the document's id, or 0 on failure.
uint32_t cx_writable_database_replace_document(cx_writable_database *db, const char *unique_term,
                                               size_t unique_term_length, const cx_document *document,
                                               cx_error *error);
/// Deletes every document indexed by `unique_term` (none is not an error).
int cx_writable_database_delete_document(cx_writable_database *db, const char *unique_term,
                                         size_t unique_term_length, cx_error *error);
int cx_writable_database_set_metadata(cx_writable_database *db, const char *key, size_t key_length,
                                      const char *value, size_t value_length, cx_error *error);
int cx_writable_database_add_synonym(cx_writable_database *db, const char *term, size_t term_length,
                                     const char *synonym, size_t synonym_length, cx_error *error);
/// Copies documents of `source` indexed by `term` (terms, positions,
/// values, data) into `db`, to reuse the units of an unchanged report from the
/// previous build: of the term's documents in docid order, number `first`,
/// `first + stride`, `first + 2 * stride` … (0 and 1: all; a sharded build
/// deals a report's units out to its shards this way). The source is read
/// completely (with reopen-and-retry) before anything is added. Returns how
/// many were copied, or -1 on failure.
long cx_writable_database_add_documents_from(cx_writable_database *db, cx_database *source,
                                             const char *term, size_t term_length, uint32_t first,
                                             uint32_t stride, cx_error *error);
/// Documents in the database including uncommitted changes; -1 on error.
long cx_writable_database_doccount(cx_writable_database *db, cx_error *error);
/// Publishes pending changes as one new revision. Returns 0, or -1 on failure.
int cx_writable_database_commit(cx_writable_database *db, cx_error *error);
/// Commits and releases the write lock. Always frees the handle.
int cx_writable_database_close(cx_writable_database *db, cx_error *error);

/// Writes a compacted copy of the database at `source` to `destination`
/// (Xapian::Database::compact; docids unchanged). A build writes its tables
/// with blocks part-filled and in insertion order; the compacted copy is
/// about a quarter smaller and reads faster. Returns 0, or -1 on failure.
int cx_database_compact(const char *source, const char *destination, cx_error *error);

// MARK: - Reader database

/// Opens a database for reading. Returns NULL and fills `error` on failure
/// (CX_ERROR_DATABASE_OPENING with type "DatabaseNotFoundError" etc.).
///
/// A directory holding a stub file `XAPIANDB` (lines `auto PATH` or
/// `glass PATH`, relative to the directory) opens every shard it lists as
/// one database: docids interleave (shard s of n holds d with
/// (d - 1) % n == s), statistics are the whole collection's.
cx_database *cx_database_open(const char *path, cx_error *error);
/// As cx_database_open, with remote shards allowed `remote_timeout_ms` per
/// call (cx_database_open: 5,000) and at most 3,000 ms to connect.
cx_database *cx_database_open_with_timeout(const char *path, unsigned remote_timeout_ms, cx_error *error);
/// How many shards the database joins (1 when it is not sharded).
size_t cx_database_shard_count(cx_database *db);
/// Number of documents; -1 on error.
long cx_database_doccount(cx_database *db, cx_error *error);
/// User metadata for `key` ("" if unset). Returns a malloc'd string (free with
/// cx_string_free) and its length, or NULL on failure.
char *cx_database_get_metadata(cx_database *db, const char *key, size_t key_length, size_t *value_length,
                               cx_error *error);
/// User metadata for `key` of shard `shard` alone (the joined database
/// reads metadata from its first shard only); as cx_database_get_metadata.
char *cx_database_shard_metadata(cx_database *db, size_t shard, const char *key, size_t key_length,
                                 size_t *value_length, cx_error *error);
/// Number of documents indexed by `term`; -1 on error.
long cx_database_termfreq(cx_database *db, const char *term, size_t term_length, cx_error *error);
/// Synonyms recorded for `term` (empty list if none), or NULL on failure.
cx_string_list *cx_database_synonyms(cx_database *db, const char *term, size_t term_length, cx_error *error);
/// The first document indexed by `unique_term`: returns 1 and fills `docid`,
/// `data` (malloc'd; cx_string_free) and `data_length`; 0 if there is none
/// (nothing allocated); -1 on failure.
int cx_database_document_by_term(cx_database *db, const char *unique_term, size_t unique_term_length,
                                 uint32_t *docid, char **data, size_t *data_length, cx_error *error);
/// The data of document `docid`: returns 1 and fills `data` (malloc'd;
/// cx_string_free) and `data_length`; -1 on failure
/// (CX_ERROR_DOCUMENT_NOT_FOUND if there is no such document).
int cx_database_document_data(cx_database *db, uint32_t docid, char **data, size_t *data_length, cx_error *error);
/// Every term of document `docid` in byte order, or NULL on failure
/// (CX_ERROR_DOCUMENT_NOT_FOUND if there is no such document).
cx_string_list *cx_database_termlist(cx_database *db, uint32_t docid, cx_error *error);
void cx_database_close(cx_database *db);

// MARK: - Queries

// A cx_query is an immutable Xapian::Query. Functions that take sub-queries
// copy them, so the caller frees its own handles whenever it likes.

typedef enum {
    CX_OP_AND = 0,
    CX_OP_OR = 1,
    CX_OP_AND_NOT = 2,
    CX_OP_AND_MAYBE = 3,
    CX_OP_FILTER = 4,
    CX_OP_PHRASE = 5,     // parameter: window (0 = number of sub-queries)
    CX_OP_NEAR = 6,       // parameter: window (0 = number of sub-queries)
    CX_OP_SYNONYM = 7,
    CX_OP_ELITE_SET = 8,  // parameter: set size (0 = Xapian's default)
    CX_OP_MAX = 9
} cx_query_op;

/// A term with its within-query frequency and query position. An empty term
/// matches every document in Xapian (it is how MatchAll is spelled).
cx_query *cx_query_term(const char *term, size_t term_length, uint32_t wqf, uint32_t position, cx_error *error);
cx_query *cx_query_match_all(cx_error *error);
cx_query *cx_query_match_nothing(cx_error *error);
/// Combines `count` sub-queries with `op`. `parameter` is the window for
/// PHRASE/NEAR and the set size for ELITE_SET; it is ignored by other operators.
cx_query *cx_query_combine(int op, const cx_query *const *subqueries, size_t count, uint32_t parameter,
                           cx_error *error);
/// `query` with every weight multiplied by `factor` (>= 0; 0 makes it boolean).
cx_query *cx_query_scale_weight(const cx_query *query, double factor, cx_error *error);
/// Documents whose value in `slot` lies in [begin, end] (byte order).
/// Every term that starts with `prefix` (at most `max_expansion` of them, the
/// most frequent; 0: all), matched as one term (OP_SYNONYM): a prefix search.
cx_query *cx_query_wildcard(const char *prefix, size_t prefix_length, uint32_t max_expansion, cx_error *error);
cx_query *cx_query_value_range(uint32_t slot, const char *begin, size_t begin_length, const char *end,
                               size_t end_length, cx_error *error);
/// Xapian's Query::get_description(), malloc'd (cx_string_free), or NULL on failure.
char *cx_query_description(const cx_query *query, size_t *length, cx_error *error);
void cx_query_free(cx_query *query);

// MARK: - Search

typedef enum {
    CX_SORT_RELEVANCE = 0,
    CX_SORT_VALUE_ASCENDING = 1,   // by value slot, then relevance
    CX_SORT_VALUE_DESCENDING = 2,  // by value slot (reversed), then relevance
    CX_SORT_UNRANKED = 3           // no weights, in docid order: stops at the first `limit` matches
} cx_sort;

typedef struct {
    uint32_t offset;
    uint32_t limit;
    /// Xapian's checkatleast. Totals and facet counts are exact only when it
    /// is at least the number of matches: pass cx_database_doccount() for that.
    uint32_t check_at_least;
    int sort;                /// a cx_sort
    uint32_t sort_slot;
    /// Xapian::BM25Weight(k1, k2, k3, b, min_normlen).
    double k1, k2, k3, b, min_normlen;
    /// Value slots to count (`facet_count` of them). A slot whose
    /// `facet_multi_valued` entry is non-zero holds several values joined by
    /// the byte 0x1F in one value, and each is counted once per document.
    const uint32_t *facet_slots;
    const unsigned char *facet_multi_valued;
    size_t facet_count;
    /// Non-zero: copy out Enquire::get_matching_terms for each hit.
    int include_matching_terms;
    /// Non-zero: leave every hit's data empty, for a caller that keeps
    /// decoded data per docid and fetches only what it lacks
    /// (cx_database_document_data): reading data inflates it (zlib), the
    /// largest cost of a search without snippets.
    int skip_data;
} cx_search_options;

/// Fills `options` with the defaults: offset 0, limit 10, check_at_least 0,
/// relevance order, BM25 (1.2, 0, 1, 0.75, 0.5), no facets, no matching terms,
/// data copied out.
void cx_search_options_init(cx_search_options *options);

cx_matches *cx_database_search(cx_database *db, const cx_query *query, const cx_search_options *options,
                               cx_error *error);
/// Hits in rank order, at most `limit` of them.
size_t cx_matches_count(const cx_matches *matches);
uint32_t cx_matches_docid(const cx_matches *matches, size_t hit);
double cx_matches_weight(const cx_matches *matches, size_t hit);
/// Borrowed document data of hit `hit`.
const char *cx_matches_data(const cx_matches *matches, size_t hit, size_t *length);
/// Matching query terms of hit `hit` (0 unless include_matching_terms).
size_t cx_matches_term_count(const cx_matches *matches, size_t hit);
const char *cx_matches_term(const cx_matches *matches, size_t hit, size_t term, size_t *length);
uint32_t cx_matches_estimated(const cx_matches *matches);
uint32_t cx_matches_lower_bound(const cx_matches *matches);
uint32_t cx_matches_upper_bound(const cx_matches *matches);
/// Facets in the order of `options.facet_slots`; within one facet, values
/// sorted by count (descending) then by value (bytes ascending).
size_t cx_matches_facet_size(const cx_matches *matches, size_t facet);
const char *cx_matches_facet_value(const cx_matches *matches, size_t facet, size_t index, size_t *length,
                                   uint32_t *count);
void cx_matches_free(cx_matches *matches);

// MARK: - More like this

/// Terms that best characterise the document indexed by `unique_term`
/// (Enquire::get_eset with an RSet of that one document), best first, with
/// their expand weights (cx_string_list_weight). Kept only: terms whose first
/// byte is not A-Z (no prefixed terms), that are not a single character
/// >= U+2E80 (CJK unigrams), and, for two such characters "ab",
///   termfreq("ab") / min(termfreq("a"), termfreq("b")) >= min_association
/// (drops bigrams that straddle word boundaries). Empty if no document has
/// `unique_term`. NULL on failure.
cx_string_list *cx_database_expand(cx_database *db, const char *unique_term, size_t unique_term_length,
                                   uint32_t max_terms, double min_association, cx_error *error);

// MARK: - Values

/// Xapian::sortable_serialise: writes at most 9 bytes to `buffer` and returns
/// how many, so that byte order of the results is numeric order.
size_t cx_sortable_serialise(double value, char buffer[9]);
/// Xapian::sortable_unserialise.
double cx_sortable_unserialise(const char *bytes, size_t length);

#ifdef __cplusplus
}
#endif

#endif
