#pragma once

// The ManageSieve command table (as imapd/cmd/command_table.hpp): each command's state flags,
// in the order of the Request alternatives (managesieve/proto/requests.hpp). The session
// checks them before the command's arguments and runs the handler only when they allow it, so
// each state refusal is one line here.

#include <cstddef>
#include <optional>
#include <string>

namespace govmail::managesieve {

enum CommandFlag : unsigned {
    kPreAuthOnly = 1U << 0,    // refused once logged in (AUTHENTICATE)
    kRequiresTls = 1U << 1,    // credentials travel only over TLS (AUTHENTICATE)
    kBeforeTls = 1U << 2,      // refused once TLS is active (STARTTLS)
    kRequiresLogin = 1U << 3,  // the script commands
};

struct SessionState {
    bool logged_in = false;
    bool tls = false;
};

// The flags of the Request alternative INDEX (request_index()).
unsigned command_flags(std::size_t index);

// The NO response refusing a command with FLAGS in STATE, or nullopt when it may run. A
// refusal is not counted as a bad command.
std::optional<std::string> state_refusal(unsigned flags, const SessionState& state);

}  // namespace govmail::managesieve
