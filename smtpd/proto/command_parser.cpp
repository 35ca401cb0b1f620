// SMTP command parser: a verb table and one small function per command. Talks to untrusted
// clients; every error is a fixed reply, client text is never echoed.

#include "smtpd/proto/command_parser.hpp"

#include <array>
#include <cstddef>
#include <utility>

#include "smtpd/proto/ascii.hpp"

namespace govmail::smtp {

namespace {

constexpr std::size_t kMaxBdatDigits = 20;
constexpr std::size_t kMaxMechanism = 20;  // RFC 4422 section 3.1

constexpr Error kBadSyntax{ErrorKind::Syntax, 500, "5.5.2", "Syntax error"};
constexpr Error kBadCharacter{ErrorKind::Syntax, 500, "5.5.2", "Invalid character in command"};
constexpr Error kUnknown{ErrorKind::Unrecognized, 500, "5.5.1", "Command unrecognized"};
constexpr Error kNonSmtp{ErrorKind::Unrecognized, 500, "5.5.1", "Non-SMTP command", true};
constexpr Error kNotImplemented{ErrorKind::Unrecognized, 502, "5.5.1", "Command not implemented"};
constexpr Error kBadArguments{
    ErrorKind::Syntax, 501, "5.5.4", "Syntax error in parameters or arguments"};
constexpr Error kBadBdat{ErrorKind::Syntax, 501, "5.5.4", "Invalid BDAT chunk size", true};
constexpr Error kUtf8NotAllowed{
    ErrorKind::Policy, 553, "5.6.7", "Non-ASCII address requires SMTPUTF8"};

using CommandResult = std::variant<Command, Error>;

// Arguments after the verb, without the separating space.
struct Arguments {
    std::string_view text;
    const CommandContext& context;
};

// Splits off the first space-separated word; leading spaces are skipped.
std::string_view next_word(std::string_view& text) {
    const std::size_t start = text.find_first_not_of(' ');
    if (start == std::string_view::npos) {
        text = {};
        return {};
    }
    text.remove_prefix(start);
    const std::size_t end = text.find(' ');
    const std::string_view word = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end);
    return word;
}

bool only_spaces(std::string_view text) {
    return text.find_first_not_of(' ') == std::string_view::npos;
}

// A command that takes no arguments, e.g. DATA.
template <class T>
CommandResult parse_bare(Arguments args) {
    if (!only_spaces(args.text)) {
        return kBadArguments;
    }
    return T{};
}

// HELO and EHLO: exactly one word.
template <class T>
CommandResult parse_greeting(Arguments args) {
    const std::string_view name = next_word(args.text);
    if (name.empty() || !only_spaces(args.text)) {
        return kBadArguments;
    }
    return T{std::string(name)};
}

// VRFY and EXPN: a non-empty String, kept as sent (the session answers 252 or 502 anyway).
template <class T>
CommandResult parse_lookup(Arguments args) {
    const std::size_t start = args.text.find_first_not_of(' ');
    const std::size_t end = args.text.find_last_not_of(' ');
    if (start == std::string_view::npos) {
        return kBadArguments;
    }
    return T{std::string(args.text.substr(start, end + 1 - start))};
}

// The text after "FROM:" / "TO:": optional spaces (which Postfix and Exim also tolerate),
// then the path. Returns nullopt when the keyword is missing.
std::optional<std::string_view> after_keyword(std::string_view text, std::string_view keyword) {
    if (!ascii::istarts_with(text, keyword)) {
        return std::nullopt;
    }
    text.remove_prefix(keyword.size());
    const std::size_t start = text.find_first_not_of(' ');
    return start == std::string_view::npos ? std::string_view{} : text.substr(start);
}

CommandResult parse_mail(Arguments args) {
    const std::optional<std::string_view> rest = after_keyword(args.text, "FROM:");
    if (!rest) {
        return kBadArguments;
    }
    auto path = parse_path(*rest, PathKind::Reverse);
    if (auto* error = std::get_if<Error>(&path)) {
        return *error;
    }
    auto& parsed = std::get<ParsedPath>(path);
    auto params = parse_mail_parameters(rest->substr(parsed.length));
    if (auto* error = std::get_if<Error>(&params)) {
        return *error;
    }
    auto& mail_params = std::get<MailParameters>(params);
    if (parsed.has_utf8 && !mail_params.smtputf8) {
        return kUtf8NotAllowed;
    }
    return MailFrom{std::move(parsed.mailbox), std::move(mail_params)};
}

CommandResult parse_rcpt(Arguments args) {
    const std::optional<std::string_view> rest = after_keyword(args.text, "TO:");
    if (!rest) {
        return kBadArguments;
    }
    auto path = parse_path(*rest, PathKind::Forward);
    if (auto* error = std::get_if<Error>(&path)) {
        return *error;
    }
    auto& parsed = std::get<ParsedPath>(path);
    if (parsed.has_utf8 && !args.context.smtputf8) {
        return kUtf8NotAllowed;
    }
    auto params = parse_rcpt_parameters(rest->substr(parsed.length));
    if (auto* error = std::get_if<Error>(&params)) {
        return *error;
    }
    return RcptTo{std::move(*parsed.mailbox), std::move(std::get<RcptParameters>(params))};
}

// BDAT chunk-size [SP "LAST"] (RFC 3030 section 2). A bad size is fatal: the number of
// octets that follow is unknown, so the session cannot find the next command.
CommandResult parse_bdat(Arguments args) {
    std::uint64_t size = 0;
    if (!ascii::parse_decimal(next_word(args.text), kMaxBdatDigits, size)) {
        return kBadBdat;
    }
    const std::string_view marker = next_word(args.text);
    if (!(marker.empty() || ascii::iequals(marker, "LAST")) || !only_spaces(args.text)) {
        return kBadBdat;
    }
    return Bdat{size, !marker.empty()};
}

// NOOP [SP String]: the argument is allowed and ignored.
CommandResult parse_noop(Arguments) { return Noop{}; }

CommandResult parse_help(Arguments args) {
    const std::string_view topic = next_word(args.text);
    if (!only_spaces(args.text)) {
        return kBadArguments;
    }
    return Help{topic.empty() ? std::nullopt : std::optional<std::string>(topic)};
}

bool is_mechanism(std::string_view name) {
    if (name.empty() || name.size() > kMaxMechanism) {
        return false;
    }
    for (char c : name) {
        if (!ascii::is_alnum(c) && c != '-' && c != '_') {
            return false;
        }
    }
    return true;
}

// AUTH mechanism [SP initial-response] (RFC 4954 section 4).
CommandResult parse_auth(Arguments args) {
    const std::string_view mechanism = next_word(args.text);
    const std::string_view response = next_word(args.text);
    if (!is_mechanism(mechanism) || !only_spaces(args.text)) {
        return kBadArguments;
    }
    Auth auth;
    for (char c : mechanism) {
        auth.mechanism.push_back(ascii::to_upper(c));
    }
    if (!response.empty()) {
        auth.initial_response = std::string(response);
    }
    return auth;
}

struct Verb {
    std::string_view name;
    CommandResult (*parse)(Arguments args);
};

constexpr std::array<Verb, 14> kVerbs{{
    {"HELO", parse_greeting<Helo>},
    {"EHLO", parse_greeting<Ehlo>},
    {"MAIL", parse_mail},
    {"RCPT", parse_rcpt},
    {"DATA", parse_bare<Data>},
    {"BDAT", parse_bdat},
    {"RSET", parse_bare<Rset>},
    {"NOOP", parse_noop},
    {"VRFY", parse_lookup<Vrfy>},
    {"EXPN", parse_lookup<Expn>},
    {"HELP", parse_help},
    {"QUIT", parse_bare<Quit>},
    {"STARTTLS", parse_bare<StartTls>},
    {"AUTH", parse_auth},
}};

// Obsolete or unoffered RFC 821/1985/2645 verbs: 502 rather than 500.
constexpr std::array<std::string_view, 6> kUnimplementedVerbs{"TURN", "ETRN", "ATRN",
                                                              "SEND", "SOML", "SAML"};

// Someone talking HTTP to the SMTP port (cross-protocol attacks): hang up, as Postfix does.
constexpr std::array<std::string_view, 6> kHttpVerbs{"GET", "POST",    "HEAD",
                                                     "PUT", "CONNECT", "OPTIONS"};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& names, std::string_view verb) {
    for (std::string_view name : names) {
        if (ascii::iequals(name, verb)) {
            return true;
        }
    }
    return false;
}

bool has_control_character(std::string_view line) {
    for (char c : line) {
        if (static_cast<unsigned char>(c) < 32 || c == 127) {
            return true;
        }
    }
    return false;
}

}  // namespace

CommandResult parse_command(std::string_view line, const CommandContext& context) {
    if (has_control_character(line)) {
        return kBadCharacter;
    }
    const std::size_t space = line.find(' ');
    const std::string_view verb = line.substr(0, space);
    const std::string_view rest =
        space == std::string_view::npos ? std::string_view{} : line.substr(space + 1);
    if (verb.empty()) {
        return kBadSyntax;
    }
    for (const Verb& known : kVerbs) {
        if (ascii::iequals(known.name, verb)) {
            return known.parse(Arguments{rest, context});
        }
    }
    if (contains(kUnimplementedVerbs, verb)) {
        return kNotImplemented;
    }
    if (contains(kHttpVerbs, verb) || verb.back() == ':') {
        return kNonSmtp;
    }
    return kUnknown;
}

}  // namespace govmail::smtp
