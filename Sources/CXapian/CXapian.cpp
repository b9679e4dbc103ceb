#include "CXapian.h"

#include <xapian.h>

#include <cstring>
#include <new>
#include <string>

struct cx_database {
    Xapian::Database db;
};

struct cx_writable_database {
    Xapian::WritableDatabase db;
};

namespace {

void set_error(cx_error *error, int code, const char *type, const std::string &message) {
    if (error == nullptr) return;
    error->code = code;
    std::strncpy(error->type, type, sizeof(error->type) - 1);
    error->type[sizeof(error->type) - 1] = '\0';
    std::strncpy(error->message, message.c_str(), sizeof(error->message) - 1);
    error->message[sizeof(error->message) - 1] = '\0';
}

void clear_error(cx_error *error) {
    if (error == nullptr) return;
    error->code = CX_OK;
    error->type[0] = '\0';
    error->message[0] = '\0';
}

// The one place C++ exceptions become C errors. Most specific first:
// Xapian::Error is not polymorphic in 1.4, so order matters.
template <typename Body, typename Result>
Result guarded(cx_error *error, Result on_failure, Body body) {
    clear_error(error);
    try {
        return body();
    } catch (const Xapian::DatabaseOpeningError &e) {
        set_error(error, CX_ERROR_DATABASE_OPENING, e.get_type(), e.get_msg());
    } catch (const Xapian::DatabaseLockError &e) {
        set_error(error, CX_ERROR_DATABASE_LOCK, e.get_type(), e.get_msg());
    } catch (const Xapian::DatabaseError &e) {
        set_error(error, CX_ERROR_DATABASE, e.get_type(), e.get_msg());
    } catch (const Xapian::InvalidArgumentError &e) {
        set_error(error, CX_ERROR_INVALID_ARGUMENT, e.get_type(), e.get_msg());
    } catch (const Xapian::Error &e) {
        set_error(error, CX_ERROR_XAPIAN, e.get_type(), e.get_msg());
    } catch (const std::bad_alloc &) {
        set_error(error, CX_ERROR_OUT_OF_MEMORY, "std::bad_alloc", "out of memory");
    } catch (const std::exception &e) {
        set_error(error, CX_ERROR_STD, "std::exception", e.what());
    } catch (...) {
        set_error(error, CX_ERROR_UNKNOWN, "unknown", "unknown C++ exception");
    }
    return on_failure;
}

}  // namespace

extern "C" {

const char *cx_version_string(void) {
    return Xapian::version_string();
}

cx_database *cx_database_open(const char *path, cx_error *error) {
    return guarded(error, static_cast<cx_database *>(nullptr), [&] {
        return new cx_database{Xapian::Database(path)};
    });
}

long cx_database_doccount(cx_database *db, cx_error *error) {
    return guarded(error, -1L, [&] { return static_cast<long>(db->db.get_doccount()); });
}

void cx_database_close(cx_database *db) {
    cx_error ignored;
    guarded(&ignored, 0, [&] {
        delete db;
        return 0;
    });
}

cx_writable_database *cx_writable_database_create(const char *path, cx_error *error) {
    return guarded(error, static_cast<cx_writable_database *>(nullptr), [&] {
        return new cx_writable_database{Xapian::WritableDatabase(path, Xapian::DB_CREATE_OR_OPEN)};
    });
}

int cx_writable_database_commit(cx_writable_database *db, cx_error *error) {
    return guarded(error, -1, [&] {
        db->db.commit();
        return 0;
    });
}

int cx_writable_database_close(cx_writable_database *db, cx_error *error) {
    int result = guarded(error, -1, [&] {
        db->db.close();
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
