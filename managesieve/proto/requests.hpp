#pragma once

// The typed ManageSieve requests (RFC 5804 section 2): one struct per command, parsed from the
// name and string arguments command_reader.hpp reads. Pure: no I/O, no state. Whether a
// command may run in the session's state is the command table's to say
// (managesieve/lib/command_table.hpp), and is checked before the arguments are.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "managesieve/proto/command_reader.hpp"

namespace govmail::managesieve {

// Session commands (RFC 5804 2.1-2.4, 2.11). CAPABILITY, LOGOUT and STARTTLS ignore any
// arguments, as govmail always has.
struct Capability {
    friend bool operator==(const Capability&, const Capability&) = default;
};

struct Noop {
    std::string tag;  // echoed in a TAG response code when not empty
    friend bool operator==(const Noop&, const Noop&) = default;
};

struct Logout {
    friend bool operator==(const Logout&, const Logout&) = default;
};

struct StartTls {
    friend bool operator==(const StartTls&, const StartTls&) = default;
};

struct Authenticate {
    std::string mechanism;                        // upper-cased
    std::optional<std::string> initial_response;  // still base64
    friend bool operator==(const Authenticate&, const Authenticate&) = default;
};

// Script commands (RFC 5804 2.5-2.10, 2.12).
struct HaveSpace {
    std::string name;
    std::size_t size = 0;
    friend bool operator==(const HaveSpace&, const HaveSpace&) = default;
};

struct PutScript {
    std::string name;
    std::string script;
    friend bool operator==(const PutScript&, const PutScript&) = default;
};

struct CheckScript {
    std::string script;
    friend bool operator==(const CheckScript&, const CheckScript&) = default;
};

struct ListScripts {
    friend bool operator==(const ListScripts&, const ListScripts&) = default;
};

struct GetScript {
    std::string name;
    friend bool operator==(const GetScript&, const GetScript&) = default;
};

struct SetActive {
    std::string name;  // "" switches every script off
    friend bool operator==(const SetActive&, const SetActive&) = default;
};

struct DeleteScript {
    std::string name;
    friend bool operator==(const DeleteScript&, const DeleteScript&) = default;
};

struct RenameScript {
    std::string from;
    std::string to;
    friend bool operator==(const RenameScript&, const RenameScript&) = default;
};

using Request = std::variant<
    Capability,
    Noop,
    Logout,
    StartTls,
    Authenticate,
    HaveSpace,
    PutScript,
    CheckScript,
    ListScripts,
    GetScript,
    SetActive,
    DeleteScript,
    RenameScript>;

struct RequestError {
    enum class Kind {
        Unknown,    // no such command
        Arguments,  // wrong number or form of arguments
    };
    Kind kind;
    std::string text;  // for the NO response
    friend bool operator==(const RequestError&, const RequestError&) = default;
};

// The Request alternative named NAME (upper case), or nullopt when there is no such command.
std::optional<std::size_t> request_index(std::string_view name);

// COMMAND as its typed request, or what is wrong with it.
std::variant<Request, RequestError> parse_request(Command&& command);

}  // namespace govmail::managesieve
