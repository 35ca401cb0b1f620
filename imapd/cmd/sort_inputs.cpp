#include "imapd/cmd/sort_inputs.hpp"

#include "imapd/cmd/errors.hpp"
#include "imapd/cmd/search_matches.hpp"

namespace govmail::imap {

Awaitable<std::variant<std::vector<SortInput>, Reply>> load_sort_inputs(
    Session& s, const SearchKey& criteria, bool uid
) {
    auto matched = co_await match_messages(s, criteria);
    if (auto* refusal = std::get_if<Reply>(&matched)) {
        co_return std::move(*refusal);
    }
    const auto& msns = std::get<SearchMatches>(matched).msns;
    std::vector<SortInput> inputs;
    if (msns.empty()) {
        co_return inputs;
    }
    auto rows = co_await s.server.store.sort_fields(s.account_id(), s.selected->mailbox_id());
    if (!rows) {
        co_return storage_failure(s, rows.error());
    }
    // Both lists ascend by UID (message numbers follow UIDs): one merge joins them. A message
    // expunged since the view was read has no row and is left out.
    const auto& view = *s.selected;
    auto row = rows->begin();
    for (const auto msn : msns) {
        const auto message_uid = view.at(msn).uid;
        while (row != rows->end() && row->uid < message_uid) {
            ++row;
        }
        if (row != rows->end() && row->uid == message_uid) {
            inputs.push_back(SortInput{msn, uid ? message_uid : msn, std::move(*row)});
        }
    }
    co_return inputs;
}

}  // namespace govmail::imap
