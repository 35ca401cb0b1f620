#pragma once

// Account states as the database spells them ('active', 'suspended', 'locked', 'retired').

#include <optional>
#include <string_view>

#include "storage/types.hpp"

namespace govmail::storage {

// The one rule of who may log in, as the SQL function account_may_log_in (migration 16) has
// it: every login method, token and session check asks this or that.
constexpr bool may_log_in(AccountState state) { return state == AccountState::Active; }

std::string_view account_state_name(AccountState state);

// The state named NAME, or nothing for an unknown name.
std::optional<AccountState> parse_account_state(std::string_view name);

}  // namespace govmail::storage
