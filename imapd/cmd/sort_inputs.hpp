#pragma once

// What SORT and THREAD read (RFC 5256): the messages SEARCH criteria select, each with the
// values stored at delivery for ordering (storage::SortFields), in one pass over the mailbox.

#include <cstdint>
#include <variant>
#include <vector>

#include "imapd/cmd/handlers.hpp"
#include "storage/types.hpp"

namespace govmail::imap {

struct SortInput {
    std::uint32_t msn = 0;
    std::uint32_t number = 0;  // what the reply shows: msn, or the UID for UID SORT/THREAD
    storage::SortFields fields;
};

// The messages matching CRITERIA in mailbox order, or the reply that refuses the command.
Awaitable<std::variant<std::vector<SortInput>, Reply>> load_sort_inputs(
    Session& s, const SearchKey& criteria, bool uid
);

}  // namespace govmail::imap
