// One ManageSieve connection (RFC 5804): greeting with the capabilities, STARTTLS,
// AUTHENTICATE, the session commands here and the script commands of script_commands.cpp.
// Each command the command table (command_table.hpp) allows in the session's state is parsed
// into its typed request (managesieve/proto/requests.hpp) and handed to its handler.
// The session loop (runtime/session_loop.hpp) reads, writes and keeps the deadlines.

#include <spdlog/spdlog.h>

#include <atomic>

#include "auth/sasl_server.hpp"
#include "common/base64.hpp"
#include "common/logging.hpp"
#include "common/variant.hpp"
#include "managesieve/lib/command_table.hpp"
#include "managesieve/lib/script_commands.hpp"
#include "managesieve/lib/service.hpp"
#include "managesieve/proto/requests.hpp"
#include "managesieve/proto/response.hpp"
#include "managesieve/proto/sieve_vacation.hpp"
#include "runtime/session_loop.hpp"
#include "runtime/tls.hpp"

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

SessionSettings session_settings(ManageSieveService& service) {
    return {service.sessions, limits_of(service.config.managesieve)};
}

class Session final : public SessionProtocol {
public:
    Session(std::unique_ptr<ByteStream> stream, ManageSieveService& service)
        : service_(service),
          id_(next_session_id()),
          loop_(std::move(stream), out_, session_settings(service), *this) {}
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
        out += "\"SASL\" " + sieve_string(tls ? sasl_mechanism_list() : "") + "\r\n";
        out += "\"SIEVE\" " + sieve_string(kSieveExtensions) + "\r\n";
        if (!tls) {
            out += "\"STARTTLS\"\r\n";
        }
        out += "\"VERSION\" \"1.0\"\r\n";
        return out;
    }

    // The mechanisms auth::SaslServer offers on this connection, space-separated.
    std::string sasl_mechanism_list() const {
        std::string out;
        for (const auto name :
             auth::sasl_mechanisms(client_presented_certificate(loop_.stream().tls_handle()))) {
            out += (out.empty() ? "" : " ") + std::string(name);
        }
        return out;
    }

    void say_bye(std::string_view text) {
        out_ += bye(text);
        closed_ = true;
    }

    // The BYE the session loop ends the session with.
    void say_farewell(Farewell farewell) override { say_bye(words_for(kFarewells, farewell)); }

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

    // The table's state flags first, then the arguments: a script command before login is
    // refused as such whatever its arguments.
    awaitable<void> dispatch(Command command) {
        if (const auto index = request_index(command.name)) {
            const SessionState state{logged_in(), loop_.stream().is_tls()};
            if (auto refusal = state_refusal(command_flags(*index), state)) {
                out_ += *refusal;
                co_return;
            }
        }
        auto parsed = parse_request(std::move(command));
        if (auto* error = std::get_if<RequestError>(&parsed)) {
            out_ += no(error->text);
            if (error->kind == RequestError::Kind::Unknown) {
                count_bad();
            }
            co_return;
        }
        co_await std::visit(
            Overloaded{
                [&](Capability&) -> awaitable<void> {
                    out_ += capabilities() + ok();
                    co_return;
                },
                [&](Noop& noop) -> awaitable<void> {
                    // RFC 5804 2.11: a tag argument comes back in a TAG response code.
                    const auto code = noop.tag.empty() ? "" : "TAG " + sieve_string(noop.tag);
                    out_ += response("OK", code, "Done");
                    co_return;
                },
                [&](Logout&) -> awaitable<void> {
                    out_ += ok("Bye");
                    closed_ = true;
                    co_return;
                },
                [&](StartTls&) { return start_tls(); },
                [&](Authenticate& request) { return authenticate(std::move(request)); },
                [&](auto& script_request) -> awaitable<void> {
                    const ScriptContext context{service_.pool, account_, id_};
                    out_ += co_await run_script_command(context, std::move(script_request));
                },
            },
            std::get<Request>(parsed)
        );
    }

    void count_bad() { loop_.count_bad_command(); }

    awaitable<void> start_tls() {
        out_ += ok("Begin TLS negotiation now");
        // Plaintext pipelined after STARTTLS is discarded by the loop (CVE-2011-0411).
        const bool secured = co_await loop_.start_tls(service_.tls);
        if (!secured) {
            closed_ = true;
            co_return;
        }
        out_ += capabilities() + ok("TLS active");  // RFC 5804 2.2: capabilities again
    }

    // RFC 5804 section 2.1 framing: sends CHALLENGE as a base64 string and reads the client's
    // answer, a base64 string; nullopt after a response was queued (or the session ended).
    awaitable<std::optional<std::string>> sasl_response(std::string_view challenge) {
        out_ += sieve_string(encode_base64(challenge)) + "\r\n";
        auto answer = co_await next_command(true);
        if (!answer) {
            co_return std::nullopt;
        }
        if (answer->args.size() != 1 || answer->args[0] == "*") {
            out_ += no("Authentication cancelled");
            co_return std::nullopt;
        }
        co_return decoded_sasl(answer->args[0]);
    }

    std::optional<std::string> decoded_sasl(std::string_view encoded) {
        auto decoded = decode_base64_strict(encoded);
        if (!decoded) {
            out_ += no("Invalid base64 in SASL message");
        }
        return decoded;
    }

    awaitable<void> authenticate(Authenticate request) {
        const auto mechanism = auth::parse_sasl_mechanism(request.mechanism);
        if (!mechanism) {
            out_ += no("Unsupported authentication mechanism");
            co_return;
        }
        if (service_.authenticator == nullptr) {
            out_ += no("Login is not available yet, try again later", "TRYLATER");
            co_return;
        }
        std::optional<std::string> initial;
        if (request.initial_response) {
            initial = decoded_sasl(*request.initial_response);
            if (!initial) {
                co_return;
            }
        }
        const auto connection = auth::connection_attempt(
            auth::Service::ManageSieve, loop_.stream().tls_handle(), loop_.stream().peer_address()
        );
        const auto outcome = co_await auth::run_sasl(
            *service_.authenticator, auth::SaslServer(*mechanism, connection),
            [this](std::string_view challenge) { return sasl_response(challenge); },
            std::move(initial)
        );
        if (outcome.malformed) {
            out_ += no(*outcome.malformed);
        } else if (outcome.result && !closed_) {
            finish_login(*outcome.result);
        }
    }

    void finish_login(const auth::LoginResult& result) {
        if (result.account) {
            account_ = result.account->id;
            loop_.logged_in(account_);
            spdlog::info("managesieve {}: logged in as {}", id_, result.account->address);
            out_ += ok("Logged in");
            return;
        }
        if (result.temporary) {
            out_ += no("Temporary authentication failure, try again later", "TRYLATER");
            return;
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
