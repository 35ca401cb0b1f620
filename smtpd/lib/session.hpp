#pragma once

// One SMTP session's state machine (internal to smtpd/lib). The protocol layer
// (smtpd/proto) turns bytes into commands; this class applies RFC 5321's sequencing, the
// listener's policy (MX, submission) and calls storage and auth. Replies are collected and
// flushed when the client has no more pipelined input (RFC 2920) or before waiting on it; the
// session loop (runtime/session_loop.hpp) reads, writes and keeps the deadlines.

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/session_loop.hpp"
#include "smtpd/lib/policy.hpp"
#include "smtpd/lib/server.hpp"
#include "smtpd/proto/bdat_reader.hpp"
#include "smtpd/proto/command.hpp"
#include "smtpd/proto/error.hpp"
#include "smtpd/proto/line_reader.hpp"

namespace govmail::smtpd {

struct Recipient {
    std::string address;                        // local-part@domain as it will be stored
    std::optional<storage::AccountId> account;  // set for local recipients
    smtp::RcptParameters params;
};

struct MailTransaction {
    std::string sender;  // "" for the null sender
    smtp::MailParameters params;
    std::vector<Recipient> recipients;
    // Set by the first BDAT (RFC 3030): the chunk accounting and the octets so far.
    std::optional<smtp::BdatReader> chunks;
    std::string chunked_message;
};

class Session {
public:
    Session(std::unique_ptr<ByteStream> stream, ListenerKind kind, SmtpContext& ctx);
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    boost::asio::awaitable<void> run();

private:
    // I/O.
    // The next command line, or nullopt when the session must end (EOF, timeout, fatal
    // error: the reply is already queued).
    boost::asio::awaitable<std::optional<std::string>> next_line();
    void reply(int code, std::string_view enhanced, std::string_view text);
    void reply(const smtp::Error& error);
    // The 421 the session loop ends the session with.
    void say_farewell(Farewell farewell);
    // Counts a client error and slows the client down; false when it must be disconnected.
    boost::asio::awaitable<bool> count_bad_command();
    // Replies with ERROR and counts it; false when the session must end.
    boost::asio::awaitable<bool> reject(const smtp::Error& error);
    // reject() for a refusal of the policy, ending the session when it must.
    boost::asio::awaitable<void> refuse(const smtp::Error& refusal);
    // The client as the policy (policy.hpp) sees it.
    policy::Client policy_client() const;

    // Commands.
    boost::asio::awaitable<void> dispatch(const smtp::Command& command);
    void on_helo(const smtp::Helo& helo);
    void on_ehlo(const smtp::Ehlo& ehlo);
    boost::asio::awaitable<void> on_starttls();
    boost::asio::awaitable<void> on_auth(const smtp::Auth& auth);
    boost::asio::awaitable<void> on_mail(const smtp::MailFrom& mail);
    boost::asio::awaitable<void> on_rcpt(const smtp::RcptTo& rcpt);
    boost::asio::awaitable<void> on_data();
    boost::asio::awaitable<void> on_bdat(const smtp::Bdat& chunk);

    // AUTH helpers: the client's response to a 334 challenge (nullopt: session ends or the
    // exchange was cancelled/invalid, reply queued).
    boost::asio::awaitable<std::optional<std::string>> sasl_response(std::string_view challenge);
    boost::asio::awaitable<void> finish_login(auth::LoginAttempt attempt, bool bearer);

    // DATA and BDAT helpers.
    // True when the transaction has recipients to deliver a message to; otherwise the
    // refusal is queued.
    bool ready_for_message();
    // Hands the pending input to STEP, which consumes what it takes and returns true once it
    // has all it needs; reads more until then, within the DATA deadline. False when the
    // session must end (EOF, timeout, shutdown).
    boost::asio::awaitable<bool> read_until(std::function<bool(std::string_view&)> step);
    boost::asio::awaitable<std::optional<std::string>> read_message();
    boost::asio::awaitable<void> store_message(std::string message);

    bool tls_active() const { return loop_.stream().is_tls(); }
    bool is_submission() const { return kind_ != ListenerKind::Mx; }
    bool auth_offered() const { return is_submission() && tls_active() && ctx_.authenticator; }
    void reset_transaction() { transaction_.reset(); }

    ListenerKind kind_;
    SmtpContext& ctx_;
    smtp::LineReader lines_;
    std::string output_;
    SessionLoop loop_;
    std::string helo_;
    bool esmtp_ = false;
    bool quit_ = false;
    std::optional<storage::Account> account_;
    std::optional<MailTransaction> transaction_;
};

}  // namespace govmail::smtpd
