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

struct AuditEntry {
    std::string actor;   // a login name, or the OS user of an administrator
    std::string action;  // "login.success", "account.create", ...
    std::optional<AccountId> account;
    std::optional<std::string> source;  // numeric IP address
    std::optional<std::string> method;  // "password", "external", "bearer", "mailadm"
    std::string detail;
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
    std::optional<std::string> account;  // address, when the account still exists
    std::optional<std::string> source;
    std::optional<std::string> method;
    std::string detail;
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
