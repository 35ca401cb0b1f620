#include "selfservice/away.hpp"

#include "rules/autoreply_rules.hpp"
#include "storage/pg/errc.hpp"

namespace govmail::selfservice {

std::string away_summary(const storage::AutoReplySetting& setting) {
    std::string out = setting.enabled ? "on" : "off";
    if (setting.starts_on || setting.ends_on) {
        out += ", " + setting.starts_on.value_or("…") + " to " + setting.ends_on.value_or("…");
    }
    out += setting.scope == storage::AutoReplyScope::Organisation ? ", senders in the organisation"
                                                                  : ", all senders";
    return out + ", once per sender every " + std::to_string(setting.period_days) + " day(s)";
}

boost::asio::awaitable<Result<void>> set_away(
    storage::Pool& pool, const Actor& actor, storage::AutoReplySetting setting
) {
    setting.enabled = true;
    if (rules::autoreply_setting_problem(setting)) {
        co_return make_error_code(storage::Errc::InvalidData);
    }
    const auto entry = audit_entry(actor, "autoreply.set", setting.account, away_summary(setting));
    co_return co_await storage::AutoReplyStore(pool).set(setting, entry);
}

boost::asio::awaitable<Result<bool>> switch_away_off(
    storage::Pool& pool, const Actor& actor, storage::AccountId account
) {
    const auto entry = audit_entry(actor, "autoreply.off", account, "switched off");
    co_return co_await storage::AutoReplyStore(pool).off(account, entry);
}

}  // namespace govmail::selfservice
