#pragma once

// The evaluation of SEARCH criteria over the selected mailbox (search.cpp), shared by SEARCH,
// SORT and THREAD (RFC 5256 sorts and threads the messages SEARCH would find).

#include <cstdint>
#include <variant>
#include <vector>

#include "imapd/cmd/handlers.hpp"

namespace govmail::imap {

struct SearchMatches {
    std::vector<std::uint32_t> msns;  // ascending message sequence numbers
    bool uses_modseq = false;         // the criteria hold a MODSEQ key
};

// The matching messages, or the reply that refuses the search: NO [LIMIT] past
// imap.max_search_text_keys or imap.search_timeout, or the storage failure's reply.
Awaitable<std::variant<SearchMatches, Reply>> match_messages(Session& s, const SearchKey& criteria);

}  // namespace govmail::imap
