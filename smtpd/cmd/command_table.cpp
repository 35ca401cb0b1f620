#include "smtpd/cmd/command_table.hpp"

#include <array>

#include "common/variant.hpp"
#include "smtpd/lib/session.hpp"

namespace govmail::smtpd {
namespace {

template <class T, boost::asio::awaitable<void> (Session::*Handle)(const T&)>
boost::asio::awaitable<void> call(Session& session, const smtp::Command& command) {
    return (session.*Handle)(std::get<T>(command));
}

template <class T, boost::asio::awaitable<void> (Session::*Handle)(const T&)>
constexpr CommandSpec spec(std::string_view name, unsigned flags, Handler refused = nullptr) {
    return CommandSpec{variant_index_v<T, smtp::Command>, name, flags, &call<T, Handle>, refused};
}

constexpr unsigned kAuth = kRequiresAuthService | kRequiresTls | kBeforeAuth | kNotInTransaction;
constexpr unsigned kMessage = kRequiresTransaction | kRequiresRecipients;

// In the order of the smtp::Command alternatives (checked below).
constexpr std::array kCommands{
    spec<smtp::Helo, &Session::on_helo>("HELO", 0),
    spec<smtp::Ehlo, &Session::on_ehlo>("EHLO", 0),
    spec<smtp::MailFrom, &Session::on_mail>("MAIL", kRequiresHelo | kStartsTransaction),
    spec<smtp::RcptTo, &Session::on_rcpt>("RCPT", kRequiresTransaction),
    spec<smtp::Data, &Session::on_data>("DATA", kMessage | kNotAfterBdat),
    // A refused chunk's octets follow all the same (RFC 3030 2): they are read and dropped.
    spec<smtp::Bdat, &Session::on_bdat>("BDAT", kMessage, &call<smtp::Bdat, &Session::drop_chunk>),
    spec<smtp::Rset, &Session::on_rset>("RSET", 0),
    spec<smtp::Noop, &Session::on_noop>("NOOP", 0),
    spec<smtp::Vrfy, &Session::on_vrfy>("VRFY", 0),
    spec<smtp::Expn, &Session::on_expn>("EXPN", 0),
    spec<smtp::Help, &Session::on_help>("HELP", 0),
    spec<smtp::Quit, &Session::on_quit>("QUIT", 0),
    spec<smtp::StartTls, &Session::on_starttls>("STARTTLS", kBeforeTls),
    spec<smtp::Auth, &Session::on_auth>("AUTH", kAuth),
};

static_assert(
    lists_alternatives_in_order<smtp::Command>(kCommands),
    "kCommands must list every smtp::Command type in order"
);

constexpr smtp::Error refusal(int code, std::string_view enhanced, std::string_view text) {
    return smtp::Error{smtp::ErrorKind::Policy, code, enhanced, text};
}

struct Rule {
    CommandFlag flag{};
    bool (*refuses)(const SequenceState&) = nullptr;
    smtp::Error reply;
};

// The checks in the order they are made.
constexpr std::array kRules{
    Rule{
        kRequiresAuthService, [](const SequenceState& s) { return !s.auth_service; },
        refusal(502, "5.5.1", "AUTH not available on this port")},
    Rule{
        kRequiresTls, [](const SequenceState& s) { return !s.tls; },
        refusal(538, "5.7.11", "Encryption required for requested authentication mechanism")},
    Rule{
        kBeforeTls, [](const SequenceState& s) { return s.tls; },
        refusal(503, "5.5.1", "TLS already active")},
    Rule{
        kBeforeAuth, [](const SequenceState& s) { return s.authenticated; },
        refusal(503, "5.5.1", "Already authenticated")},
    Rule{
        kRequiresHelo, [](const SequenceState& s) { return !s.greeted; },
        refusal(503, "5.5.1", "Send HELO/EHLO first")},
    Rule{
        kStartsTransaction, [](const SequenceState& s) { return s.in_transaction; },
        refusal(503, "5.5.1", "Nested MAIL command")},
    Rule{
        kNotInTransaction, [](const SequenceState& s) { return s.in_transaction; },
        refusal(503, "5.5.1", "AUTH not allowed during a mail transaction")},
    Rule{
        kRequiresTransaction, [](const SequenceState& s) { return !s.in_transaction; },
        refusal(503, "5.5.1", "Need MAIL command")},
    Rule{
        kRequiresRecipients, [](const SequenceState& s) { return !s.has_recipients; },
        refusal(554, "5.5.1", "No valid recipients")},
    Rule{
        kNotAfterBdat, [](const SequenceState& s) { return s.chunking; },
        refusal(503, "5.5.1", "DATA not allowed after BDAT")},
};

}  // namespace

const CommandSpec& command_spec(const smtp::Command& command) { return kCommands[command.index()]; }

std::optional<smtp::Error> sequence_refusal(const CommandSpec& spec, const SequenceState& state) {
    for (const auto& rule : kRules) {
        if ((spec.flags & rule.flag) != 0 && rule.refuses(state)) {
            return rule.reply;
        }
    }
    return std::nullopt;
}

boost::asio::awaitable<void> run_command(Session& session, const smtp::Command& command) {
    const auto& spec = command_spec(command);
    if (const auto refused = sequence_refusal(spec, session.sequence_state())) {
        // Out of sequence gets its 503 (RFC 5321 4.1.4) but is not counted as a bad command.
        session.reply(*refused);
        if (spec.refused != nullptr) {
            co_await spec.refused(session, command);
        }
        co_return;
    }
    co_await spec.handler(session, command);
}

}  // namespace govmail::smtpd
