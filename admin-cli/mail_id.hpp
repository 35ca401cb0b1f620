#pragma once

// Mail IDs: the local part the directory assigns a person ("hong.gildong"). The account's
// address is the mail ID at the first of server.local_domains.

#include <optional>
#include <string>
#include <string_view>

#include "common/config.hpp"

namespace govmail::admin {

inline constexpr std::size_t kMaxMailIdBytes = 64;  // RFC 5321 local-part limit

// Why MAIL_ID (already lower case) cannot be a mail ID: only a-z, 0-9, '.', '_' and '-',
// no dot at either end or twice in a row.
std::optional<std::string> mail_id_problem(std::string_view mail_id);

std::string address_for(std::string_view mail_id, const Config& config);

// The mail ID of a local ADDRESS (lower case), or nothing for another domain.
std::optional<std::string> mail_id_of(std::string_view address, const Config& config);

}  // namespace govmail::admin
