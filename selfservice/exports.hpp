#pragma once

// Mailbox export requests (SPEC "Export", `mailadm export`, the portal's backup page): a
// queued request for some or all of an account's mailboxes, reachable for 30 days by a link
// token shown once and stored as its SHA-256, and its deletion (final). The archive itself
// is the export worker's (admin-cli/export_worker.hpp).

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "selfservice/audit.hpp"
#include "storage/export_store.hpp"

namespace govmail::selfservice {

inline constexpr int kExportLinkDays = 30;

struct ExportRequest {
    storage::ExportRecord record;
    std::string token;  // the download link's token, shown once
};

// The first of NAMES that is none of ACCOUNT's mailboxes, or nothing when all are.
boost::asio::awaitable<Result<std::optional<std::string>>> unknown_mailbox(
    storage::Pool& pool, storage::AccountId account, const std::vector<std::string>& names
);

// Queues an export of MAILBOXES (each once), or of every mailbox when none are named.
// InvalidData: an empty list, or a name unknown_mailbox reports.
boost::asio::awaitable<Result<ExportRequest>> request_export(
    storage::Pool& pool,
    const Actor& actor,
    storage::AccountId account,
    std::optional<std::vector<std::string>> mailboxes
);

// Deletes export ID (the caller removes its file). NotFound: no such export.
boost::asio::awaitable<Result<storage::ExportRecord>> delete_export(
    storage::Pool& pool, const Actor& actor, std::int64_t id
);

}  // namespace govmail::selfservice
