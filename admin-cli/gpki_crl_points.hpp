#pragma once

// The CRL distribution points the suite knows: those of the CA bundle's certificates and of
// every bound certificate, and any the administrator names. `mailadm gpki crl refresh` fetches
// them once; the refresher (`--watch`) on its schedule.

#include <string>
#include <variant>
#include <vector>

#include "admin-cli/admin_context.hpp"
#include "admin-cli/outcome.hpp"

namespace govmail::admin {

// EXTRA first, then the bundle's points and the bound certificates' points, each once; the
// failure when the database cannot be read. Throws when the CA bundle cannot be read.
std::variant<std::vector<std::string>, Outcome> known_crl_points(
    AdminContext& context, const std::vector<std::string>& extra
);

}  // namespace govmail::admin
