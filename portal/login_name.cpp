#include "portal/login_name.hpp"

#include "common/names.hpp"
#include "storage/mailstore.hpp"

namespace govmail::portal {

boost::asio::awaitable<std::string> login_name(Portal& portal, std::string_view typed) {
    const auto& domains = portal.config.local_domains;
    if (typed.empty() || typed.find('@') != std::string_view::npos || domains.empty()) {
        co_return std::string(typed);
    }
    const auto at_domain = [typed](const std::string& domain) {
        return std::string(typed) + "@" + domain;
    };
    if (domains.size() > 1) {
        storage::Mailstore accounts(portal.pool);
        for (const auto& domain : domains) {
            const auto name = canonical_login_name(at_domain(domain));
            if (!name) {
                continue;
            }
            const auto found = co_await accounts.find_account(*name);
            if (found) {
                co_return at_domain(domain);
            }
        }
    }
    co_return at_domain(domains.front());
}

}  // namespace govmail::portal
