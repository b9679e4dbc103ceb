// "More like this": the terms that best characterise one document.
//
// On an n-gram index Enquire::get_eset proposes single characters (too
// common to mean anything) and bigrams that straddle word boundaries (建产 in
// 新建产业学院, 化产 in 现代化产业): the decider keeps only terms worth a query.
#include "Internal.hpp"

#include <algorithm>
#include <memory>

using cxapian::bytes;
using cxapian::guarded;
using cxapian::require;
using cxapian::retrying;

namespace {

/// First code point of the CJK radicals supplement: from here on a
/// character is an ideograph (or CJK punctuation/full-width form) and
/// TermGenerator's CJK n-gram mode indexes it as a unigram and bigrams.
constexpr unsigned cjk_start = 0x2E80;

class AssociationDecider : public Xapian::ExpandDecider {
public:
    AssociationDecider(const Xapian::Database &db, double min_association)
        : db_(db), min_association_(min_association) {}

    bool operator()(const std::string &term) const override {
        if (term.empty()) return false;
        unsigned char first = static_cast<unsigned char>(term[0]);
        if (first >= 'A' && first <= 'Z') return false;  // prefixed (Q…, S…, X…): not body text

        Xapian::Utf8Iterator it(term);
        const Xapian::Utf8Iterator end;
        unsigned a = *it;
        ++it;
        if (it == end) return a < cjk_start;  // one character: drop CJK unigrams
        const char *second_start = it.raw();
        unsigned b = *it;
        ++it;
        if (it != end) return true;  // three characters or more: not an n-gram of ours
        if (a < cjk_start || b < cjk_start) return true;

        // A CJK bigram "ab": keep it when a and b mostly occur together.
        size_t split = static_cast<size_t>(second_start - term.data());
        double both = db_.get_termfreq(term);
        double rarer = std::min(db_.get_termfreq(term.substr(0, split)), db_.get_termfreq(term.substr(split)));
        if (rarer <= 0) return false;
        return both / rarer >= min_association_;
    }

private:
    const Xapian::Database &db_;
    double min_association_;
};

}  // namespace

extern "C" {

cx_string_list *cx_database_expand(cx_database *db, const char *unique_term, size_t unique_term_length,
                                   uint32_t max_terms, double min_association, cx_error *error) {
    return guarded(error, static_cast<cx_string_list *>(nullptr), [&] {
        require(db, "database");
        std::string term = bytes(unique_term, unique_term_length);
        std::unique_ptr<cx_string_list> list(new cx_string_list());
        retrying(db, [&] {
            list->items.clear();
            list->weights.clear();
            Xapian::PostingIterator posting = db->db.postlist_begin(term);
            if (posting == db->db.postlist_end(term)) return;
            Xapian::RSet rset;
            rset.add_document(*posting);
            Xapian::Enquire enquire(db->db);
            AssociationDecider decider(db->db, min_association);
            // Exact term frequencies over every shard: the default scales one
            // shard's up, which makes the terms depend on how the index is split
            // (and on whether a shard is remote).
            Xapian::ESet eset = enquire.get_eset(max_terms, rset, Xapian::Enquire::USE_EXACT_TERMFREQ, &decider);
            for (Xapian::ESetIterator it = eset.begin(); it != eset.end(); ++it) {
                list->items.push_back(*it);
                list->weights.push_back(it.get_weight());
            }
        });
        return list.release();
    });
}

}  // extern "C"
