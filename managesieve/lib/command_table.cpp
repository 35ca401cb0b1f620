#include "managesieve/lib/command_table.hpp"

#include <array>

#include "common/variant.hpp"
#include "managesieve/proto/requests.hpp"
#include "managesieve/proto/response.hpp"

namespace govmail::managesieve {
namespace {

constexpr unsigned kAnyState = 0;
constexpr unsigned kLogin = kPreAuthOnly | kRequiresTls;

struct Entry {
    std::size_t index;  // of the request type in Request
    unsigned flags;
};

template <class T>
constexpr Entry entry(unsigned flags) {
    return Entry{variant_index_v<T, Request>, flags};
}

// In the order of the Request alternatives (checked below).
constexpr std::array kCommands{
    entry<Capability>(kAnyState),
    entry<Noop>(kAnyState),
    entry<Logout>(kAnyState),
    entry<StartTls>(kBeforeTls),
    entry<Authenticate>(kLogin),
    entry<HaveSpace>(kRequiresLogin),
    entry<PutScript>(kRequiresLogin),
    entry<CheckScript>(kRequiresLogin),
    entry<ListScripts>(kRequiresLogin),
    entry<GetScript>(kRequiresLogin),
    entry<SetActive>(kRequiresLogin),
    entry<DeleteScript>(kRequiresLogin),
    entry<RenameScript>(kRequiresLogin),
};

static_assert(
    lists_alternatives_in_order<Request>(kCommands),
    "kCommands must list every Request type in order"
);

}  // namespace

unsigned command_flags(std::size_t index) { return kCommands.at(index).flags; }

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
