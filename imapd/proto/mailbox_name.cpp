#include "imapd/proto/mailbox_name.hpp"

#include <algorithm>

#include "common/utf8.hpp"
#include "imapd/proto/tokenizer.hpp"

namespace govmail::imap {
namespace {

constexpr std::string_view kInbox = "INBOX";

// C0 controls, DEL, and C1 controls as UTF-8 (U+0080..U+009F are 0xC2 0x80..0x9F).
bool has_control(std::string_view utf8) {
    for (std::size_t i = 0; i < utf8.size(); ++i) {
        const auto byte = static_cast<unsigned char>(utf8[i]);
        if (byte < 0x20 || byte == 0x7f) {
            return true;
        }
        if (byte == 0xc2 && i + 1 < utf8.size() &&
            static_cast<unsigned char>(utf8[i + 1]) <= 0x9f) {
            return true;
        }
    }
    return false;
}

bool has_empty_level(std::string_view name) {
    return name.front() == kDelimiter || name.back() == kDelimiter ||
           name.find("//") != std::string_view::npos;
}

}  // namespace

CanonicalName canonical_mailbox_name(std::string_view utf8, const MailboxNameLimits& limits) {
    if (utf8.empty()) {
        return MailboxNameFault::Empty;
    }
    if (!is_valid_utf8(utf8)) {
        return MailboxNameFault::BadUtf8;
    }
    if (has_control(utf8)) {
        return MailboxNameFault::Control;
    }
    if (has_empty_level(utf8)) {
        return MailboxNameFault::EmptyLevel;
    }
    if (utf8.find_first_of("%*") != std::string_view::npos) {
        return MailboxNameFault::Wildcard;
    }
    if (utf8.size() > limits.max_bytes) {
        return MailboxNameFault::TooLong;
    }
    const auto levels = static_cast<std::size_t>(std::ranges::count(utf8, kDelimiter)) + 1;
    if (levels > limits.max_levels) {
        return MailboxNameFault::TooDeep;
    }
    std::string name(utf8);
    const auto first_level = std::string_view(name).substr(0, name.find(kDelimiter));
    if (iequals(first_level, kInbox)) {
        name.replace(0, kInbox.size(), kInbox);
    }
    return name;
}

std::string_view describe(MailboxNameFault fault) {
    switch (fault) {
        case MailboxNameFault::Empty:
            return "Empty mailbox name";
        case MailboxNameFault::EmptyLevel:
            return "Mailbox name has an empty hierarchy level";
        case MailboxNameFault::Control:
            return "Mailbox name holds a control character";
        case MailboxNameFault::Wildcard:
            return "Mailbox name holds a wildcard";
        case MailboxNameFault::BadUtf8:
            return "Mailbox name is not valid UTF-8";
        case MailboxNameFault::TooLong:
            return "Mailbox name too long";
        case MailboxNameFault::TooDeep:
            return "Mailbox name has too many hierarchy levels";
    }
    return "Invalid mailbox name";
}

}  // namespace govmail::imap
