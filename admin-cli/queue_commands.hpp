#pragma once

// mailadm queue: the outbound queue for the administrator (admin-cli/queue_commands.cpp).

#include "admin-cli/commands.hpp"

namespace govmail::admin {

void add_queue_commands(CLI::App& app, Action& chosen);

}  // namespace govmail::admin
