// One ManageSieve connection (RFC 5804): greeting with the capabilities, STARTTLS,
// AUTHENTICATE, the session commands here and the script commands of script_commands.cpp.
// The session loop (runtime/session_loop.hpp) reads, writes and keeps the deadlines.

#include <spdlog/spdlog.h>

#include <atomic>
#include <functional>

#include "auth/sasl_messages.hpp"
#include "common/base64.hpp"
#include "common/logging.hpp"
#include "managesieve/lib/script_commands.hpp"
#include "managesieve/lib/service.hpp"
#include "managesieve/proto/response.hpp"
#include "managesieve/proto/sieve_vacation.hpp"
#include "runtime/session_loop.hpp"

namespace govmail::managesieve {
namespace {

namespace asio = boost::asio;
using asio::awaitable;

constexpr auto kFarewells = bye_texts("Idle for too long");

std::string next_session_id() {
    static std::atomic<std::uint64_t> counter{0};
    return "s" + std::to_string(++counter);
}

ReaderLimits limits_before_login() {
    ReaderLimits limits;
    limits.max_literal = 8 * 1024;  // a SASL message
    return limits;
}

ReaderLimits limits_after_login() {
    ReaderLimits limits;
    limits.max_literal = kMaxScriptBytes;
    return limits;
}

class Session {
public:
    Session(std::unique_ptr<ByteStream> stream, ManageSieveService& service)
        : service_(service),
          id_(next_session_id()),
          loop_(
              std::move(stream),
              out_,
              service.sessions,
              limits_of(service.config.managesieve),
              std::bind_front(&Session::say_farewell, this)
          ) {}
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    awaitable<void> run() {
        spdlog::info(
            "managesieve {}: connection from {}", id_, loop_.stream().peer_address().to_string()
        );
        out_ = capabilities() + ok("govmail ManageSieve ready");
        while (!closed_) {
            auto command = co_await next_command();
            if (!command) {
                break;
            }
            co_await dispatch(std::move(*command));
        }
        co_await loop_.close();
        spdlog::info("managesieve {}: connection closed", id_);
    }

private:
    bool logged_in() const { return account_ != 0; }

    std::string capabilities() const {
        std::string out = "\"IMPLEMENTATION\" \"govmail\"\r\n";
        // Plaintext mechanisms only over TLS; before it there are none to offer.
        const bool tls = loop_.stream().is_tls();
        out += std::string("\"SASL\" ") + (tls ? "\"PLAIN EXTERNAL\"" : "\"\"") + "\r\n";
        out += "\"SIEVE\" " + sieve_string(kSieveExtensions) + "\r\n";
        if (!tls) {
            out += "\"STARTTLS\"\r\n";
        }
        out += "\"VERSION\" \"1.0\"\r\n";
        return out;
    }

    void say_bye(std::string_view text) {
        out_ += bye(text);
        closed_ = true;
    }

    // The BYE the session loop ends the session with.
    void say_farewell(Farewell farewell) { say_bye(words_for(kFarewells, farewell)); }

    // The next command (or, when ARGUMENTS_ONLY, the next line of arguments). The whole of it
    // must arrive within the login or idle timeout, so a client that trickles bytes (slow
    // loris) is ended as one that sends nothing.
    awaitable<std::optional<Command>> next_command(bool arguments_only = false) {
        const auto limits = logged_in() ? limits_after_login() : limits_before_login();
        loop_.start_deadline();
        for (;;) {
            auto& input = loop_.input();
            std::string_view pending(input);
            auto event =
                arguments_only ? read_arguments(pending, limits) : read_command(pending, limits);
            input.erase(0, input.size() - pending.size());
            if (auto* command = std::get_if<Command>(&event)) {
                co_return std::move(*command);
            }
            if (auto* error = std::get_if<ReadError>(&event)) {
                spdlog::debug("managesieve {}: bad input: {}", id_, error->text);
                if (error->fatal || arguments_only) {
                    say_bye(error->text);
                    co_return std::nullopt;
                }
                if (loop_.count_bad_command()) {
                    co_return std::nullopt;
                }
                out_ += no(error->text);
                loop_.start_deadline();
                continue;
            }
            const bool more = co_await loop_.answer_then_read();
            if (!more) {
                closed_ = true;
                co_return std::nullopt;
            }
        }
    }

    awaitable<void> dispatch(Command command) {
        const auto& name = command.name;
        if (name == "CAPABILITY") {
            out_ += capabilities() + ok();
        } else if (name == "NOOP") {
            // RFC 5804 2.11: a tag argument comes back in a TAG response code.
            const auto tag = command.args.empty() ? std::string() : command.args[0];
            out_ += response("OK", tag.empty() ? "" : "TAG " + sieve_string(tag), "Done");
        } else if (name == "LOGOUT") {
            out_ += ok("Bye");
            closed_ = true;
        } else if (name == "STARTTLS") {
            co_await start_tls();
        } else if (name == "AUTHENTICATE") {
            co_await authenticate(std::move(command));
        } else if (!logged_in()) {
            out_ += no(known(name) ? "Authenticate first" : "Unknown command " + name);
            count_bad(known(name));
        } else {
            const ScriptContext context{service_.pool, account_, id_};
            auto response = co_await run_script_command(context, std::move(command));
            if (response) {
                out_ += *response;
            } else {
                out_ += no("Unknown command " + name);
                count_bad(false);
            }
        }
    }

    static bool known(std::string_view name) {
        for (const auto* k :
             {"HAVESPACE", "PUTSCRIPT", "CHECKSCRIPT", "LISTSCRIPTS", "GETSCRIPT", "SETACTIVE",
              "DELETESCRIPT", "RENAMESCRIPT"}) {
            if (name == k) {
                return true;
            }
        }
        return false;
    }

    // A command the client may not know is counted as bad (the loop says BYE at the limit).
    void count_bad(bool known_command) {
        if (!known_command) {
            loop_.count_bad_command();
        }
    }

    awaitable<void> start_tls() {
        if (loop_.stream().is_tls()) {
            out_ += no("TLS is already active");
            co_return;
        }
        out_ += ok("Begin TLS negotiation now");
        // Plaintext pipelined after STARTTLS is discarded by the loop (CVE-2011-0411).
        const bool secured = co_await loop_.start_tls(service_.tls);
        if (!secured) {
            closed_ = true;
            co_return;
        }
        out_ += capabilities() + ok("TLS active");  // RFC 5804 2.2: capabilities again
    }

    // The SASL message of the exchange: the initial response, or the client's answer to
    // an empty challenge; nullopt after a response was queued (or the session ended).
    awaitable<std::optional<std::string>> sasl_message(const Command& command) {
        std::string encoded;
        if (command.args.size() == 2) {
            encoded = command.args[1];
        } else {
            out_ += "\"\"\r\n";
            auto answer = co_await next_command(true);
            if (!answer) {
                co_return std::nullopt;
            }
            if (answer->args.size() != 1 || answer->args[0] == "*") {
                out_ += no("Authentication cancelled");
                co_return std::nullopt;
            }
            encoded = answer->args[0];
        }
        auto decoded = decode_base64_strict(encoded);
        if (!decoded) {
            out_ += no("Invalid base64 in SASL message");
            co_return std::nullopt;
        }
        co_return std::move(*decoded);
    }

    awaitable<void> authenticate(Command command) {
        if (logged_in()) {
            out_ += no("Already authenticated");
            co_return;
        }
        if (!loop_.stream().is_tls()) {
            out_ += no("Authentication needs TLS; use STARTTLS first", "ENCRYPT-NEEDED");
            co_return;
        }
        if (command.args.empty() || command.args.size() > 2) {
            out_ += no("AUTHENTICATE needs a mechanism name");
            co_return;
        }
        std::string mechanism = command.args[0];
        for (auto& c : mechanism) {
            c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        }
        if (mechanism != "PLAIN" && mechanism != "EXTERNAL") {
            out_ += no("Unsupported authentication mechanism");
            co_return;
        }
        auto message = co_await sasl_message(command);
        if (!message) {
            co_return;
        }
        auth::LoginAttempt attempt;
        attempt.tls = loop_.stream().tls_handle();
        attempt.source = loop_.stream().peer_address();
        attempt.service = "sieve";
        if (mechanism == "PLAIN") {
            auto plain = auth::parse_plain(*message);
            if (!plain) {
                out_ += no("Malformed PLAIN message");
                co_return;
            }
            attempt.method = auth::Method::Password;
            attempt.authzid = std::move(plain->authzid);
            attempt.user = std::move(plain->authcid);
            attempt.secret = std::move(plain->password);
        } else {
            attempt.method = auth::Method::External;
            attempt.authzid = std::move(*message);
        }
        co_await login(attempt);
    }

    awaitable<void> login(const auth::LoginAttempt& attempt) {
        if (service_.authenticator == nullptr) {
            out_ += no("Login is not available yet, try again later", "TRYLATER");
            co_return;
        }
        const auto result = co_await service_.authenticator->login(attempt);
        if (result.account) {
            account_ = result.account->id;
            loop_.logged_in(account_);
            spdlog::info("managesieve {}: logged in as {}", id_, result.account->address);
            out_ += ok("Logged in");
            co_return;
        }
        if (result.temporary) {
            out_ += no("Temporary authentication failure, try again later", "TRYLATER");
            co_return;
        }
        out_ += no(result.failure_text.empty() ? "Authentication failed" : result.failure_text);
    }

    ManageSieveService& service_;
    std::string id_;
    std::string out_;
    SessionLoop loop_;
    storage::AccountId account_ = 0;
    bool closed_ = false;
};

}  // namespace

awaitable<void> serve_managesieve(std::unique_ptr<ByteStream> stream, ManageSieveService& service) {
    Session session(std::move(stream), service);
    co_await session.run();
}

}  // namespace govmail::managesieve
