#include "portal/audit.hpp"

#include <spdlog/spdlog.h>

namespace govmail::portal {

selfservice::Actor actor(const Request& request, const Visit& visit) {
    return selfservice::Actor{visit.session->account.address, "portal", request.peer.to_string()};
}

boost::asio::awaitable<void> audit_visitor(
    Portal& portal,
    const Request& request,
    std::string actor,
    std::optional<storage::AccountId> account,
    std::string_view action,
    std::string detail
) {
    const selfservice::Actor visitor{std::move(actor), "portal", request.peer.to_string()};
    const auto appended = co_await selfservice::record(
        portal.pool, visitor, std::string(action), account, std::move(detail)
    );
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
