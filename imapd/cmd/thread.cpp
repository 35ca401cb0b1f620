// THREAD and UID THREAD (RFC 5256 section 3): ORDEREDSUBJECT and REFERENCES over the messages
// SEARCH selects (search.cpp, with its limits), from values stored at delivery; the
// algorithms and their bounds are in threading.hpp.

#include <variant>

#include "imapd/cmd/handlers.hpp"
#include "imapd/cmd/sort_inputs.hpp"
#include "imapd/cmd/threading.hpp"
#include "mime/base_subject.hpp"

namespace govmail::imap {

Awaitable<Reply> handle_thread(Session& s, const Thread& c) {
    auto loaded = co_await load_sort_inputs(s, c.search, c.uid);
    if (auto* refusal = std::get_if<Reply>(&loaded)) {
        co_return std::move(*refusal);
    }
    std::vector<ThreadMessage> messages;
    for (auto& input : std::get<std::vector<SortInput>>(loaded)) {
        auto& f = input.fields;
        auto base = mime::base_subject(f.subject);
        messages.push_back(ThreadMessage{
            input.number,
            f.sent_date.value_or(f.internal_date),
            std::move(base.text),
            base.reply,
            std::move(f.message_id),
            std::move(f.in_reply_to),
            std::move(f.references),
        });
    }
    const auto threads = c.algorithm == ThreadAlgorithm::OrderedSubject
                             ? thread_ordered_subject(messages)
                             : thread_references(messages);
    s.untagged(threads.empty() ? "THREAD" : "THREAD " + threads);
    co_return Reply::ok("THREAD completed");
}

}  // namespace govmail::imap
