#pragma once

// Creating an account for a person or a signup: the account with its standard mailboxes and
// its account.create audit entry (Mailstore::create_account), then the step that makes it
// theirs (linking it to the directory person, approving the request and binding its
// certificate). When that step fails the new account is deleted again (audited as undone), so
// a refusal leaves nothing behind.

#include <functional>
#include <string>

#include "admin-cli/admin_context.hpp"
#include "common/result.hpp"
#include "storage/types.hpp"

namespace govmail::admin {

using FinishAccount = std::function<Result<void>(storage::AccountId)>;

// DETAIL: what the account.create entry says beyond the address.
Result<storage::Account> provision_account(
    AdminContext& context,
    const storage::NewAccount& account,
    const std::string& detail,
    const FinishAccount& finish
);

}  // namespace govmail::admin
