#pragma once

// The one SMTP command table (Postfix smtpd_cmd_table, Dovecot imap-commands.c): each command's
// name, handler and sequencing flags. run_command() checks the flags against the session's
// state before the handler runs, so each RFC 5321 sequencing refusal is one line of the table
// and handlers only do their command's work. What a command may carry (senders, recipients,
// the message) is the policy's to say (smtpd/lib/policy.hpp), not the table's.
// Runs on every command of untrusted clients: the checks are pure and never fail.

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string_view>

#include "smtpd/proto/command.hpp"
#include "smtpd/proto/error.hpp"

namespace govmail::smtpd {

class Session;

enum CommandFlag : unsigned {
    kRequiresAuthService = 1U << 0,  // a submission listener with an authenticator (AUTH)
    kRequiresTls = 1U << 1,          // credentials travel only over TLS (AUTH)
    kBeforeTls = 1U << 2,            // refused once TLS is active (STARTTLS)
    kBeforeAuth = 1U << 3,           // refused once authenticated (AUTH)
    kRequiresHelo = 1U << 4,         // after HELO or EHLO (MAIL)
    kStartsTransaction = 1U << 5,    // refused inside a transaction: no nested MAIL
    kNotInTransaction = 1U << 6,     // refused inside a transaction (AUTH)
    kRequiresTransaction = 1U << 7,  // after MAIL (RCPT, DATA, BDAT)
    kRequiresRecipients = 1U << 8,   // after an accepted RCPT (DATA, BDAT)
    kNotAfterBdat = 1U << 9,         // refused once BDAT started the message (DATA)
};

// What the flags are checked against.
struct SequenceState {
    bool auth_service = false;  // a submission listener with an authenticator
    bool tls = false;
    bool authenticated = false;
    bool greeted = false;  // HELO or EHLO was accepted
    bool in_transaction = false;
    bool has_recipients = false;
    bool chunking = false;  // the transaction's message is arriving in BDAT chunks
};

using Handler = boost::asio::awaitable<void> (*)(Session&, const smtp::Command&);

struct CommandSpec {
    std::size_t index;  // of the command type in smtp::Command
    std::string_view name;
    unsigned flags;
    Handler handler;
    // Runs instead of the handler when the flags refuse the command, after the refusal is
    // queued; null when nothing needs doing.
    Handler refused;
};

const CommandSpec& command_spec(const smtp::Command& command);

// The reply refusing a command with SPEC in STATE, or nullopt when it may run. The checks go
// in a fixed order, so a command refused for several reasons gets the same reply as ever.
std::optional<smtp::Error> sequence_refusal(const CommandSpec& spec, const SequenceState& state);

// Handles COMMAND: the refusal the table gives, or the handler's replies.
boost::asio::awaitable<void> run_command(Session& session, const smtp::Command& command);

}  // namespace govmail::smtpd
