#pragma once

// IMAP URLs of one message part (RFC 5092), as CATENATE (RFC 4469 section 5) names the parts
// of a message to build: "/INBOX;UIDVALIDITY=385759045/;UID=20/;SECTION=1.2/;PARTIAL=0.1024",
// or the same after "imap://user@host". Parsing only: the command checks that the URL names the
// session's own account. URLs come from untrusted clients: every percent escape is checked,
// numbers are bounded, and URLAUTH and every unknown parameter are refused.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "imapd/proto/fetch_attribute.hpp"

namespace govmail::imap {

struct ImapUrl {
    std::optional<std::string> user{};  // absolute URLs: the user named before "@", decoded
    std::string mailbox{};              // UTF-8, percent escapes decoded
    std::optional<std::uint32_t> uidvalidity{};
    std::uint32_t uid = 0;
    std::string section{};  // decoded, upper-cased: "", "1.2", "HEADER", "1.MIME"...
    std::optional<Partial> partial{};

    bool operator==(const ImapUrl&) const = default;
};

// URL parsed, or nullopt when it is not an IMAP URL of one message (part) on this server.
std::optional<ImapUrl> parse_imap_url(std::string_view url);

}  // namespace govmail::imap
