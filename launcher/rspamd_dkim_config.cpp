// The dkim_signing and arc modules' configuration (launcher/rspamd_dkim_config.hpp).

#include "launcher/rspamd_dkim_config.hpp"

#include "common/dkim_redis.hpp"

namespace govmail::launcher {
namespace {

std::string redis_keys() {
    return "use_redis = true;\n"
           "key_prefix = \"" +
           std::string(kDkimKeysHash) +
           "\";\n"
           "selector_prefix = \"" +
           std::string(kDkimSelectorsHash) + "\";\n";
}

std::string dkim_signing() {
    return "# Written by govmail start at every start: DKIM signing of submitted mail.\n"
           "# Keys: `mailadm dkim generate|rotate|retire`, in rspamd's Redis.\n"
           "enabled = true;\n" +
           redis_keys() +
           // Only what an authenticated account submits; never relayed or inbound mail.
           "sign_authenticated = true;\n"
           "sign_local = false;\n"
           "sign_inbound = false;\n"
           // The From header's own domain, the one `mailadm dkim` was given, and only for an
           // account of that domain.
           "use_domain = \"header\";\n"
           "use_esld = false;\n"
           "allow_username_mismatch = false;\n"
           "allow_hdrfrom_mismatch = false;\n"
           "allow_hdrfrom_multiple = false;\n";
}

std::string arc() {
    return "# Written by govmail start at every start: ARC sealing of received mail, which\n"
           "# govmail adds to the copies it forwards. Keys as for DKIM signing.\n"
           "enabled = true;\n" +
           redis_keys() +
           // Received mail, whoever sends it (loopback included), sealed for the recipient's
           // domain, never mail an account submits (that is DKIM-signed).
           "sign_authenticated = false;\n"
           "sign_local = true;\n"
           "sign_inbound = true;\n"
           "use_domain = \"recipient\";\n"
           "use_esld = false;\n"
           "allow_hdrfrom_mismatch = true;\n"
           "allow_username_mismatch = true;\n";
}

}  // namespace

std::vector<std::pair<std::string, std::string>> dkim_config_files() {
    return {{"dkim_signing.conf", dkim_signing()}, {"arc.conf", arc()}};
}

}  // namespace govmail::launcher
