#pragma once

// The SEARCH criteria as a tree (RFC 3501 section 6.4.4, RFC 7162 MODSEQ), in the manner of
// Dovecot's mail_search_arg: one node type, a kind, the value that kind uses and its children.

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "imapd/proto/sequence_set.hpp"

namespace govmail::imap {

enum class SearchKeyKind {
    And,  // children, all must match: a parenthesised group or several top-level keys
    Or,   // two children
    Not,  // one child
    All,
    SequenceSet,  // set: message sequence numbers
    Uid,          // set: UIDs
    Answered,
    Deleted,
    Draft,
    Flagged,
    New,
    Old,
    Recent,
    Seen,
    Unanswered,
    Undeleted,
    Undraft,
    Unflagged,
    Unseen,
    Keyword,    // text: the keyword
    Unkeyword,  // text: the keyword
    Bcc,        // text in the header field
    Cc,
    From,
    Subject,
    To,
    Body,    // text in the body
    Text,    // text in header or body
    Header,  // header_name, text
    Before,  // date: internal date
    On,
    Since,
    SentBefore,  // date: Date header
    SentOn,
    SentSince,
    Larger,  // number: RFC822.SIZE
    Smaller,
    ModSeq,  // number: the lowest mod-sequence that matches
};

struct SearchKey {
    SearchKeyKind kind = SearchKeyKind::All;
    std::string text{};
    std::string header_name{};
    std::chrono::year_month_day date{};
    std::uint64_t number = 0;
    SequenceSet set{};
    std::vector<SearchKey> children{};

    bool operator==(const SearchKey&) const = default;
};

// SEARCH RETURN (...) options of ESEARCH (RFC 4731) and SEARCHRES (RFC 5182).
struct SearchReturn {
    bool min = false;
    bool max = false;
    bool all = false;
    bool count = false;
    bool save = false;

    bool operator==(const SearchReturn&) const = default;
};

}  // namespace govmail::imap
