#pragma once

// mailadm: the administrator's command line (accounts, app passwords, audit log, schema).
// Runs with the operator's privileges against the suite's database; every change it makes
// is audited with the OS user as actor. Exit codes: 0 success, 1 refused (exists, not
// found, not allowed in this state), 2 usage, 3 error (database unreachable, ...).

#include <ostream>

namespace govmail::admin {

int run_mailadm(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace govmail::admin
