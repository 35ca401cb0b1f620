#pragma once

// Creating an account for a person or a signup: the account with its standard mailboxes
// (Mailstore::create_account), then the step that makes it theirs (linking it to the
// directory person, approving the request and binding its certificate). When that step
// fails the new account is deleted again, so a refusal leaves nothing behind.

#include <functional>

#include "admin-cli/admin_context.hpp"
#include "common/result.hpp"
#include "storage/types.hpp"

namespace govmail::admin {

using FinishAccount = std::function<Result<void>(storage::AccountId)>;

Result<storage::Account> provision_account(
    AdminContext& context, const storage::NewAccount& account, const FinishAccount& finish
);

}  // namespace govmail::admin
