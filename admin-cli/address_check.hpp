#pragma once

// Whether an address an administrator types may name something local: an account, an alias
// or a unit list.

#include <optional>
#include <string>

#include "common/config.hpp"

namespace govmail::admin {

// Why ADDRESS is no mail address (a sentence for the administrator), or nullopt.
std::optional<std::string> mail_address_problem(const std::string& address);

// Why ADDRESS is no address in a local domain, or nullopt.
std::optional<std::string> address_problem(const std::string& address, const Config& config);

}  // namespace govmail::admin
