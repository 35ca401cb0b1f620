// The embedded rspamd's sender authentication files (launcher/rspamd_sender_auth_config.hpp).

#include "launcher/rspamd_sender_auth_config.hpp"

namespace govmail::launcher {

std::vector<std::pair<std::string, std::string>> sender_auth_config(const FilterConfig& filter) {
    const std::string loopback = filter.check_loopback ? "check_local = true;\n" : "";
    return {
        {"spf.conf", loopback},
        {"dkim.conf", loopback},
        {"dmarc.conf",
         loopback + "actions {\n  reject = \"reject\";\n  quarantine = \"add header\";\n}\n"},
        {"greylist.conf",
         loopback + "timeout = " + std::to_string(filter.greylist_delay.count()) + "s;\n"},
    };
}

}  // namespace govmail::launcher
