#include "storage/mailstore_rows.hpp"

#include "storage/account_state.hpp"

namespace govmail::storage {

Account read_account(const PgResult& r, int row) {
    return Account{
        r.int64(row, 0), std::string(r.text(row, 1)),
        parse_account_state(r.text(row, 2)).value_or(AccountState::Locked),
        std::string(r.text(row, 3))};
}

std::vector<Account> read_accounts(const PgResult& r) {
    std::vector<Account> accounts;
    for (int row = 0; row < r.rows(); ++row) {
        accounts.push_back(read_account(r, row));
    }
    return accounts;
}

MessageState read_state(const PgResult& r, int row) {
    return MessageState{
        static_cast<Uid>(r.int64(row, 0)), static_cast<ModSeq>(r.int64(row, 1)),
        r.text_array(row, 2)};
}

Params& add_ranges(Params& params, const UidRanges& ranges) {
    std::vector<std::string> lo;
    std::vector<std::string> hi;
    for (const auto& [first, last] : ranges) {
        lo.push_back(std::to_string(first));
        hi.push_back(std::to_string(last));
    }
    return params.add(lo).add(hi);
}

}  // namespace govmail::storage
