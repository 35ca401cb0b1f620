#pragma once

// Mailbox exports (SPEC "Export"): queued requests, the worker's claim on one of them, the
// messages it streams into the archive, and the download link's look-up by token hash.

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "storage/audited.hpp"
#include "storage/pg/pool.hpp"
#include "storage/types.hpp"

namespace govmail::storage {

struct ExportRecord {
    AccountId account = 0;
    std::int64_t id = 0;
    std::string address;
    std::optional<std::vector<std::string>> mailboxes;  // none: every mailbox
    std::string state;                                  // pending, building, ready, failed
    std::optional<std::string> file_path;
    std::optional<std::int64_t> size;
    std::int64_t created_at = 0;  // unix seconds
    std::int64_t expires_at = 0;
    bool expired = false;
};

struct ExportMailbox {
    MailboxId id = 0;
    std::string name;
};

struct ExportMessage {
    std::int64_t uid = 0;
    std::string body_id;  // hex, for Mailstore::fetch_raw
    std::int64_t size = 0;
};

// A pending export a worker holds: its row stays locked (and pending in everyone else's
// eyes) until finish() commits, so a worker that dies leaves it to the next one.
struct ExportClaim {
    ExportRecord record;
    std::optional<PooledConnection> conn;  // always set; optional only to be default-built
};

class ExportStore {
public:
    explicit ExportStore(Pool& pool) : pool_(pool) {}

    template <class T>
    using Task = boost::asio::awaitable<Result<T>>;

    // Changes write their AUDIT entry in their own transaction (storage/audited.hpp).
    Task<ExportRecord> create(
        AccountId account,
        std::string token_sha256,
        std::optional<std::vector<std::string>> mailboxes,
        int lifetime_days,
        const AuditOf<ExportRecord>& audit
    );
    Task<std::vector<ExportRecord>> list(std::optional<AccountId> account);
    // NotFound: no export ID.
    Task<ExportRecord> remove(std::int64_t id, const AuditOf<ExportRecord>& audit);
    // NotFound: no export has this token hash (of the requester's link or the mailed one).
    Task<ExportRecord> find_by_token(std::string token_sha256);
    // Removes the expired exports and returns them (their files are the caller's), with an
    // AUDIT entry for each.
    Task<std::vector<ExportRecord>> remove_expired(const AuditOf<ExportRecord>& audit);
    // The oldest pending export no other worker holds; NotFound when there is none.
    Task<ExportClaim> claim();
    // Commits the claim as 'ready' with FILE and SIZE, or as 'failed' when FILE is empty,
    // with the SHA-256 of the token of the link mailed to the account, if one is.
    static boost::asio::awaitable<Result<void>> finish(
        ExportClaim claim,
        std::optional<std::string> file,
        std::optional<std::int64_t> size,
        std::optional<std::string> mailed_token_sha256
    );
    Task<std::vector<ExportMailbox>> mailboxes(
        AccountId account, std::optional<std::vector<std::string>> names
    );
    Task<std::vector<ExportMessage>> messages(AccountId account, MailboxId mailbox);

private:
    Pool& pool_;
};

}  // namespace govmail::storage
