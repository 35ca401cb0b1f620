#include "storage/account_state.hpp"

#include <array>
#include <utility>

namespace govmail::storage {
namespace {

constexpr std::array<std::pair<AccountState, std::string_view>, 4> kNames{{
    {AccountState::Active, "active"},
    {AccountState::Suspended, "suspended"},
    {AccountState::Locked, "locked"},
    {AccountState::Retired, "retired"},
}};

}  // namespace

std::string_view account_state_name(AccountState state) {
    for (const auto& [value, name] : kNames) {
        if (value == state) {
            return name;
        }
    }
    return "unknown";
}

std::optional<AccountState> parse_account_state(std::string_view name) {
    for (const auto& [value, known] : kNames) {
        if (known == name) {
            return value;
        }
    }
    return std::nullopt;
}

}  // namespace govmail::storage
