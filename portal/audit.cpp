#include "portal/audit.hpp"

#include <spdlog/spdlog.h>

#include "storage/audit_store.hpp"

namespace govmail::portal {

boost::asio::awaitable<void> audit(
    Portal& portal,
    const Request& request,
    const Visit& visit,
    std::string_view action,
    std::string detail
) {
    const auto& account = visit.session->account;
    const storage::AuditEntry entry{account.address, std::string(action),
                                    account.id,      request.peer.to_string(),
                                    "portal",        std::move(detail)};
    const auto appended = co_await storage::AuditStore(portal.pool).append(entry);
    if (!appended) {
        spdlog::error("portal: audit of {} not written: {}", action, appended.error().message());
    }
}

}  // namespace govmail::portal
