#include "selfservice/exports.hpp"

#include <algorithm>

#include "selfservice/export_token.hpp"
#include "storage/pg/errc.hpp"

namespace govmail::selfservice {
namespace {

std::string describe(const storage::ExportRecord& e) { return "export " + std::to_string(e.id); }

}  // namespace

boost::asio::awaitable<Result<std::optional<std::string>>> unknown_mailbox(
    storage::Pool& pool, storage::AccountId account, const std::vector<std::string>& names
) {
    const auto found = co_await storage::ExportStore(pool).mailboxes(account, names);
    if (!found) {
        co_return found.error();
    }
    for (const auto& name : names) {
        if (std::none_of(found->begin(), found->end(), [&](const auto& m) {
                return m.name == name;
            })) {
            co_return std::optional<std::string>(name);
        }
    }
    co_return std::optional<std::string>();
}

boost::asio::awaitable<Result<ExportRequest>> request_export(
    storage::Pool& pool,
    const Actor& actor,
    storage::AccountId account,
    std::optional<std::vector<std::string>> mailboxes
) {
    if (mailboxes) {
        std::sort(mailboxes->begin(), mailboxes->end());
        mailboxes->erase(std::unique(mailboxes->begin(), mailboxes->end()), mailboxes->end());
        const auto unknown = co_await unknown_mailbox(pool, account, *mailboxes);
        if (!unknown) {
            co_return unknown.error();
        }
        if (mailboxes->empty() || *unknown) {
            co_return make_error_code(storage::Errc::InvalidData);
        }
    }
    auto token = generate_export_token();
    auto created = co_await storage::ExportStore(pool).create(
        account, *export_token_hash(token), std::move(mailboxes), kExportLinkDays,
        [&](const storage::ExportRecord& e) {
            return audit_entry(actor, "export.request", account, describe(e));
        }
    );
    if (!created) {
        co_return created.error();
    }
    co_return ExportRequest{std::move(*created), std::move(token)};
}

boost::asio::awaitable<Result<storage::ExportRecord>> delete_export(
    storage::Pool& pool, const Actor& actor, std::int64_t id
) {
    co_return co_await storage::ExportStore(pool).remove(id, [&](const storage::ExportRecord& e) {
        return audit_entry(actor, "export.delete", e.account, describe(e));
    });
}

}  // namespace govmail::selfservice
