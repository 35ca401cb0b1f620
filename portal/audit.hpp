#pragma once

// The audit entries of the portal (method "portal"), next to the login entries the
// authenticator writes. What a signed-in user changes is audited by the self-service use
// cases (selfservice/) in the change's own transaction, as actor(); what changes nothing
// (a refusal, a download) is appended here.

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "portal/http.hpp"
#include "portal/portal.hpp"
#include "portal/router.hpp"
#include "selfservice/audit.hpp"

namespace govmail::portal {

// VISIT's user, from REQUEST's address, as the self-service use cases audit them.
selfservice::Actor actor(const Request& request, const Visit& visit);

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
