#include "auth/sasl_messages.hpp"

#include <vector>

#include "common/ascii.hpp"
#include "common/utf8.hpp"

namespace govmail::auth {
namespace {

constexpr char kSeparator = '\x01';
constexpr std::size_t kMaxTokenLength = 8192;
// RFC 4616 section 2 requires accepting 255 octets per part; longer parts are refused.
constexpr std::size_t kMaxPlainPart = 255;

// Splits "k=v\x01k=v\x01\x01" into key/value pairs; nullopt unless it ends in \x01\x01.
std::optional<std::vector<std::pair<std::string_view, std::string_view>>> split_kvpairs(
    std::string_view text
) {
    if (!text.ends_with("\x01\x01")) {
        return std::nullopt;
    }
    text.remove_suffix(1);
    std::vector<std::pair<std::string_view, std::string_view>> pairs;
    while (!text.empty()) {
        const auto end = text.find(kSeparator);
        const auto item = text.substr(0, end);
        const auto eq = item.find('=');
        if (eq == std::string_view::npos || eq == 0) {
            return std::nullopt;
        }
        pairs.emplace_back(item.substr(0, eq), item.substr(eq + 1));
        text.remove_prefix(end + 1);
    }
    return pairs;
}

// "Bearer <token>" (scheme case-insensitive, RFC 6750 token68 characters).
std::optional<std::string> bearer_token(std::string_view auth) {
    constexpr std::string_view kScheme = "bearer ";
    if (auth.size() <= kScheme.size()) {
        return std::nullopt;
    }
    if (!ascii::istarts_with(auth, kScheme)) {
        return std::nullopt;
    }
    const auto token = auth.substr(kScheme.size());
    if (token.size() > kMaxTokenLength) {
        return std::nullopt;
    }
    for (const char c : token) {
        const auto u = static_cast<unsigned char>(c);
        if (!(std::isalnum(u) || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' ||
              c == '/' || c == '=')) {
            return std::nullopt;
        }
    }
    return std::string(token);
}

// RFC 5801 saslname: "=2C" is ",", "=3D" is "="; any other "=" is invalid.
std::optional<std::string> decode_saslname(std::string_view name) {
    std::string out;
    for (std::size_t i = 0; i < name.size(); ++i) {
        if (name[i] != '=') {
            out.push_back(name[i]);
            continue;
        }
        const auto code = name.substr(i + 1, 2);
        if (code == "2C") {
            out.push_back(',');
        } else if (code == "3D") {
            out.push_back('=');
        } else {
            return std::nullopt;
        }
        i += 2;
    }
    return out;
}

std::optional<BearerMessage> from_pairs(
    std::string authzid, std::string_view rest, std::string_view user_key
) {
    const auto pairs = split_kvpairs(rest);
    if (!pairs) {
        return std::nullopt;
    }
    BearerMessage message{std::move(authzid), {}};
    for (const auto& [key, value] : *pairs) {
        if (key == "auth") {
            auto token = bearer_token(value);
            if (!token) {
                return std::nullopt;
            }
            message.token = std::move(*token);
        } else if (!user_key.empty() && key == user_key) {
            message.authzid = value;
        }
    }
    if (message.token.empty()) {
        return std::nullopt;
    }
    return message;
}

}  // namespace

std::optional<PlainCredentials> parse_plain(std::string_view message) {
    const std::size_t first = message.find('\0');
    const std::size_t second =
        first == std::string_view::npos ? first : message.find('\0', first + 1);
    if (second == std::string_view::npos ||
        message.find('\0', second + 1) != std::string_view::npos) {
        return std::nullopt;
    }
    const std::string_view authzid = message.substr(0, first);
    const std::string_view authcid = message.substr(first + 1, second - first - 1);
    const std::string_view password = message.substr(second + 1);
    for (std::string_view part : {authzid, authcid, password}) {
        if (part.size() > kMaxPlainPart || !is_valid_utf8(part)) {
            return std::nullopt;
        }
    }
    if (authcid.empty() || password.empty()) {
        return std::nullopt;
    }
    return PlainCredentials{std::string(authzid), std::string(authcid), std::string(password)};
}

std::optional<BearerMessage> parse_oauthbearer(std::string_view message) {
    // gs2-header = gs2-cbind-flag "," [ authzid ] "," ; channel binding is not supported.
    if (!message.starts_with("n,") && !message.starts_with("y,")) {
        return std::nullopt;
    }
    message.remove_prefix(2);
    const auto comma = message.find(',');
    if (comma == std::string_view::npos) {
        return std::nullopt;
    }
    std::string authzid;
    const auto authzid_field = message.substr(0, comma);
    if (!authzid_field.empty()) {
        if (!authzid_field.starts_with("a=")) {
            return std::nullopt;
        }
        auto decoded = decode_saslname(authzid_field.substr(2));
        if (!decoded) {
            return std::nullopt;
        }
        authzid = std::move(*decoded);
    }
    message.remove_prefix(comma + 1);
    if (!message.starts_with(kSeparator)) {
        return std::nullopt;
    }
    message.remove_prefix(1);
    return from_pairs(std::move(authzid), message, "");
}

std::optional<BearerMessage> parse_xoauth2(std::string_view message) {
    return from_pairs("", message, "user");
}

std::string oauthbearer_error_json(std::string_view status, std::string_view scope) {
    return std::string(R"({"status":")") + std::string(status) + R"(","scope":")" +
           std::string(scope) + R"("})";
}

}  // namespace govmail::auth
