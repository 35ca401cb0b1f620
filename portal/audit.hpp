#pragma once

// The audit entries of what a signed-in user changes in the portal (method "portal"), next
// to the login entries the authenticator writes.

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "portal/http.hpp"
#include "portal/portal.hpp"
#include "portal/router.hpp"

namespace govmail::portal {

// Appends ACTION with DETAIL by ACTOR (about ACCOUNT, if any) from REQUEST's address; a
// failure is logged, not shown. For what happens before a session exists (sign-in refusals).
boost::asio::awaitable<void> audit_visitor(
    Portal& portal,
    const Request& request,
    std::string actor,
    std::optional<storage::AccountId> account,
    std::string_view action,
    std::string detail
);

// Appends ACTION with DETAIL for VISIT's account; a failure is logged, not shown.
boost::asio::awaitable<void> audit(
    Portal& portal,
    const Request& request,
    const Visit& visit,
    std::string_view action,
    std::string detail
);

}  // namespace govmail::portal
