#include "admin-cli/mail_id.hpp"

#include <algorithm>

#include "common/ascii.hpp"

namespace govmail::admin {

std::optional<std::string> mail_id_problem(std::string_view mail_id) {
    if (mail_id.empty() || mail_id.size() > kMaxMailIdBytes) {
        return "a mail ID has 1 to " + std::to_string(kMaxMailIdBytes) + " characters";
    }
    const bool allowed = std::all_of(mail_id.begin(), mail_id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    });
    if (!allowed) {
        return "mail ID '" + std::string(mail_id) +
               "' may hold only a-z, 0-9, '.', '_' and '-' (the part before @)";
    }
    if (mail_id.front() == '.' || mail_id.back() == '.' ||
        mail_id.find("..") != std::string_view::npos) {
        return "mail ID '" + std::string(mail_id) + "' has a misplaced dot";
    }
    return std::nullopt;
}

std::string address_for(std::string_view mail_id, const Config& config) {
    const std::string domain =
        config.local_domains.empty() ? "localhost" : config.local_domains.front();
    return std::string(mail_id) + "@" + domain;
}

std::optional<std::string> mail_id_of(std::string_view address, const Config& config) {
    const auto at = address.rfind('@');
    if (at == std::string_view::npos || !config.is_local_domain(address.substr(at + 1))) {
        return std::nullopt;
    }
    return ascii::lower(address.substr(0, at));
}

}  // namespace govmail::admin
