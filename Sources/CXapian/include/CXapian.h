// CXapian: the only place that includes <xapian.h>.
//
// A plain C interface (opaque handles, cx_-prefixed functions, an error
// out-parameter) so that no Swift target needs C++ interoperability and no
// C++ exception ever unwinds through Swift frames.
#ifndef CXAPIAN_H
#define CXAPIAN_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Stable error codes; `cx_error.code`.
typedef enum {
    CX_OK = 0,
    CX_ERROR_DATABASE_OPENING = 1,   // Xapian::DatabaseOpeningError (missing or not a database)
    CX_ERROR_DATABASE_LOCK = 2,      // Xapian::DatabaseLockError (another writer)
    CX_ERROR_DATABASE = 3,           // other Xapian::DatabaseError
    CX_ERROR_INVALID_ARGUMENT = 4,   // Xapian::InvalidArgumentError
    CX_ERROR_XAPIAN = 5,             // any other Xapian::Error
    CX_ERROR_OUT_OF_MEMORY = 6,      // std::bad_alloc
    CX_ERROR_STD = 7,                // other std::exception
    CX_ERROR_UNKNOWN = 8             // anything else
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

typedef struct cx_database cx_database;
typedef struct cx_writable_database cx_writable_database;

/// Opens a database for reading. Returns NULL and fills `error` on failure.
cx_database *cx_database_open(const char *path, cx_error *error);
/// Number of documents; -1 on error.
long cx_database_doccount(cx_database *db, cx_error *error);
void cx_database_close(cx_database *db);

/// Creates (or opens) a database for writing. Returns NULL on failure.
cx_writable_database *cx_writable_database_create(const char *path, cx_error *error);
/// Commits pending changes. Returns 0 on success, -1 on failure.
int cx_writable_database_commit(cx_writable_database *db, cx_error *error);
/// Commits and releases the write lock. Always frees the handle.
int cx_writable_database_close(cx_writable_database *db, cx_error *error);

#ifdef __cplusplus
}
#endif

#endif
