#pragma once

// Account states as the database spells them ('active', 'suspended', 'locked', 'retired').

#include <optional>
#include <string_view>

#include "storage/types.hpp"

namespace govmail::storage {

std::string_view account_state_name(AccountState state);

// The state named NAME, or nothing for an unknown name.
std::optional<AccountState> parse_account_state(std::string_view name);

}  // namespace govmail::storage
