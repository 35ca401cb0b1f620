// rspamd's ratelimit configuration from [filter] (launcher/rspamd_abuse_config.hpp).

#include "launcher/rspamd_abuse_config.hpp"

#include "filter/abuse_symbols.hpp"

namespace govmail::launcher {
namespace {

constexpr std::string_view kRatelimitMessage = "Sending rate limit exceeded, try again later";

// One rate: a bucket of PER_HOUR recipients that empties at PER_HOUR an hour, keyed by what
// SELECTOR extracts from the task (no key, as for unauthenticated mail: not counted). rspamd
// names a bucket by its key alone, so the key starts with NAME: two rates that extract the
// same address keep buckets of their own.
std::string rate(std::string_view name, std::string_view selector, std::uint32_t per_hour) {
    if (per_hour == 0) {
        return "";
    }
    const auto count = std::to_string(per_hour);
    return "  " + std::string(name) + " {\n    selector = \"" + std::string(selector) +
           ".prepend('" + std::string(name) + ":')\";\n    bucket = { burst = " + count +
           "; rate = \"" + count + " / 1h\"; message = \"" + std::string(kRatelimitMessage) +
           "\"; }\n  }\n";
}

// A regular expression alternative matching DOMAIN literally (domains are checked to hold
// letters, digits, '-' and '.' only when the configuration is read).
std::string domain_pattern(const std::string& domain) {
    std::string out;
    for (const char c : domain) {
        out += c == '.' ? std::string("[.]") : std::string(1, c);
    }
    return out;
}

}  // namespace

std::string ratelimit_conf(const FilterConfig& filter) {
    std::string rates = rate("govmail_user", "user.lower", filter.ratelimit_user_per_hour) +
                        rate(
                            "govmail_domain", "user.lower.regexp('@([^@]+)$').last",
                            filter.ratelimit_domain_per_hour
                        );
    if (!filter.ratelimit_restricted_domains.empty()) {
        std::string alternatives;
        for (const auto& domain : filter.ratelimit_restricted_domains) {
            alternatives += (alternatives.empty() ? "" : "|") + domain_pattern(domain);
        }
        rates += rate(
            "govmail_restricted_user", "user.lower.regexp('^.+@(" + alternatives + ")$').first",
            filter.ratelimit_restricted_user_per_hour
        );
    }
    return "rates {\n" + rates + "}\ninfo_symbol = \"" + std::string(filter::kRatelimitedSymbol) +
           "\";\n";
}

std::string antivirus_conf(const FilterConfig& filter) {
    if (!filter.antivirus) {
        return "";
    }
    return "clamav {\n  type = \"clamav\";\n  servers = \"" + filter.clamd() +
           "\";\n  symbol = \"" + std::string(filter::kVirusSymbol) +
           "\";\n  action = \"reject\";\n  message = \"Message refused: it carries a virus\";\n"
           "  scan_mime_parts = true;\n  log_clean = true;\n}\n";
}

}  // namespace govmail::launcher
