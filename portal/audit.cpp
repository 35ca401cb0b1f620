#include "portal/audit.hpp"

#include <spdlog/spdlog.h>

#include "storage/audit_store.hpp"

namespace govmail::portal {

boost::asio::awaitable<void> audit_visitor(
    Portal& portal,
    const Request& request,
    std::string actor,
    std::optional<storage::AccountId> account,
    std::string_view action,
    std::string detail
) {
    const storage::AuditEntry entry{std::move(actor), std::string(action),
                                    account,          request.peer.to_string(),
                                    "portal",         std::move(detail)};
    const auto appended = co_await storage::AuditStore(portal.pool).append(entry);
    if (!appended) {
        spdlog::error("portal: audit of {} not written: {}", action, appended.error().message());
    }
}

boost::asio::awaitable<void> audit(
    Portal& portal,
    const Request& request,
    const Visit& visit,
    std::string_view action,
    std::string detail
) {
    const auto& account = visit.session->account;
    co_await audit_visitor(portal, request, account.address, account.id, action, std::move(detail));
}

}  // namespace govmail::portal
