#pragma once

// How mailadm shows accounts and app passwords, shared by the commands that print them.

#include "admin-cli/outcome.hpp"
#include "storage/account_admin_store.hpp"
#include "storage/credential_store.hpp"

namespace govmail::admin {

Json account_json(const storage::AccountDetails& details);
Json app_password_json(const storage::AppPassword& app_password);

}  // namespace govmail::admin
