// ESMTP parameter parser for MAIL and RCPT. Talks to untrusted clients: values are validated
// before use, numbers saturate instead of overflowing, and nothing is echoed back.

#include "smtpd/proto/esmtp_params.hpp"

#include <array>
#include <cstddef>

#include "smtpd/proto/ascii.hpp"

namespace govmail::smtp {

namespace {

constexpr std::size_t kMaxSizeDigits = 20;  // RFC 1870 size-value = 1*20DIGIT
constexpr std::size_t kMaxEnvid = 100;      // RFC 3461 section 4.4
constexpr std::size_t kMaxOrcpt = 500;      // RFC 3461 section 4.2

constexpr Error kBadSyntax{ErrorKind::Syntax, 501, "5.5.4", "Invalid parameter syntax"};
constexpr Error kBadValue{ErrorKind::Syntax, 501, "5.5.4", "Invalid parameter value"};
constexpr Error kDuplicate{ErrorKind::Syntax, 501, "5.5.4", "Duplicate parameter"};
constexpr Error kUnknown{ErrorKind::Syntax, 555, "5.5.4", "Unsupported parameter"};

using Value = std::optional<std::string_view>;

// Sets one parameter in `params` from its value; false when the value is not acceptable.
template <class Params>
struct Rule {
    std::string_view keyword;
    bool (*apply)(Value value, Params& params);
};

// esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")
bool is_keyword(std::string_view keyword) {
    if (keyword.empty() || !ascii::is_alnum(keyword.front())) {
        return false;
    }
    for (char c : keyword) {
        if (!ascii::is_alnum(c) && c != '-') {
            return false;
        }
    }
    return true;
}

// esmtp-value = 1*(%d33-60 / %d62-126)
bool is_value(std::string_view value) {
    if (value.empty()) {
        return false;
    }
    for (char c : value) {
        if (c < 33 || c > 126 || c == '=') {
            return false;
        }
    }
    return true;
}

template <class Params, std::size_t N>
std::variant<Params, Error> parse_parameters(
    std::string_view text, const std::array<Rule<Params>, N>& rules
) {
    Params params;
    std::array<bool, N> seen{};
    if (!text.empty() && text.front() != ' ') {
        return kBadSyntax;
    }
    while (!text.empty()) {
        const std::size_t space = text.find(' ');
        const std::string_view token = text.substr(0, space);
        text.remove_prefix(space == std::string_view::npos ? text.size() : space + 1);
        if (token.empty()) {
            continue;  // tolerate repeated or trailing spaces, as Postfix does
        }
        const std::size_t equals = token.find('=');
        const std::string_view keyword = token.substr(0, equals);
        const Value value =
            equals == std::string_view::npos ? Value{} : Value{token.substr(equals + 1)};
        if (!is_keyword(keyword) || (value && !is_value(*value))) {
            return kBadSyntax;
        }
        std::size_t index = 0;
        while (index < N && !ascii::iequals(rules[index].keyword, keyword)) {
            ++index;
        }
        if (index == N) {
            return kUnknown;
        }
        if (seen[index]) {
            return kDuplicate;
        }
        seen[index] = true;
        if (!rules[index].apply(value, params)) {
            return kBadValue;
        }
    }
    return params;
}

// Maps a case-insensitive keyword value to an enumerator; false when none matches.
template <class Enum, std::size_t N>
bool pick(Value value, const std::array<std::pair<std::string_view, Enum>, N>& choices, Enum& out) {
    if (!value) {
        return false;
    }
    for (const auto& [name, choice] : choices) {
        if (ascii::iequals(name, *value)) {
            out = choice;
            return true;
        }
    }
    return false;
}

bool apply_size(Value value, MailParameters& params) {
    std::uint64_t size = 0;
    if (!value || !ascii::parse_decimal(*value, kMaxSizeDigits, size)) {
        return false;
    }
    params.size = size;
    return true;
}

bool apply_body(Value value, MailParameters& params) {
    constexpr std::array<std::pair<std::string_view, Body>, 3> kBodies{{
        {"7BIT", Body::SevenBit},
        {"8BITMIME", Body::EightBitMime},
        {"BINARYMIME", Body::BinaryMime},
    }};
    Body body{};
    if (!pick(value, kBodies, body)) {
        return false;
    }
    params.body = body;
    return true;
}

bool apply_smtputf8(Value value, MailParameters& params) {
    params.smtputf8 = !value;
    return params.smtputf8;
}

bool apply_ret(Value value, MailParameters& params) {
    constexpr std::array<std::pair<std::string_view, DsnReturn>, 2> kReturns{{
        {"FULL", DsnReturn::Full},
        {"HDRS", DsnReturn::Headers},
    }};
    DsnReturn ret{};
    if (!pick(value, kReturns, ret)) {
        return false;
    }
    params.ret = ret;
    return true;
}

bool apply_envid(Value value, MailParameters& params) {
    if (!value || value->size() > kMaxEnvid) {
        return false;
    }
    params.envid = decode_xtext(*value);
    return params.envid.has_value();
}

bool apply_auth(Value value, MailParameters& params) {
    if (!value) {
        return false;
    }
    params.auth = decode_xtext(*value);
    return params.auth.has_value();
}

bool apply_notify(Value value, RcptParameters& params) {
    if (!value) {
        return false;
    }
    if (ascii::iequals(*value, "NEVER")) {
        params.notify = Notify{};
        return true;
    }
    Notify notify;
    std::string_view list = *value;
    while (true) {
        const std::size_t comma = list.find(',');
        const std::string_view item = list.substr(0, comma);
        if (ascii::iequals(item, "SUCCESS")) {
            notify.success = true;
        } else if (ascii::iequals(item, "FAILURE")) {
            notify.failure = true;
        } else if (ascii::iequals(item, "DELAY")) {
            notify.delay = true;
        } else {
            return false;  // also NEVER combined with others (RFC 3461 section 4.1)
        }
        if (comma == std::string_view::npos) {
            break;
        }
        list.remove_prefix(comma + 1);
    }
    params.notify = notify;
    return true;
}

// ORCPT = addr-type ";" xtext, addr-type an RFC 5322 atom.
bool apply_orcpt(Value value, RcptParameters& params) {
    if (!value || value->size() > kMaxOrcpt) {
        return false;
    }
    const std::size_t semicolon = value->find(';');
    if (semicolon == 0 || semicolon == std::string_view::npos) {
        return false;
    }
    const std::string_view type = value->substr(0, semicolon);
    for (char c : type) {
        if (!ascii::is_atext(c)) {
            return false;
        }
    }
    std::optional<std::string> address = decode_xtext(value->substr(semicolon + 1));
    if (!address || address->empty()) {
        return false;
    }
    params.orcpt = OriginalRecipient{std::string(type), std::move(*address)};
    return true;
}

constexpr std::array<Rule<MailParameters>, 6> kMailRules{{
    {"SIZE", apply_size},
    {"BODY", apply_body},
    {"SMTPUTF8", apply_smtputf8},
    {"RET", apply_ret},
    {"ENVID", apply_envid},
    {"AUTH", apply_auth},
}};

constexpr std::array<Rule<RcptParameters>, 2> kRcptRules{{
    {"NOTIFY", apply_notify},
    {"ORCPT", apply_orcpt},
}};

int hex_value(char c) {
    if (ascii::is_digit(c)) {
        return c - '0';
    }
    const char upper = ascii::to_upper(c);
    return upper >= 'A' && upper <= 'F' ? upper - 'A' + 10 : -1;
}

}  // namespace

std::variant<MailParameters, Error> parse_mail_parameters(std::string_view text) {
    return parse_parameters(text, kMailRules);
}

std::variant<RcptParameters, Error> parse_rcpt_parameters(std::string_view text) {
    return parse_parameters(text, kRcptRules);
}

std::optional<std::string> decode_xtext(std::string_view xtext) {
    std::string decoded;
    decoded.reserve(xtext.size());
    for (std::size_t i = 0; i < xtext.size(); ++i) {
        const char c = xtext[i];
        if (c < 33 || c > 126 || c == '=') {
            return std::nullopt;
        }
        if (c != '+') {
            decoded.push_back(c);
            continue;
        }
        // RFC 3461 asks for upper-case hex digits; lower case is accepted too.
        const int high = i + 1 < xtext.size() ? hex_value(xtext[i + 1]) : -1;
        const int low = i + 2 < xtext.size() ? hex_value(xtext[i + 2]) : -1;
        if (high < 0 || low < 0) {
            return std::nullopt;
        }
        decoded.push_back(static_cast<char>(high * 16 + low));
        i += 2;
    }
    return decoded;
}

}  // namespace govmail::smtp
