#pragma once

// The export worker: builds queued mailbox exports into zip archives under
// <var_dir>/exports, and removes expired ones. `mailadm export run` calls it once or every
// N seconds. Each build holds its export's row locked (FOR UPDATE SKIP LOCKED) until it is
// committed, so two workers never build the same export and a worker that dies leaves the
// request pending for the next run. When the portal's public address is set, each built
// archive's link is mailed to the account's INBOX (selfservice/export_ready_mail.hpp).

#include <filesystem>
#include <string>
#include <variant>
#include <vector>

#include "admin-cli/admin_context.hpp"
#include "admin-cli/outcome.hpp"

namespace govmail::admin {

std::filesystem::path export_directory(const AdminContext& context);

struct WorkerRound {
    int built = 0;
    int failed = 0;
    int expired = 0;
    std::vector<std::string> problems;  // why each failed export failed
};

// Removes expired exports (rows and files), then builds pending exports until none is
// left. An error of the database ends the round with an Outcome.
std::variant<WorkerRound, Outcome> run_export_round(AdminContext& context);

// Removes the expired exports (rows and archives, each audited); how many, or the failure.
std::variant<int, Outcome> remove_expired_exports(AdminContext& context);

}  // namespace govmail::admin
