#pragma once

// One SMTP session (internal to smtpd/lib). The protocol layer (smtpd/proto) turns bytes into
// commands; the command table (smtpd/cmd/command_table.hpp) applies RFC 5321's sequencing and
// runs the command's handler (smtpd/cmd/, one file per family), which applies the listener's
// policy (policy.hpp: MX, submission) and calls storage and auth. Replies are collected and
// flushed when the client has no more pipelined input (RFC 2920) or before waiting on it; the
// session loop (runtime/session_loop.hpp) reads, writes and keeps the deadlines.

#include <boost/asio/awaitable.hpp>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "runtime/session_loop.hpp"
#include "smtpd/cmd/command_table.hpp"
#include "smtpd/lib/policy.hpp"
#include "smtpd/lib/server.hpp"
#include "smtpd/proto/bdat_reader.hpp"
#include "smtpd/proto/command.hpp"
#include "smtpd/proto/error.hpp"
#include "smtpd/proto/line_reader.hpp"

namespace govmail::smtpd {

struct Recipient {
    std::string address;  // local-part@domain as it will be stored
    // The local accounts it is delivered to: one for an account, any number for an alias or
    // unit list (smtpd/lib/recipients.hpp). Empty and not local: a remote recipient.
    std::vector<storage::AccountId> accounts;
    std::vector<std::string> forwards;  // addresses elsewhere an alias forwards to (SRS)
    bool local = false;
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

class Session final : public SessionProtocol {
public:
    Session(std::unique_ptr<ByteStream> stream, ListenerKind kind, SmtpContext& ctx);
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    boost::asio::awaitable<void> run();

    // For the command table (smtpd/cmd/command_table.hpp): the state its flags are checked
    // against, the reply to queue, and one handler per command, in smtpd/cmd/ by family.
    SequenceState sequence_state() const;
    void reply(const smtp::Error& error);
    // greeting.cpp
    boost::asio::awaitable<void> on_helo(const smtp::Helo& helo);
    boost::asio::awaitable<void> on_ehlo(const smtp::Ehlo& ehlo);
    // mail_transaction.cpp
    boost::asio::awaitable<void> on_mail(const smtp::MailFrom& mail);
    boost::asio::awaitable<void> on_rcpt(const smtp::RcptTo& rcpt);
    boost::asio::awaitable<void> on_data(const smtp::Data& data);
    boost::asio::awaitable<void> on_bdat(const smtp::Bdat& chunk);
    boost::asio::awaitable<void> drop_chunk(const smtp::Bdat& chunk);
    boost::asio::awaitable<void> on_rset(const smtp::Rset& rset);
    // starttls.cpp
    boost::asio::awaitable<void> on_starttls(const smtp::StartTls& starttls);
    // auth.cpp
    boost::asio::awaitable<void> on_auth(const smtp::Auth& auth);
    // misc.cpp
    boost::asio::awaitable<void> on_noop(const smtp::Noop& noop);
    boost::asio::awaitable<void> on_vrfy(const smtp::Vrfy& vrfy);
    boost::asio::awaitable<void> on_expn(const smtp::Expn& expn);
    boost::asio::awaitable<void> on_help(const smtp::Help& help);
    boost::asio::awaitable<void> on_quit(const smtp::Quit& quit);

private:
    // I/O.
    // The next command line, or nullopt when the session must end (EOF, timeout, fatal
    // error: the reply is already queued).
    boost::asio::awaitable<std::optional<std::string>> next_line();
    void reply(int code, std::string_view enhanced, std::string_view text);
    // The 421 the session loop ends the session with.
    void say_farewell(Farewell farewell) override;
    // Counts a client error and slows the client down; false when it must be disconnected.
    boost::asio::awaitable<bool> count_bad_command();
    // Replies with ERROR and counts it; false when the session must end.
    boost::asio::awaitable<bool> reject(const smtp::Error& error);
    // reject() for a refusal of the policy, ending the session when it must.
    boost::asio::awaitable<void> refuse(const smtp::Error& refusal);
    // The client as the policy (policy.hpp) sees it.
    policy::Client policy_client() const;

    // AUTH helpers: the client's response to a 334 challenge (nullopt: session ends or the
    // exchange was cancelled/invalid, reply queued).
    boost::asio::awaitable<std::optional<std::string>> sasl_response(std::string_view challenge);
    boost::asio::awaitable<void> finish_login(const auth::LoginResult& result);

    // DATA and BDAT helpers.
    // What READER (smtp::DataReader, smtp::BdatReader) makes of input.
    template <class Reader>
    using ReadResult = decltype(std::declval<Reader&>().read(
        std::declval<std::string_view&>(), std::declval<std::string&>()
    ));
    // Hands the pending input to READER, which appends the message octets to MESSAGE, and reads
    // more until it has a result, within the time a DATA phase may take; nullopt when the
    // session must end (EOF, timeout, shutdown).
    template <class Reader>
    boost::asio::awaitable<std::optional<ReadResult<Reader>>> read_body(
        Reader& reader, std::string& message
    );
    boost::asio::awaitable<std::optional<std::string>> read_message();
    boost::asio::awaitable<void> store_message(std::string message);
    // The queue entry of what the transaction's aliases forward elsewhere (no recipients when
    // none), its sender rewritten by SRS; an error when it cannot be made (451).
    boost::asio::awaitable<Result<storage::OutboundEnvelope>> forwarded_envelope(std::int64_t now);
    // end_of_data_scan.cpp: MESSAGE (trace fields and data) as scanned, with the fields the
    // scan adds and where it goes; nullopt when it is refused (reply queued, refusal audited).
    // Unchanged when no scanner is configured.
    struct Scanned {
        std::string message;
        bool junk = false;
    };
    boost::asio::awaitable<std::optional<Scanned>> scan_message(
        std::string message, const std::string& queue_id
    );

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
