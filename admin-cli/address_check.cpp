// See address_check.hpp.

#include "admin-cli/address_check.hpp"

#include <algorithm>

#include "common/utf8.hpp"

namespace govmail::admin {
namespace {

constexpr std::size_t kMaxAddressBytes = 254;  // RFC 5321 path limit less the brackets

}  // namespace

std::optional<std::string> mail_address_problem(const std::string& address) {
    const auto at = address.rfind('@');
    const bool plain = std::none_of(address.begin(), address.end(), [](char c) {
        return static_cast<unsigned char>(c) <= ' ' || c == '\x7f';
    });
    if (at == std::string::npos || at == 0 || at + 1 == address.size() || !plain ||
        address.size() > kMaxAddressBytes || !is_valid_utf8(address)) {
        return "'" + address + "' is not a mail address";
    }
    return std::nullopt;
}

std::optional<std::string> address_problem(const std::string& address, const Config& config) {
    if (auto problem = mail_address_problem(address)) {
        return problem;
    }
    const auto domain = address.substr(address.rfind('@') + 1);
    if (!config.is_local_domain(domain)) {
        return "'" + domain + "' is not a local domain (server.local_domains)";
    }
    return std::nullopt;
}

}  // namespace govmail::admin
