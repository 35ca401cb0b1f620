#include "storage/directory_store.hpp"

#include <array>

#include "storage/account_state.hpp"
#include "storage/audited.hpp"
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

// Rows of account_id, address, state, display_name.
std::vector<Account> read_accounts(const PgResult& r) {
    std::vector<Account> accounts;
    for (int row = 0; row < r.rows(); ++row) {
        accounts.push_back(Account{
            r.int64(row, 0), std::string(r.text(row, 1)),
            parse_account_state(r.text(row, 2)).value_or(AccountState::Locked),
            std::string(r.text(row, 3))});
    }
    return accounts;
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

// Applies REPORT's diff; fills in the accounts it changed beyond name and unit.
Task<void> apply(Connection& conn, SyncReport& report, const RetireeReply& reply) {
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
    auto leaving = co_await conn.execute(sql::kMarkLeft, Params(diff.left));
    if (!leaving) {
        co_return leaving.error();
    }
    std::vector<AccountId> accounts;
    for (int row = 0; row < leaving->rows(); ++row) {
        accounts.push_back(leaving->int64(row, 0));
    }
    auto retired = co_await retire_accounts(conn, std::move(accounts), reply);
    if (!retired) {
        co_return retired.error();
    }
    report.retired_accounts = std::move(*retired);
    co_return Result<void>{};
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
    RetireeReply reply,
    bool dry_run,
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
        for (int row = 0; row < current->rows(); ++row) {
            on_file.push_back(read_person(*current, row));
        }
        SyncReport report;
        report.diff = rules::diff_directory(on_file, incoming);
        if (dry_run || !report.diff.conflicts.empty()) {
            co_return report;
        }
        if (report.diff.has_changes()) {
            if (auto applied = co_await apply(conn, report, reply); !applied) {
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
