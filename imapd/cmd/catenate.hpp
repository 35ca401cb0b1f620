#pragma once

// APPEND ... CATENATE (RFC 4469): a message built from TEXT literals and parts of messages the
// user already has, named by IMAP URLs (RFC 5092, imapd/proto/imap_url.hpp). Only the
// session's own account is reachable: a URL naming another user, a missing mailbox, a changed
// UIDVALIDITY, a missing UID or section all answer NO [BADURL url], the same answer for each,
// so that nothing about other accounts can be learnt. The built message is bounded by the
// APPEND size limit (NO [TOOBIG]).

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "imapd/cmd/session.hpp"
#include "imapd/proto/commands.hpp"

namespace govmail::imap {

// The message PARTS make, or the reply that refuses it.
boost::asio::awaitable<std::variant<std::string, Reply>> catenate(
    Session& s, const std::vector<CatenatePart>& parts, std::uint64_t max_size
);

}  // namespace govmail::imap
