#include "storage/directory_store.hpp"

#include <array>

#include "storage/audited.hpp"
#include "storage/mailstore_rows.hpp"
#include "storage/pg/errc.hpp"
#include "storage/pg/query.hpp"
#include "storage/pg/transaction.hpp"
#include "storage/sql/directory.hpp"

namespace govmail::storage {
namespace {

template <class T>
using Task = boost::asio::awaitable<Result<T>>;

DirectoryPerson read_person(const PgResult& r, int row) {
    auto optional = [&](int col) { return r.optional_text(row, col).value_or(""); };
    DirectoryPerson p;
    p.employee_no = r.text(row, 0);
    p.name = r.text(row, 1);
    p.org_unit = r.text(row, 2);
    p.position = r.text(row, 3);
    p.mail_id = optional(4);
    p.office_phone = optional(5);
    p.mobile_phone = optional(6);
    p.cert_identity = optional(7);
    p.retired = r.boolean(row, 8);
    p.synced_at = r.int64(row, 9);
    p.account = r.optional_text(row, 10);
    p.user_mobile_phone = optional(11);
    return p;
}

using PeopleColumns = std::array<std::vector<std::string>, 8>;

// The people to insert or update, as the eight text[] columns kUpsertPeople takes (the
// first one their employee numbers).
PeopleColumns upsert_columns(const DirectoryDiff& diff) {
    PeopleColumns columns;
    for (const auto* group : {&diff.added, &diff.transferred, &diff.changed}) {
        for (const auto& p : *group) {
            const std::array<const std::string*, 8> fields{
                &p.employee_no, &p.name,         &p.org_unit,     &p.position,
                &p.mail_id,     &p.office_phone, &p.mobile_phone, &p.cert_identity};
            for (std::size_t i = 0; i < fields.size(); ++i) {
                columns[i].push_back(*fields[i]);
            }
        }
    }
    return columns;
}

// The retired accounts of the people REPORT brings back: reinstated when OPTIONS say so,
// listed otherwise.
Task<void> welcome_back(Connection& conn, SyncReport& report, const SyncOptions& options) {
    const auto returning = rules::returning_people(report.changes);
    if (returning.empty()) {
        co_return Result<void>{};
    }
    auto retired = co_await conn.execute(sql::kRetiredAccountsOf, Params(returning));
    if (!retired) {
        co_return retired.error();
    }
    auto accounts = read_accounts(*retired);
    if (!options.reinstate_returning) {
        report.returning_retired_accounts = std::move(accounts);
        co_return Result<void>{};
    }
    std::vector<AccountId> ids;
    for (const auto& account : accounts) {
        ids.push_back(account.id);
    }
    auto reinstated = co_await reinstate_accounts(conn, std::move(ids));
    if (!reinstated) {
        co_return reinstated.error();
    }
    report.reinstated_accounts = std::move(*reinstated);
    co_return Result<void>{};
}

// Applies REPORT's diff; fills in the accounts it changed beyond name and unit.
Task<void> apply(Connection& conn, SyncReport& report, const SyncOptions& options) {
    const auto& diff = report.diff;
    if (!diff.user_mobiles_ended.empty()) {
        auto ended = co_await conn.execute(sql::kEndUserMobiles, Params(diff.user_mobiles_ended));
        if (!ended) {
            co_return ended.error();
        }
        report.user_mobile_ended_accounts = read_accounts(*ended);
    }
    const auto columns = upsert_columns(diff);
    Params people;
    for (const auto& column : columns) {
        people.add(column);
    }
    if (auto r = co_await conn.execute(sql::kUpsertPeople, people); !r) {
        co_return r.error();
    }
    const Params numbers(columns.front());
    if (auto r = co_await conn.execute(sql::kFollowDirectory, numbers); !r) {
        co_return r.error();
    }
    auto renamed = co_await conn.execute(sql::kFollowMailId, numbers);
    if (!renamed) {
        co_return renamed.error();
    }
    report.renamed_accounts = read_accounts(*renamed);
    auto leaving = co_await conn.execute(sql::kMarkLeft, Params(diff.left));
    if (!leaving) {
        co_return leaving.error();
    }
    std::vector<AccountId> accounts;
    for (int row = 0; row < leaving->rows(); ++row) {
        accounts.push_back(leaving->int64(row, 0));
    }
    auto retired = co_await retire_accounts(conn, std::move(accounts), options.reply);
    if (!retired) {
        co_return retired.error();
    }
    report.retired_accounts = std::move(*retired);
    co_return co_await welcome_back(conn, report, options);
}

}  // namespace

boost::asio::awaitable<Result<void>> link_account(
    Connection& conn, AccountId account, std::string employee_no
) {
    auto linked = co_await conn.execute(sql::kLinkAccount, Params(account, employee_no));
    if (!linked) {
        co_return linked.error();
    }
    if (linked->empty()) {
        co_return make_error_code(Errc::NotFound);
    }
    co_return Result<void>{};
}

DirectoryStore::Task<SyncReport> DirectoryStore::sync(
    std::vector<DirectoryPerson> incoming,
    const SyncOptions& options,
    const AuditsOf<SyncReport>& audits
) {
    co_return co_await in_transaction(pool_, [&](Connection& conn) -> Task<SyncReport> {
        if (auto locked = co_await conn.execute_script(sql::kLockDirectory); !locked) {
            co_return locked.error();
        }
        auto current = co_await conn.execute(sql::kListPeople, Params());
        if (!current) {
            co_return current.error();
        }
        std::vector<DirectoryPerson> on_file;
        std::size_t in_directory = 0;
        for (int row = 0; row < current->rows(); ++row) {
            on_file.push_back(read_person(*current, row));
            in_directory += on_file.back().retired ? 0 : 1;
        }
        SyncReport report;
        report.diff = rules::diff_directory(on_file, incoming);
        report.changes = rules::list_changes(report.diff, on_file);
        report.over_limit =
            rules::check_retire_limits(report.diff.left.size(), in_directory, options.limits);
        if (options.dry_run || !report.diff.conflicts.empty() ||
            (report.over_limit && !options.force)) {
            co_return report;
        }
        if (report.diff.has_changes()) {
            if (auto applied = co_await apply(conn, report, options); !applied) {
                co_return applied.error();
            }
        }
        report.applied = true;
        for (const auto& entry : audits(report)) {
            if (auto appended = co_await append_audit(conn, entry); !appended) {
                co_return appended.error();
            }
        }
        co_return report;
    });
}

DirectoryStore::Task<DirectoryPerson> DirectoryStore::find(std::string_view employee_no) {
    co_return co_await run_one_row(pool_, sql::kFindPerson, Params(employee_no), read_person);
}

DirectoryStore::Task<DirectoryPerson> DirectoryStore::find_by_mail_id(std::string_view mail_id) {
    co_return co_await run_one_row(pool_, sql::kFindPersonByMailId, Params(mail_id), read_person);
}

DirectoryStore::Task<DirectoryPerson> DirectoryStore::find_by_certificate(
    std::string_view subject, std::string_view common_name
) {
    co_return co_await run_one_row(
        pool_, sql::kFindPersonByCertificate, Params(subject, common_name), read_person
    );
}

DirectoryStore::Task<void> DirectoryStore::link(AccountId account, std::string_view employee_no) {
    auto conn = co_await pool_.acquire();
    if (!conn) {
        co_return conn.error();
    }
    co_return co_await link_account(**conn, account, std::string(employee_no));
}

}  // namespace govmail::storage
