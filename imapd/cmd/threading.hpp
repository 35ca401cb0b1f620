#pragma once

// The THREAD algorithms of RFC 5256 section 3, ORDEREDSUBJECT and REFERENCES (after Jamie
// Zawinski's), over messages already reduced to their sort values; pure, no I/O. The input
// comes from untrusted mail, so the work is bounded: at most kMaxReferences identifiers of a
// message's References are used (the last ones), and a reply is linked only up to
// kMaxThreadDepth levels below its thread's root (a deeper one starts a thread of its own,
// joined to the first by subject). Nothing recurses, so no header can exhaust the stack.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace govmail::imap {

inline constexpr std::size_t kMaxReferences = 100;
inline constexpr std::size_t kMaxThreadDepth = 1000;

struct ThreadMessage {
    std::uint32_t number = 0;  // what the reply shows: sequence number or UID
    std::int64_t date = 0;     // the sent date, else the internal date (unix seconds)
    std::string base_subject;  // mime::base_subject(...).text
    bool reply = false;        // mime::base_subject(...).reply
    std::string message_id;    // the Message-ID value, raw
    std::string in_reply_to;   // raw
    std::string references;    // raw
};

// The thread-list of RFC 5256 section 5, "(1 2)(3 (4)(5))", for MESSAGES in mailbox order;
// "" for none.
std::string thread_ordered_subject(const std::vector<ThreadMessage>& messages);
std::string thread_references(const std::vector<ThreadMessage>& messages);

// The "<...>" message identifiers in a Message-ID, In-Reply-To or References value, in order.
std::vector<std::string_view> message_ids(std::string_view value);

}  // namespace govmail::imap
