#include "managesieve/proto/requests.hpp"

#include <array>
#include <charconv>

#include "common/ascii.hpp"

namespace govmail::managesieve {
namespace {

using Args = std::vector<std::string>;
using Parsed = std::variant<Request, RequestError>;

RequestError argument_error(std::string text) {
    return RequestError{RequestError::Kind::Arguments, std::move(text)};
}

template <class T>
Parsed no_arguments(Args&&) {
    return T{};
}

Parsed noop(Args&& args) { return Noop{args.empty() ? std::string() : std::move(args[0])}; }

Parsed authenticate(Args&& args) {
    if (args.empty() || args.size() > 2) {
        return argument_error("AUTHENTICATE needs a mechanism name");
    }
    Authenticate request{ascii::upper(args[0]), std::nullopt};
    if (args.size() == 2) {
        request.initial_response = std::move(args[1]);
    }
    return request;
}

Parsed have_space(Args&& args) {
    std::size_t size = 0;
    const auto& text = args[1];
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), size);
    if (ec != std::errc() || end != text.data() + text.size()) {
        return argument_error("HAVESPACE needs a script name and a size");
    }
    return HaveSpace{std::move(args[0]), size};
}

Parsed put_script(Args&& args) { return PutScript{std::move(args[0]), std::move(args[1])}; }
Parsed check_script(Args&& args) { return CheckScript{std::move(args[0])}; }
Parsed get_script(Args&& args) { return GetScript{std::move(args[0])}; }
Parsed set_active(Args&& args) { return SetActive{std::move(args[0])}; }
Parsed delete_script(Args&& args) { return DeleteScript{std::move(args[0])}; }
Parsed rename_script(Args&& args) { return RenameScript{std::move(args[0]), std::move(args[1])}; }

constexpr std::size_t kAnyCount = static_cast<std::size_t>(-1);

struct Grammar {
    std::string_view name;
    std::size_t arguments;  // exactly this many, or kAnyCount when the parser checks
    Parsed (*parse)(Args&&);
};

// In the order of the Request alternatives.
constexpr std::array kGrammar{
    Grammar{"CAPABILITY", kAnyCount, no_arguments<Capability>},
    Grammar{"NOOP", kAnyCount, noop},
    Grammar{"LOGOUT", kAnyCount, no_arguments<Logout>},
    Grammar{"STARTTLS", kAnyCount, no_arguments<StartTls>},
    Grammar{"AUTHENTICATE", kAnyCount, authenticate},
    Grammar{"HAVESPACE", 2, have_space},
    Grammar{"PUTSCRIPT", 2, put_script},
    Grammar{"CHECKSCRIPT", 1, check_script},
    Grammar{"LISTSCRIPTS", 0, no_arguments<ListScripts>},
    Grammar{"GETSCRIPT", 1, get_script},
    Grammar{"SETACTIVE", 1, set_active},
    Grammar{"DELETESCRIPT", 1, delete_script},
    Grammar{"RENAMESCRIPT", 2, rename_script},
};
static_assert(kGrammar.size() == std::variant_size_v<Request>);

}  // namespace

std::optional<std::size_t> request_index(std::string_view name) {
    for (std::size_t i = 0; i < kGrammar.size(); ++i) {
        if (kGrammar[i].name == name) {
            return i;
        }
    }
    return std::nullopt;
}

std::variant<Request, RequestError> parse_request(Command&& command) {
    const auto index = request_index(command.name);
    if (!index) {
        return RequestError{RequestError::Kind::Unknown, "Unknown command " + command.name};
    }
    const auto& grammar = kGrammar[*index];
    if (grammar.arguments != kAnyCount && command.args.size() != grammar.arguments) {
        return argument_error(
            command.name + " takes " + std::to_string(grammar.arguments) + " argument(s)"
        );
    }
    return grammar.parse(std::move(command.args));
}

}  // namespace govmail::managesieve
