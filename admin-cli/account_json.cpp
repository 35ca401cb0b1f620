#include "admin-cli/account_json.hpp"

#include "storage/account_state.hpp"

namespace govmail::admin {
namespace {

Json optional_time(const std::optional<std::int64_t>& at) {
    return at ? Json(iso_time(*at)) : Json();
}

}  // namespace

Json account_json(const storage::AccountDetails& details) {
    return Json{
        {"address", details.account.address},
        {"state", storage::account_state_name(details.account.state)},
        {"kind", details.service ? "service" : "person"},
        {"name", details.account.display_name},
        {"unit", details.org_unit},
        {"employee_no", details.employee_no ? Json(*details.employee_no) : Json()},
        {"password", details.has_password},
        {"created", iso_time(details.created_at)},
    };
}

Json app_password_json(const storage::AppPassword& app_password) {
    return Json{
        {"id", app_password.id},
        {"device", app_password.device},
        {"created", iso_time(app_password.created_at)},
        {"last_used", optional_time(app_password.last_used_at)},
        {"last_used_from",
         app_password.last_used_from ? Json(*app_password.last_used_from) : Json()},
        {"revoked", optional_time(app_password.revoked_at)},
    };
}

}  // namespace govmail::admin
