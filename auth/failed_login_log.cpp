#include "auth/failed_login_log.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>

#include "common/logging.hpp"

namespace govmail::auth {
namespace {

constexpr std::size_t kShownUser = 100;

// TEXT made printable (common/logging.hpp) and quoted, with " escaped as well.
std::string quoted(std::string_view text, std::size_t max) {
    std::string out = "\"";
    for (const char c : printable(text, max)) {
        if (c == '"') {
            out += "\\x22";
        } else {
            out.push_back(c);
        }
    }
    return out + "\"";
}

}  // namespace

bool is_failed_login(std::string_view audit_action) {
    constexpr std::array<std::string_view, 5> kFailures{
        "login.failure", "login.refused", "login.code_wrong", "login.code_void",
        "login.code_limit"};
    return std::find(kFailures.begin(), kFailures.end(), audit_action) != kFailures.end();
}

std::string failed_login_line(
    std::string_view remote,
    std::string_view service,
    std::string_view method,
    std::string_view user,
    std::string_view reason
) {
    return "auth: login failed: remote=" + std::string(remote) +
           " service=" + std::string(service) + " method=" + std::string(method) +
           " user=" + quoted(user, kShownUser) + " reason=" + quoted(reason, reason.size());
}

void log_failed_login(
    std::string_view remote,
    std::string_view service,
    std::string_view method,
    std::string_view user,
    std::string_view reason
) {
    spdlog::warn("{}", failed_login_line(remote, service, method, user, reason));
}

}  // namespace govmail::auth
