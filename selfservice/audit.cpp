#include "selfservice/audit.hpp"

namespace govmail::selfservice {

storage::AuditEntry audit_entry(
    const Actor& actor,
    std::string action,
    std::optional<storage::AccountId> account,
    std::string detail
) {
    return storage::AuditEntry{actor.name,   std::move(action), account,
                               actor.source, actor.method,      std::move(detail)};
}

boost::asio::awaitable<Result<void>> record(
    storage::Pool& pool,
    const Actor& actor,
    std::string action,
    std::optional<storage::AccountId> account,
    std::string detail
) {
    const auto entry = audit_entry(actor, std::move(action), account, std::move(detail));
    co_return co_await storage::AuditStore(pool).append(entry);
}

}  // namespace govmail::selfservice
