#pragma once

// The one place where failures become IMAP replies (STYLE.md "Errors"): user and policy
// failures are NO with a response code (RFC 5530), internal ones NO [SERVERBUG] with the
// details in the log only. Syntax errors are BAD and come from the protocol layer.

#include <boost/system/error_code.hpp>
#include <string_view>

#include "imapd/cmd/session.hpp"

namespace govmail::imap {

// What a missing mailbox means to the command: SELECT and friends say NONEXISTENT, APPEND,
// COPY and MOVE say TRYCREATE (RFC 3501 sections 6.3.11 and 6.4.7).
enum class MissingMailbox { Nonexistent, TryCreate };

// The reply for a failed storage call. Logs internal failures with the session id. When the
// database could not say whether the command's change was committed (storage::Errc::InDoubt)
// there is no honest tagged reply: the session ends with BYE, leaving the command unanswered,
// as a lost connection would (a client that retries an APPEND then may store it twice, but
// none is told a stored message was refused or a lost one stored).
Reply storage_failure(
    Session& session,
    const boost::system::error_code& error,
    MissingMailbox missing = MissingMailbox::Nonexistent
);

// "NO [CODE] text".
Reply refuse(std::string_view code, std::string_view text);

}  // namespace govmail::imap
