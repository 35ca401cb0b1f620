#include "storage/autoreply_store.hpp"

#include <algorithm>

#include "common/ascii.hpp"
#include "rules/autoreply_script.hpp"
#include "storage/audited.hpp"
#include "storage/pg/errc.hpp"
#include "storage/pg/query.hpp"
#include "storage/sql/autoreply.hpp"

namespace govmail::storage {
namespace {

template <class T>
using Task = boost::asio::awaitable<Result<T>>;

AutoReplySetting read_setting(const PgResult& r, int row) {
    AutoReplySetting s;
    s.account = r.int64(row, 0);
    s.address = r.text(row, 1);
    s.display_name = r.text(row, 2);
    s.enabled = r.boolean(row, 3);
    s.subject = r.text(row, 4);
    s.body = r.text(row, 5);
    s.starts_on = r.optional_text(row, 6);
    s.ends_on = r.optional_text(row, 7);
    s.scope = parse_autoreply_scope(r.text(row, 8)).value_or(AutoReplyScope::All);
    s.period_days = static_cast<int>(r.int64(row, 9));
    return s;
}

}  // namespace

std::string autoreply_sender_key(std::string_view sender) { return ascii::lower(sender); }

Task<std::vector<AutoReplySetting>> enabled_autoreplies(
    Connection& conn, const std::vector<std::string>& accounts
) {
    auto r = co_await conn.execute(sql::kEnabledAutoreplies, Params(accounts));
    if (!r) {
        co_return r.error();
    }
    std::vector<AutoReplySetting> out;
    for (int row = 0; row < r->rows(); ++row) {
        out.push_back(read_setting(*r, row));
    }
    co_return out;
}

Task<bool> claim_autoreply(
    Connection& conn, AccountId account, std::string_view sender, int period_days
) {
    auto r = co_await conn.execute(
        sql::kClaimAutoreply,
        Params(account, autoreply_sender_key(sender), std::max(period_days, 1))
    );
    if (!r) {
        co_return Result<bool>(boost::system::in_place_error, r.error());
    }
    co_return !r->empty();
}

Task<AutoReplySetting> AutoReplyStore::find(AccountId account) {
    co_return co_await run_one_row(pool_, sql::kFindAutoreply, Params(account), read_setting);
}

Task<void> AutoReplyStore::set(const AutoReplySetting& setting, const AuditEntry& audit) {
    co_return co_await statement_audited(
        pool_, sql::kSetAutoreply,
        Params(setting.account, setting.subject, setting.body, setting.starts_on, setting.ends_on)
            .add(to_string(setting.scope))
            .add(setting.period_days)
            .add(rules::autoreply_script(setting))
            .add(rules::kAutoReplyScriptName),
        audit
    );
}

Task<bool> AutoReplyStore::off(AccountId account, const AuditEntry& audit) {
    // The rows switched off (0 or 1): in_transaction cannot carry a Result<bool>.
    const auto switched = co_await in_transaction(pool_, [&](Connection& conn) -> Task<int> {
        auto r = co_await conn.execute(sql::kAutoreplyOff, Params(account));
        if (!r) {
            co_return r.error();
        }
        if (r->empty()) {
            co_return 0;
        }
        if (auto appended = co_await append_audit(conn, audit); !appended) {
            co_return appended.error();
        }
        co_return r->rows();
    });
    if (!switched) {
        co_return Result<bool>(boost::system::in_place_error, switched.error());
    }
    co_return *switched > 0;
}

}  // namespace govmail::storage
