#pragma once

// Who changes an account's self-service settings, for the audit log: an administrator
// through mailadm, or the signed-in user through the portal. Changes write their entry in
// their own transaction (storage/audited.hpp); what changes nothing (a refused download, a
// wrong current password) is recorded with record().

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>

#include "common/result.hpp"
#include "storage/audit_store.hpp"

namespace govmail::selfservice {

struct Actor {
    std::string name;                   // the OS user of an administrator, or a login name
    std::string method;                 // "mailadm", "portal"
    std::optional<std::string> source;  // the user's numeric IP address, if any
};

// The entry of ACTION on ACCOUNT by ACTOR.
storage::AuditEntry audit_entry(
    const Actor& actor,
    std::string action,
    std::optional<storage::AccountId> account,
    std::string detail
);

// Appends an entry that belongs to no change.
boost::asio::awaitable<Result<void>> record(
    storage::Pool& pool,
    const Actor& actor,
    std::string action,
    std::optional<storage::AccountId> account,
    std::string detail
);

}  // namespace govmail::selfservice
