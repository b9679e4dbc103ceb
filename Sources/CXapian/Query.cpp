// Queries: immutable values built bottom-up.
//
// Xapian::Query shares its internals by a reference count that is not atomic,
// so a query (and every query built from it) must stay on one thread at a
// time. For the same reason no function here copies the static
// Xapian::Query::MatchAll: it is one object shared by the whole process.
#include "Internal.hpp"

using cxapian::bytes;
using cxapian::copy_out;
using cxapian::guarded;
using cxapian::require;

namespace {

Xapian::Query::op xapian_op(int op) {
    switch (op) {
        case CX_OP_AND: return Xapian::Query::OP_AND;
        case CX_OP_OR: return Xapian::Query::OP_OR;
        case CX_OP_AND_NOT: return Xapian::Query::OP_AND_NOT;
        case CX_OP_AND_MAYBE: return Xapian::Query::OP_AND_MAYBE;
        case CX_OP_FILTER: return Xapian::Query::OP_FILTER;
        case CX_OP_PHRASE: return Xapian::Query::OP_PHRASE;
        case CX_OP_NEAR: return Xapian::Query::OP_NEAR;
        case CX_OP_SYNONYM: return Xapian::Query::OP_SYNONYM;
        case CX_OP_ELITE_SET: return Xapian::Query::OP_ELITE_SET;
        case CX_OP_MAX: return Xapian::Query::OP_MAX;
    }
    throw Xapian::InvalidArgumentError("unknown cx_query_op " + std::to_string(op));
}

bool takes_parameter(int op) {
    return op == CX_OP_PHRASE || op == CX_OP_NEAR || op == CX_OP_ELITE_SET;
}

}  // namespace

extern "C" {

cx_query *cx_query_term(const char *term, size_t term_length, uint32_t wqf, uint32_t position, cx_error *error) {
    return guarded(error, static_cast<cx_query *>(nullptr), [&] {
        return new cx_query{Xapian::Query(bytes(term, term_length), wqf, position)};
    });
}

cx_query *cx_query_match_all(cx_error *error) {
    return guarded(error, static_cast<cx_query *>(nullptr), [&] {
        return new cx_query{Xapian::Query(std::string())};  // a fresh MatchAll, see above
    });
}

cx_query *cx_query_match_nothing(cx_error *error) {
    return guarded(error, static_cast<cx_query *>(nullptr), [&] { return new cx_query{Xapian::Query()}; });
}

cx_query *cx_query_combine(int op, const cx_query *const *subqueries, size_t count, uint32_t parameter,
                           cx_error *error) {
    return guarded(error, static_cast<cx_query *>(nullptr), [&] {
        Xapian::Query::op xop = xapian_op(op);
        if (count > 0) require(subqueries, "subqueries");
        std::vector<Xapian::Query> subs;
        subs.reserve(count);
        for (size_t i = 0; i < count; ++i) subs.push_back(require(subqueries[i], "subquery")->query);
        return new cx_query{Xapian::Query(xop, subs.begin(), subs.end(), takes_parameter(op) ? parameter : 0)};
    });
}

cx_query *cx_query_scale_weight(const cx_query *query, double factor, cx_error *error) {
    return guarded(error, static_cast<cx_query *>(nullptr), [&] {
        return new cx_query{Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, require(query, "query")->query, factor)};
    });
}

cx_query *cx_query_wildcard(const char *prefix, size_t prefix_length, uint32_t max_expansion, cx_error *error) {
    return guarded(error, static_cast<cx_query *>(nullptr), [&] {
        std::string pattern = bytes(prefix, prefix_length);
        if (pattern.empty()) throw Xapian::InvalidArgumentError("a wildcard needs a prefix");
        cxapian::check_term(pattern);
        // The most frequent terms when there are more: never an error for a
        // short prefix, and the terms a reader most likely meant.
        return new cx_query{Xapian::Query(Xapian::Query::OP_WILDCARD, pattern, max_expansion,
                                          Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT, Xapian::Query::OP_SYNONYM)};
    });
}

cx_query *cx_query_value_range(uint32_t slot, const char *begin, size_t begin_length, const char *end,
                               size_t end_length, cx_error *error) {
    return guarded(error, static_cast<cx_query *>(nullptr), [&] {
        return new cx_query{Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, bytes(begin, begin_length),
                                          bytes(end, end_length))};
    });
}

char *cx_query_description(const cx_query *query, size_t *length, cx_error *error) {
    return guarded(error, static_cast<char *>(nullptr), [&] {
        return copy_out(require(query, "query")->query.get_description(), length);
    });
}

void cx_query_free(cx_query *query) {
    cx_error ignored;
    guarded(&ignored, 0, [&] {
        delete query;
        return 0;
    });
}

// MARK: - Values

size_t cx_sortable_serialise(double value, char buffer[9]) {
    cx_error ignored;
    return guarded(&ignored, static_cast<size_t>(0), [&] {
        std::string s = Xapian::sortable_serialise(value);  // at most 9 bytes
        std::memcpy(buffer, s.data(), s.size());
        return s.size();
    });
}

double cx_sortable_unserialise(const char *bytes_, size_t length) {
    cx_error ignored;
    return guarded(&ignored, 0.0, [&] { return Xapian::sortable_unserialise(bytes(bytes_, length)); });
}

}  // extern "C"
