#pragma once

// `mailadm gpki crl refresh --watch`: the CRL refresher, a part `govmail start` runs and
// restarts (launcher/). It refreshes every known distribution point on the schedule of
// auth/gpki_crl_schedule.hpp with the same refresh as the one-off command (the last good CRL
// stays when a point fails), issues the development CRL again when the development CA is the
// one in use, and logs and audits (gpki.crl-expiring, gpki.crl-expired) each CRL on file
// within [gpki] crl_expiry_warning_s of its nextUpdate or past it, once per CRL and state.
// Runs until it is killed; a failed round is logged and the next one tries again.

#include <string>
#include <vector>

#include "admin-cli/admin_context.hpp"
#include "admin-cli/outcome.hpp"

namespace govmail::admin {

Outcome watch_crls(AdminContext& context, const std::vector<std::string>& extra_urls);

}  // namespace govmail::admin
