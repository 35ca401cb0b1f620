#include "common/config.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <functional>
#include <sstream>
#include <stdexcept>

#include "common/ascii.hpp"
#include "common/nameserver.hpp"

namespace govmail {
namespace {

std::string_view trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) {
        return {};
    }
    const auto last = s.find_last_not_of(" \t\r");
    return s.substr(first, last - first + 1);
}

template <class Int>
Int to_int(const std::string& key, const std::string& value) {
    Int out{};
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
    if (ec != std::errc{} || end != value.data() + value.size()) {
        throw std::runtime_error("config: " + key + " = '" + value + "' is not a valid number");
    }
    return out;
}

// VALUE as one of CHOICES' names; throws naming KEY and the names otherwise.
template <class Enum>
Enum to_choice(
    const std::string& key,
    const std::string& value,
    const std::vector<std::pair<std::string, Enum>>& choices
) {
    std::string names;
    for (const auto& [name, choice] : choices) {
        if (name == value) {
            return choice;
        }
        names += (names.empty() ? "" : ", ") + name;
    }
    throw std::runtime_error("config: " + key + " = '" + value + "' is not one of " + names);
}

std::vector<std::string> to_list(const std::string& value) {
    std::vector<std::string> out;
    std::stringstream in(value);
    std::string item;
    while (std::getline(in, item, ',')) {
        const auto t = trim(item);
        if (!t.empty()) {
            out.push_back(ascii::lower(t));
        }
    }
    return out;
}

// "127.0.0.1:2525", "[::1]:2525" or "off".
ListenerConfig to_listener(const std::string& key, const std::string& value) {
    if (ascii::lower(value) == "off") {
        return ListenerConfig{"", 0, false};
    }
    const auto colon = value.rfind(':');
    if (colon == std::string::npos || colon == 0) {
        throw std::runtime_error("config: " + key + " = '" + value + "' is not address:port");
    }
    std::string address = value.substr(0, colon);
    if (address.front() == '[' && address.back() == ']') {
        address = address.substr(1, address.size() - 2);
    }
    return ListenerConfig{address, to_int<std::uint16_t>(key, value.substr(colon + 1)), true};
}

OutboundTls to_outbound_tls(const std::string& key, const std::string& value) {
    const auto v = ascii::lower(value);
    if (v == "opportunistic") {
        return OutboundTls::Opportunistic;
    }
    if (v == "required") {
        return OutboundTls::Required;
    }
    if (v == "verify") {
        return OutboundTls::Verify;
    }
    throw std::runtime_error(
        "config: " + key + " = '" + value + "' is not opportunistic, required or verify"
    );
}

using Setter = std::function<void(Config&, const std::string& key, const std::string& value)>;

template <class Int>
Setter int_setter(Int& (*field)(Config&)) {
    return [field](Config& c, const std::string& k, const std::string& v) {
        field(c) = to_int<Int>(k, v);
    };
}

Setter seconds_setter(std::chrono::seconds& (*field)(Config&)) {
    return [field](Config& c, const std::string& k, const std::string& v) {
        field(c) = std::chrono::seconds(to_int<std::int64_t>(k, v));
    };
}

const std::map<std::string, Setter>& setters() {
    static const std::map<std::string, Setter> table = {
        {"server.var_dir", [](Config& c, auto&, auto& v) { c.var_dir = v; }},
        {"server.hostname", [](Config& c, auto&, auto& v) { c.hostname = v; }},
        {"server.local_domains", [](Config& c, auto&, auto& v) { c.local_domains = to_list(v); }},
        {"server.postmaster", [](Config& c, auto&, auto& v) { c.postmaster = v; }},
        {"server.abuse", [](Config& c, auto&, auto& v) { c.abuse = v; }},
        {"server.log_level", [](Config& c, auto&, auto& v) { c.log_level = v; }},
        {"server.timezone", [](Config& c, auto&, auto& v) { c.timezone = v; }},
        {"server.threads", int_setter<std::size_t>([](Config & c) -> auto& { return c.threads; })},
        {"database.dsn", [](Config& c, auto&, auto& v) { c.database.dsn = v; }},
        {"database.embedded_port",
         int_setter<std::uint16_t>([](Config & c) -> auto& { return c.database.embedded_port; })},
        {"database.embedded_user", [](Config& c, auto&, auto& v) { c.database.embedded_user = v; }},
        {"database.pool_size",
         int_setter<std::size_t>([](Config & c) -> auto& { return c.database.pool_size; })},
        {"database.query_timeout_ms",
         [](Config& c, auto& k, auto& v) {
             c.database.query_timeout = std::chrono::milliseconds(to_int<std::int64_t>(k, v));
         }},
        {"tls.certificate", [](Config& c, auto&, auto& v) { c.tls.certificate = v; }},
        {"tls.private_key", [](Config& c, auto&, auto& v) { c.tls.private_key = v; }},
        {"smtp.mx", [](Config& c, auto& k, auto& v) { c.smtp.mx = to_listener(k, v); }},
        {"smtp.submission",
         [](Config& c, auto& k, auto& v) { c.smtp.submission = to_listener(k, v); }},
        {"smtp.submissions",
         [](Config& c, auto& k, auto& v) { c.smtp.submissions = to_listener(k, v); }},
        {"smtp.max_message_bytes",
         int_setter<std::size_t>([](Config & c) -> auto& { return c.smtp.max_message_bytes; })},
        {"smtp.max_recipients",
         int_setter<std::size_t>([](Config & c) -> auto& { return c.smtp.max_recipients; })},
        {"smtp.max_connections_per_address", int_setter<std::size_t>([](Config & c) -> auto& {
             return c.smtp.max_connections_per_address;
         })},
        {"smtp.max_connections",
         int_setter<std::size_t>([](Config & c) -> auto& { return c.smtp.max_connections; })},
        {"smtp.max_alias_depth",
         int_setter<std::size_t>([](Config & c) -> auto& { return c.smtp.max_alias_depth; })},
        {"smtp.max_alias_targets",
         int_setter<std::size_t>([](Config & c) -> auto& { return c.smtp.max_alias_targets; })},
        {"smtp.srs_secret", [](Config& c, auto&, auto& v) { c.smtp.srs_secret = v; }},
        {"smtp.srs_max_age_days",
         int_setter<std::int64_t>([](Config & c) -> auto& { return c.smtp.srs_max_age_days; })},
        {"smtp.max_bad_commands",
         int_setter<std::size_t>([](Config & c) -> auto& { return c.smtp.max_bad_commands; })},
        {"smtp.command_timeout_s",
         [](Config& c, auto& k, auto& v) {
             c.smtp.command_timeout = std::chrono::seconds(to_int<std::int64_t>(k, v));
         }},
        {"imap.imap", [](Config& c, auto& k, auto& v) { c.imap.imap = to_listener(k, v); }},
        {"imap.imaps", [](Config& c, auto& k, auto& v) { c.imap.imaps = to_listener(k, v); }},
        {"imap.managesieve",
         [](Config& c, auto& k, auto& v) {
             c.imap.managesieve = v.empty() ? ListenerConfig{"", 0, false} : to_listener(k, v);
         }},
        {"imap.max_literal_bytes",
         int_setter<std::size_t>([](Config & c) -> auto& { return c.imap.max_literal_bytes; })},
        {"imap.max_connections_per_address", int_setter<std::size_t>([](Config & c) -> auto& {
             return c.imap.max_connections_per_address;
         })},
        {"imap.max_connections",
         int_setter<std::size_t>([](Config & c) -> auto& { return c.imap.max_connections; })},
        {"imap.max_bad_commands",
         int_setter<std::size_t>([](Config & c) -> auto& { return c.imap.max_bad_commands; })},
        {"imap.max_mailbox_name_bytes", int_setter<std::size_t>([](Config & c) -> auto& {
             return c.imap.max_mailbox_name_bytes;
         })},
        {"imap.max_mailbox_levels",
         int_setter<std::size_t>([](Config & c) -> auto& { return c.imap.max_mailbox_levels; })},
        {"imap.max_mailboxes",
         int_setter<std::size_t>([](Config & c) -> auto& { return c.imap.max_mailboxes; })},
        {"imap.max_list_pattern_bytes", int_setter<std::size_t>([](Config & c) -> auto& {
             return c.imap.max_list_pattern_bytes;
         })},
        {"imap.max_metadata_value_bytes", int_setter<std::size_t>([](Config & c) -> auto& {
             return c.imap.max_metadata_value_bytes;
         })},
        {"imap.max_metadata_entries", int_setter<std::size_t>([](Config & c) -> auto& {
             return c.imap.max_metadata_entries;
         })},
        {"imap.flag_commit",
         [](Config& c, auto& k, auto& v) {
             c.imap.flag_commit = to_choice<FlagCommit>(
                 k, ascii::lower(v),
                 {{"durable", FlagCommit::Durable}, {"asynchronous", FlagCommit::Asynchronous}}
             );
         }},
        {"imap.login_timeout_s",
         [](Config& c, auto& k,
            auto& v) { c.imap.login_timeout = std::chrono::seconds(to_int<std::int64_t>(k, v)); }},
        {"auth.argon2_time_cost",
         int_setter<std::uint32_t>([](Config & c) -> auto& { return c.auth.argon2_time_cost; })},
        {"auth.argon2_memory_kib",
         int_setter<std::uint32_t>([](Config & c) -> auto& { return c.auth.argon2_memory_kib; })},
        {"auth.argon2_parallelism",
         int_setter<std::uint32_t>([](Config & c) -> auto& { return c.auth.argon2_parallelism; })},
        {"auth.hash_threads",
         int_setter<std::size_t>([](Config & c) -> auto& { return c.auth.hash_threads; })},
        {"auth.hash_queue_length",
         int_setter<std::size_t>([](Config & c) -> auto& { return c.auth.hash_queue_length; })},
        {"auth.credential_cache_ttl_s",
         [](Config& c, auto& k, auto& v
         ) { c.auth.credential_cache_ttl = std::chrono::seconds(to_int<std::int64_t>(k, v)); }},
        {"auth.credential_cache_entries", int_setter<std::size_t>([](Config & c) -> auto& {
             return c.auth.credential_cache_entries;
         })},
        {"auth.failure_window_s",
         [](Config& c, auto& k,
            auto& v) { c.auth.failure_window = std::chrono::seconds(to_int<std::int64_t>(k, v)); }},
        {"auth.account_lock_failures", int_setter<std::uint32_t>([](Config & c) -> auto& {
             return c.auth.account_lock_failures;
         })},
        {"auth.address_lock_failures", int_setter<std::uint32_t>([](Config & c) -> auto& {
             return c.auth.address_lock_failures;
         })},
        {"auth.lock_duration_s",
         [](Config& c, auto& k,
            auto& v) { c.auth.lock_duration = std::chrono::seconds(to_int<std::int64_t>(k, v)); }},
        {"auth.failure_delay_ms",
         [](Config& c, auto& k, auto& v
         ) { c.auth.failure_delay = std::chrono::milliseconds(to_int<std::int64_t>(k, v)); }},
        {"auth.max_failure_delay_ms",
         [](Config& c, auto& k, auto& v
         ) { c.auth.max_failure_delay = std::chrono::milliseconds(to_int<std::int64_t>(k, v)); }},
        {"imap.idle_timeout_s",
         [](Config& c, auto& k,
            auto& v) { c.imap.idle_timeout = std::chrono::seconds(to_int<std::int64_t>(k, v)); }},
        {"imap.max_search_text_keys",
         int_setter<std::size_t>([](Config & c) -> auto& { return c.imap.max_search_text_keys; })},
        {"imap.search_timeout_ms",
         [](Config& c, auto& k, auto& v
         ) { c.imap.search_timeout = std::chrono::milliseconds(to_int<std::int64_t>(k, v)); }},
        {"imap.expunge_history_days", int_setter<std::uint32_t>([](Config & c) -> auto& {
             return c.imap.expunge_history.max_days;
         })},
        {"imap.expunge_history_max", int_setter<std::uint32_t>([](Config & c) -> auto& {
             return c.imap.expunge_history.max_rows;
         })},
    };
    return table;
}

// The [queue] section (outbound relay), kept apart from the daemons' own keys.
const std::map<std::string, Setter>& queue_setters() {
    const auto seconds = [](std::chrono::seconds& (*field)(Config&)) -> Setter {
        return [field](Config& c, const std::string& k, const std::string& v) {
            field(c) = std::chrono::seconds(to_int<std::int64_t>(k, v));
        };
    };
    static const std::map<std::string, Setter> table = {
        {"queue.relay_host", [](Config& c, auto&, auto& v) { c.queue.relay_host = v; }},
        {"queue.tls", [](Config& c, auto& k, auto& v) { c.queue.tls = to_outbound_tls(k, v); }},
        {"queue.retry_initial_s",
         seconds([](Config & c) -> auto& { return c.queue.retry_initial; })},
        {"queue.retry_max_s", seconds([](Config & c) -> auto& { return c.queue.retry_max; })},
        {"queue.give_up_s", seconds([](Config & c) -> auto& { return c.queue.give_up; })},
        {"queue.concurrency",
         int_setter<std::size_t>([](Config & c) -> auto& { return c.queue.concurrency; })},
        {"queue.poll_interval_s",
         seconds([](Config & c) -> auto& { return c.queue.poll_interval; })},
        {"queue.lease_s", seconds([](Config & c) -> auto& { return c.queue.lease; })},
        {"queue.timeout_percent",
         int_setter<std::uint32_t>([](Config & c) -> auto& { return c.queue.timeout_percent; })},
        {"queue.connect_timeout_s",
         seconds([](Config & c) -> auto& { return c.queue.connect_timeout; })},
    };
    return table;
}

// The [gpki] and [token] sections (certificate and token logins).
const std::map<std::string, Setter>& credential_setters() {
    const auto seconds = [](std::chrono::seconds& (*field)(Config&)) -> Setter {
        return [field](Config& c, const std::string& k, const std::string& v) {
            field(c) = std::chrono::seconds(to_int<std::int64_t>(k, v));
        };
    };
    static const std::map<std::string, Setter> table = {
        {"gpki.ca_bundle", [](Config& c, auto&, auto& v) { c.auth.gpki.ca_bundle = v; }},
        {"gpki.crl_dir", [](Config& c, auto&, auto& v) { c.auth.gpki.crl_dir = v; }},
        {"gpki.policy_oids",
         [](Config& c, auto&, auto& v) { c.auth.gpki.policy_oids = to_list(v); }},
        {"gpki.crl_fetch_timeout_s",
         seconds([](Config & c) -> auto& { return c.auth.gpki.crl_fetch_timeout; })},
        {"gpki.crl_max_bytes",
         int_setter<std::size_t>([](Config & c) -> auto& { return c.auth.gpki.crl_max_bytes; })},
        {"gpki.crl_refresh_interval_s",
         seconds([](Config & c) -> auto& { return c.auth.gpki.crl_refresh_interval; })},
        {"gpki.crl_refresh_percent", int_setter<std::uint32_t>([](Config & c) -> auto& {
             return c.auth.gpki.crl_refresh_percent;
         })},
        {"gpki.crl_retry_min_s",
         seconds([](Config & c) -> auto& { return c.auth.gpki.crl_retry_min; })},
        {"gpki.crl_retry_max_s",
         seconds([](Config & c) -> auto& { return c.auth.gpki.crl_retry_max; })},
        {"gpki.crl_expiry_warning_s",
         seconds([](Config & c) -> auto& { return c.auth.gpki.crl_expiry_warning; })},
        {"gpki.revocation",
         [](Config& c, auto& k, auto& v) {
             c.auth.gpki.revocation = to_choice<RevocationSource>(
                 k, v,
                 {{"crl", RevocationSource::Crl},
                  {"ocsp", RevocationSource::Ocsp},
                  {"ocsp_then_crl", RevocationSource::OcspThenCrl},
                  {"both", RevocationSource::Both}}
             );
         }},
        {"gpki.revocation_unknown",
         [](Config& c, auto& k, auto& v) {
             c.auth.gpki.revocation_unknown = to_choice<UnknownRevocation>(
                 k, v, {{"hard", UnknownRevocation::Hard}, {"soft", UnknownRevocation::Soft}}
             );
         }},
        {"gpki.ocsp_responder", [](Config& c, auto&, auto& v) { c.auth.gpki.ocsp_responder = v; }},
        {"gpki.ocsp_timeout_s",
         seconds([](Config & c) -> auto& { return c.auth.gpki.ocsp_timeout; })},
        {"gpki.ocsp_max_age_s",
         seconds([](Config & c) -> auto& { return c.auth.gpki.ocsp_max_age; })},
        {"gpki.ocsp_clock_skew_s",
         seconds([](Config & c) -> auto& { return c.auth.gpki.ocsp_clock_skew; })},
        {"gpki.ocsp_max_response_bytes", int_setter<std::size_t>([](Config & c) -> auto& {
             return c.auth.gpki.ocsp_max_response_bytes;
         })},
        {"gpki.ocsp_cache_entries", int_setter<std::size_t>([](Config & c) -> auto& {
             return c.auth.gpki.ocsp_cache_entries;
         })},
        {"gpki.renewal",
         [](Config& c, auto& k, auto& v) {
             c.auth.gpki.renewal = to_choice<CertificateRenewal>(
                 k, ascii::lower(v),
                 {{"automatic", CertificateRenewal::Automatic},
                  {"approve", CertificateRenewal::Approve}}
             );
         }},
        {"token.issuer", [](Config& c, auto&, auto& v) { c.auth.token.issuer = v; }},
        {"token.audience", [](Config& c, auto&, auto& v) { c.auth.token.audience = v; }},
        {"token.key_dir", [](Config& c, auto&, auto& v) { c.auth.token.key_dir = v; }},
        {"token.ttl_s", seconds([](Config & c) -> auto& { return c.auth.token.ttl; })},
        {"token.clock_skew_s",
         seconds([](Config & c) -> auto& { return c.auth.token.clock_skew; })},
    };
    return table;
}

bool to_bool(const std::string& key, const std::string& value) {
    const auto v = ascii::lower(value);
    if (v == "true" || v == "yes" || v == "on" || v == "1") {
        return true;
    }
    if (v == "false" || v == "no" || v == "off" || v == "0") {
        return false;
    }
    throw std::runtime_error("config: " + key + " = '" + value + "' is not true or false");
}

SmsGatewayKind to_sms_gateway(const std::string& key, const std::string& value) {
    const auto v = ascii::lower(value);
    if (v == "off") {
        return SmsGatewayKind::Off;
    }
    if (v == "http") {
        return SmsGatewayKind::Http;
    }
    if (v == "spool") {
        return SmsGatewayKind::Spool;
    }
    throw std::runtime_error("config: " + key + " = '" + value + "' is not http, spool or off");
}

// The [sms] section (second factor of password logins).
const std::map<std::string, Setter>& sms_setters() {
    const auto seconds = [](std::chrono::seconds& (*field)(Config&)) -> Setter {
        return [field](Config& c, const std::string& k, const std::string& v) {
            field(c) = std::chrono::seconds(to_int<std::int64_t>(k, v));
        };
    };
    static const std::map<std::string, Setter> table = {
        {"sms.gateway",
         [](Config& c, auto& k, auto& v) { c.auth.sms.gateway = to_sms_gateway(k, v); }},
        {"sms.url", [](Config& c, auto&, auto& v) { c.auth.sms.url = v; }},
        {"sms.authorization", [](Config& c, auto&, auto& v) { c.auth.sms.authorization = v; }},
        {"sms.timeout_ms",
         [](Config& c, auto& k, auto& v) {
             c.auth.sms.timeout = std::chrono::milliseconds(to_int<std::int64_t>(k, v));
         }},
        {"sms.retries",
         int_setter<std::uint32_t>([](Config & c) -> auto& { return c.auth.sms.retries; })},
        {"sms.spool_dir", [](Config& c, auto&, auto& v) { c.auth.sms.spool_dir = v; }},
        {"sms.code_lifetime_s",
         seconds([](Config & c) -> auto& { return c.auth.sms.code_lifetime; })},
        {"sms.max_attempts",
         int_setter<std::uint32_t>([](Config & c) -> auto& { return c.auth.sms.max_attempts; })},
        {"sms.trust_window_s",
         seconds([](Config & c) -> auto& { return c.auth.sms.trust_window; })},
        {"sms.max_per_hour",
         int_setter<std::uint32_t>([](Config & c) -> auto& { return c.auth.sms.max_per_hour; })},
        {"sms.required", [](Config& c, auto& k, auto& v) { c.auth.sms.required = to_bool(k, v); }},
    };
    return table;
}

// "\n" in a one-line value stands for a line break.
std::string with_line_breaks(const std::string& value) {
    std::string out;
    for (std::size_t i = 0; i < value.size(); ++i) {
        if (value.compare(i, 2, "\\n") == 0) {
            out += '\n';
            ++i;
        } else {
            out += value[i];
        }
    }
    return out;
}

std::vector<Network> to_networks(const std::string& key, const std::string& value) {
    std::vector<Network> out;
    for (const auto& item : to_list(value)) {
        try {
            out.push_back(parse_network(item));
        } catch (const std::invalid_argument& e) {
            throw std::runtime_error("config: " + key + ": " + e.what());
        }
    }
    return out;
}

// The [smtp] sender rules and tarpit (smtpd/lib/policy.hpp).
const std::map<std::string, Setter>& smtp_policy_setters() {
    const auto milliseconds = [](std::chrono::milliseconds& (*field)(Config&)) -> Setter {
        return [field](Config& c, const std::string& k, const std::string& v) {
            field(c) = std::chrono::milliseconds(to_int<std::int64_t>(k, v));
        };
    };
    static const std::map<std::string, Setter> table = {
        {"smtp.trusted_relays",
         [](Config& c, auto& k, auto& v) { c.smtp.trusted_relays = to_networks(k, v); }},
        {"smtp.tarpit_after",
         int_setter<std::size_t>([](Config & c) -> auto& { return c.smtp.tarpit_after; })},
        {"smtp.tarpit_delay_ms",
         milliseconds([](Config & c) -> auto& { return c.smtp.tarpit_delay; })},
        {"smtp.tarpit_max_delay_ms",
         milliseconds([](Config & c) -> auto& { return c.smtp.tarpit_max_delay; })},
    };
    return table;
}

FilterTimeout to_filter_timeout(const std::string& key, const std::string& value) {
    const auto v = ascii::lower(value);
    if (v == "tempfail") {
        return FilterTimeout::Tempfail;
    }
    if (v == "accept") {
        return FilterTimeout::Accept;
    }
    throw std::runtime_error("config: " + key + " = '" + value + "' is not tempfail or accept");
}

// VALUE as [dns] nameservers: comma-separated IPv4[:port], at most kMaxNameservers.
std::vector<std::string> to_nameservers(const std::string& key, const std::string& value) {
    auto servers = to_list(value);
    for (const auto& server : servers) {
        if (!parse_nameserver(server)) {
            throw std::runtime_error(
                "config: " + key + " = '" + value + "': '" + server + "' is not IPv4[:port]"
            );
        }
    }
    if (servers.size() > kMaxNameservers) {
        throw std::runtime_error(
            "config: " + key + " names more than " + std::to_string(kMaxNameservers) + " servers"
        );
    }
    return servers;
}

// VALUE as a list of domain names (letters, digits, '-' and '.'): they go into rspamd's
// configuration as they are.
std::vector<std::string> to_domains(const std::string& key, const std::string& value) {
    auto domains = to_list(value);
    for (const auto& domain : domains) {
        const auto bad = std::find_if(domain.begin(), domain.end(), [](char c) {
            return !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.');
        });
        if (bad != domain.end()) {
            throw std::runtime_error("config: " + key + ": '" + domain + "' is not a domain name");
        }
    }
    return domains;
}

// The [filter] and [dns] sections (filter/, smtpd's end-of-data scan, the embedded rspamd,
// the MX look-ups).
const std::map<std::string, Setter>& filter_setters() {
    static const std::map<std::string, Setter> table = {
        {"filter.enabled", [](Config& c, auto& k, auto& v) { c.filter.enabled = to_bool(k, v); }},
        {"filter.rspamd_url", [](Config& c, auto&, auto& v) { c.filter.rspamd_url = v; }},
        {"filter.rspamd_port",
         int_setter<std::uint16_t>([](Config & c) -> auto& { return c.filter.rspamd_port; })},
        {"filter.controller_port",
         int_setter<std::uint16_t>([](Config & c) -> auto& { return c.filter.controller_port; })},
        {"filter.redis_port",
         int_setter<std::uint16_t>([](Config & c) -> auto& { return c.filter.redis_port; })},
        {"dns.nameservers",
         [](Config& c, auto& k, auto& v) { c.dns.nameservers = to_nameservers(k, v); }},
        // The older name of dns.nameservers, from when only rspamd used it.
        {"filter.nameservers",
         [](Config& c, auto& k, auto& v) { c.dns.nameservers = to_nameservers(k, v); }},
        {"filter.test_patterns",
         [](Config& c, auto& k, auto& v) { c.filter.test_patterns = to_bool(k, v); }},
        {"filter.check_loopback",
         [](Config& c, auto& k, auto& v) { c.filter.check_loopback = to_bool(k, v); }},
        {"filter.greylist_delay_s",
         seconds_setter([](Config & c) -> auto& { return c.filter.greylist_delay; })},
        {"filter.timeout_ms",
         [](Config& c, auto& k, auto& v) {
             c.filter.timeout = std::chrono::milliseconds(to_int<std::int64_t>(k, v));
         }},
        {"filter.on_timeout",
         [](Config& c, auto& k, auto& v) { c.filter.on_timeout = to_filter_timeout(k, v); }},
        {"filter.max_idle_connections", int_setter<std::size_t>([](Config & c) -> auto& {
             return c.filter.max_idle_connections;
         })},
        {"filter.authserv_id", [](Config& c, auto&, auto& v) { c.filter.authserv_id = v; }},
        {"filter.dkim_redis", [](Config& c, auto&, auto& v) { c.filter.dkim_redis = v; }},
        {"filter.antivirus",
         [](Config& c, auto& k, auto& v) { c.filter.antivirus = to_bool(k, v); }},
        {"filter.clamd_address", [](Config& c, auto&, auto& v) { c.filter.clamd_address = v; }},
        {"filter.clamd_port",
         int_setter<std::uint16_t>([](Config & c) -> auto& { return c.filter.clamd_port; })},
        {"filter.controller_url", [](Config& c, auto&, auto& v) { c.filter.controller_url = v; }},
        {"filter.controller_password",
         [](Config& c, auto&, auto& v) { c.filter.controller_password = v; }},
        {"filter.learn_give_up_s",
         seconds_setter([](Config & c) -> auto& { return c.filter.learn_give_up; })},
        {"filter.ratelimit_user_per_hour", int_setter<std::uint32_t>([](Config & c) -> auto& {
             return c.filter.ratelimit_user_per_hour;
         })},
        {"filter.ratelimit_domain_per_hour", int_setter<std::uint32_t>([](Config & c) -> auto& {
             return c.filter.ratelimit_domain_per_hour;
         })},
        {"filter.ratelimit_restricted_domains",
         [](Config& c, auto& k, auto& v) {
             c.filter.ratelimit_restricted_domains = to_domains(k, v);
         }},
        {"filter.ratelimit_restricted_user_per_hour", int_setter<std::uint32_t>([
         ](Config & c) -> auto& { return c.filter.ratelimit_restricted_user_per_hour; })},
    };
    return table;
}

// The [signup], [retiree] and [directory] sections (mailadm's account lifecycle).
const std::map<std::string, Setter>& lifecycle_setters() {
    static const std::map<std::string, Setter> table = {
        {"signup.networks",
         [](Config& c, auto& k, auto& v) { c.auth.signup.networks = to_networks(k, v); }},
        {"signup.eligible_after_days", int_setter<std::uint32_t>([](Config & c) -> auto& {
             return c.auth.signup.eligible_after_days;
         })},
        {"directory.max_retire_percent", int_setter<std::size_t>([](Config & c) -> auto& {
             return c.directory.max_retire_percent;
         })},
        {"directory.max_retire_count",
         int_setter<std::size_t>([](Config & c) -> auto& { return c.directory.max_retire_count; })},
        {"directory.reinstate_returning",
         [](Config& c, auto& k, auto& v) { c.directory.reinstate_returning = to_bool(k, v); }},
        {"directory.unit_lists",
         [](Config& c, auto& k, auto& v) { c.directory.unit_lists = to_bool(k, v); }},
        {"retiree.autoreply_subject",
         [](Config& c, auto&, auto& v) { c.retiree.autoreply_subject = v; }},
        {"retiree.autoreply_body",
         [](Config& c, auto&, auto& v) { c.retiree.autoreply_body = with_line_breaks(v); }},
    };
    return table;
}

std::string to_person_field(const std::string& key, const std::string& value) {
    const auto v = ascii::lower(value);
    if (v != "employee_no" && v != "mail_id") {
        throw std::runtime_error(
            "config: " + key + " = '" + value + "' is not employee_no or mail_id"
        );
    }
    return v;
}

// "client-id redirect-uri, client-id redirect-uri": the URIs keep their case.
std::vector<OAuthClient> to_oauth_clients(const std::string& key, const std::string& value) {
    std::vector<OAuthClient> out;
    std::stringstream in(value);
    std::string item;
    while (std::getline(in, item, ',')) {
        const auto entry = trim(item);
        const auto space = entry.find_first_of(" \t");
        if (entry.empty()) {
            continue;
        }
        if (space == std::string_view::npos || trim(entry.substr(space)).empty()) {
            throw std::runtime_error(
                "config: " + key + ": '" + std::string(entry) +
                "' is not a client id and redirect URI"
            );
        }
        out.push_back(OAuthClient{
            std::string(entry.substr(0, space)), std::string(trim(entry.substr(space)))});
    }
    return out;
}

// The [onepass] and [oauth] sections (the portal's SAML sign-in and OAuth endpoint).
const std::map<std::string, Setter>& portal_auth_setters() {
    const auto seconds = [](std::chrono::seconds& (*field)(Config&)) -> Setter {
        return [field](Config& c, const std::string& k, const std::string& v) {
            field(c) = std::chrono::seconds(to_int<std::int64_t>(k, v));
        };
    };
    static const std::map<std::string, Setter> table = {
        {"onepass.idp_entity_id",
         [](Config& c, auto&, auto& v) { c.auth.onepass.idp_entity_id = v; }},
        {"onepass.sso_url", [](Config& c, auto&, auto& v) { c.auth.onepass.sso_url = v; }},
        {"onepass.idp_certificate",
         [](Config& c, auto&, auto& v) { c.auth.onepass.idp_certificate = v; }},
        {"onepass.sp_entity_id",
         [](Config& c, auto&, auto& v) { c.auth.onepass.sp_entity_id = v; }},
        {"onepass.acs_url", [](Config& c, auto&, auto& v) { c.auth.onepass.acs_url = v; }},
        {"onepass.user_key_attribute",
         [](Config& c, auto&, auto& v) { c.auth.onepass.user_key_attribute = v; }},
        {"onepass.person_field",
         [](Config& c, auto& k, auto& v) { c.auth.onepass.person_field = to_person_field(k, v); }},
        {"onepass.sp_private_key",
         [](Config& c, auto&, auto& v) { c.auth.onepass.sp_private_key = v; }},
        {"onepass.sp_certificate",
         [](Config& c, auto&, auto& v) { c.auth.onepass.sp_certificate = v; }},
        {"onepass.clock_skew_s",
         seconds([](Config & c) -> auto& { return c.auth.onepass.clock_skew; })},
        {"onepass.request_lifetime_s",
         seconds([](Config & c) -> auto& { return c.auth.onepass.request_lifetime; })},
        {"oauth.clients",
         [](Config& c, auto& k, auto& v) { c.auth.oauth.clients = to_oauth_clients(k, v); }},
        {"oauth.code_lifetime_s",
         seconds([](Config & c) -> auto& { return c.auth.oauth.code_lifetime; })},
    };
    return table;
}

// "127.0.0.1:8443, [::1]:8443": the portal's HTTPS listeners.
std::vector<ListenerConfig> to_listeners(const std::string& key, const std::string& value) {
    std::vector<ListenerConfig> out;
    for (const auto& item : to_list(value)) {
        out.push_back(to_listener(key, item));
    }
    return out;
}

// The [managesieve] section (its sessions; the listener is [imap] managesieve).
const std::map<std::string, Setter>& managesieve_setters() {
    static const std::map<std::string, Setter> table = {
        {"managesieve.login_timeout_s",
         seconds_setter([](Config & c) -> auto& { return c.managesieve.login_timeout; })},
        {"managesieve.idle_timeout_s",
         seconds_setter([](Config & c) -> auto& { return c.managesieve.idle_timeout; })},
        {"managesieve.max_bad_commands", int_setter<std::size_t>([](Config & c) -> auto& {
             return c.managesieve.max_bad_commands;
         })},
    };
    return table;
}

// The [portal] section (govmail-portal).
const std::map<std::string, Setter>& portal_setters() {
    const auto seconds = [](std::chrono::seconds& (*field)(Config&)) -> Setter {
        return [field](Config& c, const std::string& k, const std::string& v) {
            field(c) = std::chrono::seconds(to_int<std::int64_t>(k, v));
        };
    };
    static const std::map<std::string, Setter> table = {
        {"portal.listen",
         [](Config& c, auto& k, auto& v) { c.portal.listeners = to_listeners(k, v); }},
        {"portal.networks",
         [](Config& c, auto& k, auto& v) { c.portal.networks = to_networks(k, v); }},
        {"portal.session_idle_s",
         seconds([](Config & c) -> auto& { return c.portal.session_idle; })},
        {"portal.session_lifetime_s",
         seconds([](Config & c) -> auto& { return c.portal.session_lifetime; })},
        {"portal.base_url", [](Config& c, auto&, auto& v) { c.portal.base_url = v; }},
        {"portal.request_timeout_s",
         seconds([](Config & c) -> auto& { return c.portal.request_timeout; })},
        {"portal.max_connections_per_address", int_setter<std::size_t>([](Config & c) -> auto& {
             return c.portal.max_connections_per_address;
         })},
        {"portal.max_connections",
         int_setter<std::size_t>([](Config & c) -> auto& { return c.portal.max_connections; })},
        {"portal.pending_signin_s",
         seconds([](Config & c) -> auto& { return c.portal.pending_signin; })},
        {"portal.pending_signin_attempts", int_setter<std::uint32_t>([](Config & c) -> auto& {
             return c.portal.pending_signin_attempts;
         })},
        {"portal.assets_dir", [](Config& c, auto&, auto& v) { c.portal.assets_dir = v; }},
        {"portal.max_pending_signins",
         int_setter<std::size_t>([](Config & c) -> auto& { return c.portal.max_pending_signins; })},
    };
    return table;
}

const std::map<std::string, Setter>& setters_for(const std::string& full_key) {
    if (full_key.starts_with("queue.")) {
        return queue_setters();
    }
    if (full_key.starts_with("gpki.") || full_key.starts_with("token.")) {
        return credential_setters();
    }
    if (full_key.starts_with("signup.") || full_key.starts_with("retiree.") ||
        full_key.starts_with("directory.")) {
        return lifecycle_setters();
    }
    if (full_key.starts_with("filter.") || full_key.starts_with("dns.")) {
        return filter_setters();
    }
    if (full_key.starts_with("sms.")) {
        return sms_setters();
    }
    if (full_key.starts_with("onepass.") || full_key.starts_with("oauth.")) {
        return portal_auth_setters();
    }
    if (full_key.starts_with("portal.")) {
        return portal_setters();
    }
    if (full_key.starts_with("managesieve.")) {
        return managesieve_setters();
    }
    if (full_key == "smtp.trusted_relays" || full_key.starts_with("smtp.tarpit_")) {
        return smtp_policy_setters();
    }
    return setters();
}

// Directories left empty live under var_dir.
void resolve_var_paths(Config& config) {
    if (config.auth.gpki.crl_dir.empty()) {
        config.auth.gpki.crl_dir = config.var_dir / "gpki" / "crl";
    }
    if (config.auth.token.key_dir.empty()) {
        config.auth.token.key_dir = config.var_dir / "token-keys";
    }
    if (config.auth.sms.spool_dir.empty()) {
        config.auth.sms.spool_dir = config.var_dir / "sms";
    }
}

// The file's paths are relative to FOLDER (the file's own), whatever the current folder.
void resolve_relative_paths(Config& config, const std::filesystem::path& folder) {
    const auto resolve = [&folder](std::filesystem::path& path) {
        if (!path.empty() && path.is_relative()) {
            path = (folder / path).lexically_normal();
        }
    };
    for (auto* path :
         {&config.var_dir, &config.tls.certificate, &config.tls.private_key,
          &config.auth.gpki.ca_bundle, &config.auth.gpki.crl_dir, &config.auth.token.key_dir,
          &config.auth.sms.spool_dir, &config.auth.onepass.idp_certificate,
          &config.auth.onepass.sp_private_key, &config.auth.onepass.sp_certificate}) {
        resolve(*path);
    }
}

// ManageSieve's timeouts not set in [managesieve] are IMAP's, as they were before the section.
void inherit_managesieve_timeouts(const RawConfig& raw, Config& config) {
    const auto section = raw.find("managesieve");
    const auto given = [&section, &raw](const std::string& key) {
        return section != raw.end() && section->second.contains(key);
    };
    if (!given("login_timeout_s")) {
        config.managesieve.login_timeout = config.imap.login_timeout;
    }
    if (!given("idle_timeout_s")) {
        config.managesieve.idle_timeout = config.imap.idle_timeout;
    }
}

// Settings that are valid one by one but not together.
void check_one_nameserver_list(const RawConfig& raw) {
    const auto given = [&raw](const std::string& section) {
        const auto found = raw.find(section);
        return found != raw.end() && found->second.contains("nameservers");
    };
    if (given("dns") && given("filter")) {
        throw std::runtime_error(
            "config: set dns.nameservers only (filter.nameservers is its older name)"
        );
    }
}

void check_sms(const SmsConfig& sms) {
    if (sms.gateway == SmsGatewayKind::Http && sms.url.empty()) {
        throw std::runtime_error("config: sms.gateway = http needs sms.url");
    }
    if (sms.max_attempts == 0 || sms.max_per_hour == 0 || sms.code_lifetime.count() <= 0 ||
        sms.timeout.count() <= 0) {
        throw std::runtime_error(
            "config: sms.max_attempts, sms.max_per_hour, sms.code_lifetime_s and sms.timeout_ms "
            "must be positive"
        );
    }
}

void check_crl_schedule(const GpkiConfig& gpki) {
    if (gpki.crl_refresh_interval.count() <= 0 || gpki.crl_retry_min.count() <= 0 ||
        gpki.crl_retry_max < gpki.crl_retry_min || gpki.crl_expiry_warning.count() < 0) {
        throw std::runtime_error(
            "config: gpki.crl_refresh_interval_s and gpki.crl_retry_min_s must be positive, "
            "gpki.crl_retry_max_s at least gpki.crl_retry_min_s, gpki.crl_expiry_warning_s not "
            "negative"
        );
    }
    if (gpki.crl_refresh_percent == 0 || gpki.crl_refresh_percent > 100) {
        throw std::runtime_error("config: gpki.crl_refresh_percent must be 1 to 100");
    }
}

}  // namespace

std::filesystem::path Config::tls_certificate() const {
    return tls.certificate.empty() ? var_dir / "tls" / "server.pem" : tls.certificate;
}

std::filesystem::path Config::tls_private_key() const {
    return tls.private_key.empty() ? var_dir / "tls" / "server.key" : tls.private_key;
}

std::string FilterConfig::url() const {
    return rspamd_url.empty() ? "http://127.0.0.1:" + std::to_string(rspamd_port) + "/"
                              : rspamd_url;
}

std::string FilterConfig::dkim_redis_address() const {
    return dkim_redis.empty() ? "127.0.0.1:" + std::to_string(redis_port) : dkim_redis;
}

std::string FilterConfig::controller() const {
    return controller_url.empty() ? "http://127.0.0.1:" + std::to_string(controller_port) + "/"
                                  : controller_url;
}

std::string FilterConfig::clamd() const {
    return clamd_address.empty() ? "127.0.0.1:" + std::to_string(clamd_port) : clamd_address;
}

bool Config::is_local_domain(std::string_view domain) const {
    const auto wanted = ascii::lower(domain);
    return std::find(local_domains.begin(), local_domains.end(), wanted) != local_domains.end();
}

RawConfig parse_config_text(std::string_view text) {
    RawConfig raw;
    std::string section = "server";
    std::size_t line_no = 0;
    while (!text.empty()) {
        ++line_no;
        const auto eol = text.find('\n');
        auto line = trim(text.substr(0, eol));
        text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
        if (line.empty() || line.front() == '#' || line.front() == ';') {
            continue;
        }
        if (line.front() == '[') {
            if (line.back() != ']' || line.size() < 3) {
                throw std::runtime_error(
                    "config line " + std::to_string(line_no) + ": malformed section header"
                );
            }
            section = ascii::lower(trim(line.substr(1, line.size() - 2)));
            continue;
        }
        const auto eq = line.find('=');
        if (eq == std::string_view::npos) {
            throw std::runtime_error(
                "config line " + std::to_string(line_no) + ": expected key = value"
            );
        }
        raw[section][ascii::lower(trim(line.substr(0, eq)))] =
            std::string(trim(line.substr(eq + 1)));
    }
    return raw;
}

Config interpret_config(const RawConfig& raw) {
    Config config;
    for (const auto& [section, values] : raw) {
        for (const auto& [key, value] : values) {
            const auto full = section + "." + key;
            const auto& table = setters_for(full);
            const auto setter = table.find(full);
            if (setter == table.end()) {
                throw std::runtime_error("config: unknown key " + full);
            }
            setter->second(config, full, value);
        }
    }
    resolve_var_paths(config);
    inherit_managesieve_timeouts(raw, config);
    check_one_nameserver_list(raw);
    check_sms(config.auth.sms);
    check_crl_schedule(config.auth.gpki);
    if (config.filter.greylist_delay.count() <= 0) {
        throw std::runtime_error("config: filter.greylist_delay_s must be positive");
    }
    if (config.filter.timeout.count() <= 0) {
        throw std::runtime_error("config: filter.timeout_ms must be positive");
    }
    return config;
}

Config load_config(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        throw std::runtime_error("configuration file " + file.string() + " cannot be read");
    }
    std::stringstream text;
    text << in.rdbuf();
    auto config = interpret_config(parse_config_text(text.str()));
    resolve_relative_paths(config, std::filesystem::absolute(file).parent_path());
    return config;
}

}  // namespace govmail
