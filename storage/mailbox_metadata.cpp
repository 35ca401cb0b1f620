// IMAP METADATA entries (RFC 5464) of an account's server and mailboxes. Values travel as
// bytea, in as binary parameters and out as hex, so any octets round-trip.

#include "storage/mailstore.hpp"
#include "storage/pg/errc.hpp"
#include "storage/pg/query.hpp"
#include "storage/pg/transaction.hpp"
#include "storage/sql/imap_metadata.hpp"
#include "storage/sql/mailboxes.hpp"

namespace govmail::storage {
namespace {

int hex_digit(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    return c - 'a' + 10;  // PostgreSQL's encode(..., 'hex') writes lower case
}

std::string from_hex(std::string_view hex) {
    std::string bytes;
    bytes.reserve(hex.size() / 2);
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
        bytes.push_back(static_cast<char>(hex_digit(hex[i]) * 16 + hex_digit(hex[i + 1])));
    }
    return bytes;
}

}  // namespace

Mailstore::Task<Mailstore::MetadataEntries> Mailstore::metadata(
    AccountId account, std::optional<MailboxId> mailbox
) {
    co_return co_await run_all_rows(
        pool_, sql::kMetadataEntries, Params(account, mailbox),
        [](const PgResult& r, int row) {
            return std::pair{std::string(r.text(row, 0)), from_hex(r.text(row, 1))};
        }
    );
}

Mailstore::Task<void> Mailstore::set_metadata(
    AccountId account,
    std::optional<MailboxId> mailbox,
    const std::vector<std::pair<std::string, std::optional<std::string>>>& entries,
    std::size_t max_entries
) {
    co_return co_await in_transaction(pool_, [&](Connection& conn) -> Task<void> {
        // One writer an account at a time, so the count checked is the count left.
        if (auto locked = co_await conn.execute(sql::kLockAccountMailboxes, Params(account));
            !locked) {
            co_return locked.error();
        }
        for (const auto& [name, value] : entries) {
            // No co_await inside ?: : g++ 12 destroys the result of such a branch twice.
            Params params(account, mailbox, name);
            const auto& statement = value ? sql::kPutMetadata : sql::kDeleteMetadata;
            if (value) {
                params.add(Binary{*value});
            }
            auto done = co_await conn.execute(statement, params);
            if (!done) {
                co_return done.error();
            }
        }
        auto count = co_await conn.execute(sql::kCountMetadata, Params(account));
        if (!count) {
            co_return count.error();
        }
        if (static_cast<std::size_t>(count->int64(0, 0)) > max_entries) {
            co_return make_error_code(Errc::Limit);  // rolls back
        }
        co_return Result<void>{};
    });
}

}  // namespace govmail::storage
