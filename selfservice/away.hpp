#pragma once

// The away reply (SPEC "Self-service portal", `mailadm autoreply`): set and switched on, or
// switched off keeping its text, checked by the rules ManageSieve's vacation also follows
// (rules/autoreply_rules.hpp).

#include <boost/asio/awaitable.hpp>
#include <string>

#include "common/result.hpp"
#include "selfservice/audit.hpp"
#include "storage/autoreply_store.hpp"

namespace govmail::selfservice {

// What SETTING does, in a line: "on, 2026-01-02 to …, all senders, once per sender every
// 7 day(s)".
std::string away_summary(const storage::AutoReplySetting& setting);

// Stores SETTING switched on. InvalidData: rules::autoreply_setting_problem refuses it
// (ask that function for the sentence to show).
boost::asio::awaitable<Result<void>> set_away(
    storage::Pool& pool, const Actor& actor, storage::AutoReplySetting setting
);

// Switches the away reply of ACCOUNT off; false (and nothing audited) when it was not on.
boost::asio::awaitable<Result<bool>> switch_away_off(
    storage::Pool& pool, const Actor& actor, storage::AccountId account
);

}  // namespace govmail::selfservice
