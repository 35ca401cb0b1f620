#pragma once

// The append-only audit log: who did what, to which account, from where, by which method.
// Entries never carry secrets; callers put only what an auditor may read into detail.

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "storage/pg/pool.hpp"
#include "storage/types.hpp"

namespace govmail::storage {

// What an audit entry copies of its account, so that it still says whom it is about once
// the account is gone. Empty fields are copied from the account row when the entry is written.
struct AccountNames {
    std::optional<std::string> address;
    std::optional<std::string> name;  // the person's name (the account's display name)
    std::optional<std::string> unit;
};

struct AuditEntry {
    std::string actor;   // a login name, or the OS user of an administrator
    std::string action;  // "login.success", "account.create", ...
    std::optional<AccountId> account;
    std::optional<std::string> source;  // numeric IP address
    std::optional<std::string> method;  // "password", "external", "bearer", "mailadm"
    std::string detail;
    // Set by a change that removes the account before its entry is written (deletion).
    AccountNames names{};
};

struct AuditQuery {
    std::optional<std::string> account;  // address
    std::optional<std::string> since;    // an ISO 8601 timestamp; InvalidData when malformed
    std::optional<std::string> action;
    std::int64_t limit = 100;
};

struct AuditRecord {
    std::int64_t id = 0;
    std::int64_t at = 0;  // unix seconds
    std::string actor;
    std::string action;
    std::optional<std::string> account;  // address, as it was when the entry was written
    std::optional<std::string> source;
    std::optional<std::string> method;
    std::string detail;
    std::optional<std::string> name;  // the account's person, as then
    std::optional<std::string> unit;
};

class AuditStore {
public:
    explicit AuditStore(Pool& pool) : pool_(pool) {}

    template <class T>
    using Task = boost::asio::awaitable<Result<T>>;

    // An entry of its own, for what changes nothing (a login, a refusal); a change writes its
    // entry in its own transaction (storage/audited.hpp).
    Task<void> append(const AuditEntry& entry);
    // The newest LIMIT matching records, oldest first.
    Task<std::vector<AuditRecord>> query(const AuditQuery& query);

private:
    Pool& pool_;
};

}  // namespace govmail::storage
