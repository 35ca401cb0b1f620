#pragma once

// The one IMAP command table (Dovecot imap-commands.c): each command's name, handler and
// flags. run_command() enforces state, TLS and read-only from the flags, runs the handler,
// queues the mailbox updates RFC 3501 section 7.4.1 allows after it, and the tagged reply.

#include <boost/asio/awaitable.hpp>
#include <string_view>

#include "imapd/cmd/session.hpp"
#include "imapd/proto/commands.hpp"

namespace govmail::imap {

enum CommandFlag : unsigned {
    kAllowedPreAuth = 1U << 0,    // allowed before login
    kPreAuthOnly = 1U << 1,       // refused after login (LOGIN, AUTHENTICATE, STARTTLS)
    kRequiresTls = 1U << 2,       // credentials: NO [PRIVACYREQUIRED] without TLS
    kRequiresSelected = 1U << 3,  // needs a selected mailbox
    kUsesSeqs = 1U << 4,          // non-UID form names message numbers: no EXPUNGE after it
    kWritesMailbox = 1U << 5,     // refused in a mailbox opened with EXAMINE
    kEndsSession = 1U << 6,       // nothing to catch up on afterwards (LOGOUT)
};

struct CommandSpec {
    std::size_t index;  // of the request type in Request
    std::string_view name;
    unsigned flags;
    boost::asio::awaitable<Reply> (*handler)(Session&, const Request&);
};

const CommandSpec& command_spec(const Request& request);

// Handles COMMAND completely, leaving every response in session.out.
boost::asio::awaitable<void> run_command(Session& session, const Command& command);

}  // namespace govmail::imap
