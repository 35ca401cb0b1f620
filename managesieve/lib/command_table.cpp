#include "managesieve/lib/command_table.hpp"

#include <array>

#include "managesieve/proto/requests.hpp"
#include "managesieve/proto/response.hpp"

namespace govmail::managesieve {
namespace {

constexpr unsigned kAnyState = 0;
constexpr unsigned kTlsStart = kBeforeTls;
constexpr unsigned kLogin = kPreAuthOnly | kRequiresTls;
constexpr unsigned kScript = kRequiresLogin;

// In the order of the Request alternatives.
constexpr std::array kFlags{
    kAnyState,  // CAPABILITY
    kAnyState,  // NOOP
    kAnyState,  // LOGOUT
    kTlsStart,  // STARTTLS
    kLogin,     // AUTHENTICATE
    kScript,    // HAVESPACE
    kScript,    // PUTSCRIPT
    kScript,    // CHECKSCRIPT
    kScript,    // LISTSCRIPTS
    kScript,    // GETSCRIPT
    kScript,    // SETACTIVE
    kScript,    // DELETESCRIPT
    kScript,    // RENAMESCRIPT
};
static_assert(kFlags.size() == std::variant_size_v<Request>, "one entry per Request type");

}  // namespace

unsigned command_flags(std::size_t index) { return kFlags.at(index); }

std::optional<std::string> state_refusal(unsigned flags, const SessionState& state) {
    if ((flags & kPreAuthOnly) != 0 && state.logged_in) {
        return no("Already authenticated");
    }
    if ((flags & kRequiresTls) != 0 && !state.tls) {
        return no("Authentication needs TLS; use STARTTLS first", "ENCRYPT-NEEDED");
    }
    if ((flags & kBeforeTls) != 0 && state.tls) {
        return no("TLS is already active");
    }
    if ((flags & kRequiresLogin) != 0 && !state.logged_in) {
        return no("Authenticate first");
    }
    return std::nullopt;
}

}  // namespace govmail::managesieve
