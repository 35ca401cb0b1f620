#include "storage/address_book_store.hpp"

#include "storage/audited.hpp"
#include "storage/pg/errc.hpp"
#include "storage/pg/query.hpp"
#include "storage/pg/transaction.hpp"
#include "storage/sql/address_book.hpp"

namespace govmail::storage {
namespace {

AddressBookEntry read_entry(const PgResult& r, int row) {
    AddressBookEntry e;
    e.id = r.int64(row, 0);
    e.name = r.text(row, 1);
    e.email = r.text(row, 2);
    e.organisation = r.text(row, 3);
    e.office_phone = r.optional_text(row, 4);
    e.mobile_phone = r.optional_text(row, 5);
    e.source = r.text(row, 6);
    return e;
}

}  // namespace

AddressBookStore::Task<std::int64_t> AddressBookStore::add(
    AccountId account, const AddressBookEntry& entry, const AuditEntry& audit
) {
    co_return co_await one_row_audited(
        pool_, sql::kAddAddressBookEntry,
        Params(account, entry.name, entry.email, entry.organisation, entry.office_phone)
            .add(entry.mobile_phone),
        [](const PgResult& r, int row) { return r.int64(row, 0); },
        [&](const std::int64_t&) { return audit; }
    );
}

AddressBookStore::Task<std::vector<AddressBookEntry>> AddressBookStore::list(AccountId account) {
    co_return co_await run_all_rows(pool_, sql::kListAddressBook, Params(account), read_entry);
}

AddressBookStore::Task<std::int64_t> AddressBookStore::import_directory(
    AccountId account, const AuditOf<std::int64_t>& audit
) {
    co_return co_await in_transaction(pool_, [&](Connection& conn) -> Task<std::int64_t> {
        const Params params(account);
        if (auto r = co_await conn.execute(sql::kDeleteDirectoryEntries, params); !r) {
            co_return r.error();
        }
        auto imported = co_await conn.execute(sql::kImportDirectoryEntries, params);
        if (!imported) {
            co_return imported.error();
        }
        const auto count = static_cast<std::int64_t>(imported->rows());
        if (auto appended = co_await append_audit(conn, audit(count)); !appended) {
            co_return appended.error();
        }
        co_return count;
    });
}

}  // namespace govmail::storage
