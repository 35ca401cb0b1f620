#pragma once

// The suite's configuration: an INI-style file (`[section]` and `key = value` lines, `#`
// comments) read once at start. Every key has a safe default, so an empty file is a working
// development setup; conf/govmail.conf documents each key.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "common/network.hpp"

namespace govmail {

struct ListenerConfig {
    std::string address;  // numeric IPv4/IPv6 address to bind
    std::uint16_t port = 0;
    bool enabled = true;
};

struct DatabaseConfig {
    std::string dsn;                      // empty: run the embedded cluster under var/
    std::uint16_t embedded_port = 15432;  // loopback port of the embedded cluster
    std::string embedded_user;            // system user the cluster runs as when we are root
    std::size_t pool_size = 8;
    std::chrono::milliseconds query_timeout{30'000};
};

struct TlsConfig {
    std::filesystem::path certificate;  // PEM chain; empty: var/tls/server.pem (generated)
    std::filesystem::path private_key;  // empty: var/tls/server.key (generated)
};

struct SmtpConfig {
    ListenerConfig mx{"127.0.0.1", 2525};
    ListenerConfig submission{"127.0.0.1", 2587};
    ListenerConfig submissions{"127.0.0.1", 2465};
    std::size_t max_message_bytes = 50 * 1024 * 1024;
    std::size_t max_recipients = 1000;
    std::size_t max_connections_per_address = 20;
    std::size_t max_connections = 10000;  // all addresses together, all smtpd listeners
    std::size_t max_bad_commands = 10;
    std::chrono::seconds command_timeout{300};
    // The tarpit (smtpd/lib/policy.hpp): errors past tarpit_after are each answered after
    // tarpit_delay times their number past it, at most tarpit_max_delay.
    std::size_t tarpit_after = 3;
    std::chrono::milliseconds tarpit_delay{1000};
    std::chrono::milliseconds tarpit_max_delay{5000};
    // Clients on MX that may send mail with a sender in a local domain (envelope or header
    // From/Sender) without authenticating: a gateway or list server of the organisation, local
    // tools. Empty: none may.
    std::vector<Network> trusted_relays{parse_network("127.0.0.0/8"), parse_network("::1")};
    // Alias expansion at RCPT (storage/address_store.hpp): chains longer than this, or more
    // paths than max_alias_targets, are refused like a loop.
    std::size_t max_alias_depth = 8;
    std::size_t max_alias_targets = 1000;
    // The secret of SRS addresses (smtpd/lib/srs.hpp) for mail aliases forward elsewhere;
    // empty: aliases forward nowhere, their targets elsewhere are skipped. Forwarded mail is
    // queued as the [server] postmaster account's, so forwarding needs that set too.
    std::string srs_secret;
    std::int64_t srs_max_age_days = 21;  // bounces to older SRS addresses are refused
};

// How a flag change (STORE) commits: with its WAL flushed before OK, like every other change,
// or with PostgreSQL's asynchronous commit (bench/README.md: "Flag changes and asynchronous
// commit"). Message data always commits durably.
enum class FlagCommit { Durable, Asynchronous };

// How much of each mailbox's expunged-UID history QRESYNC (RFC 7162 3.2) reports from is
// kept: UIDs expunged more than max_days ago, and beyond the newest max_rows, are forgotten at
// the mailbox's next expunge; a client that last saw the mailbox before then resynchronises
// fully.
struct ExpungeHistory {
    std::uint32_t max_days = 90;
    std::uint32_t max_rows = 50000;  // per mailbox
};

struct ImapConfig {
    ListenerConfig imap{"127.0.0.1", 1143};
    ListenerConfig imaps{"127.0.0.1", 1993};
    ListenerConfig managesieve{"", 0, false};  // ManageSieve (RFC 5804); off unless set
    std::size_t max_literal_bytes = 64 * 1024 * 1024;
    std::size_t max_connections_per_address = 50;
    std::size_t max_connections = 10000;          // all addresses together, IMAP and ManageSieve
    std::size_t max_bad_commands = 10;            // invalid commands before the session is ended
    std::size_t max_mailbox_name_bytes = 1000;    // UTF-8 bytes of a name CREATE or RENAME makes
    std::size_t max_mailbox_levels = 20;          // hierarchy levels of such a name ("a/b" has 2)
    std::size_t max_mailboxes = 1000;             // per account
    std::size_t max_list_pattern_bytes = 1000;    // reference and patterns of one LIST together
    std::size_t max_metadata_value_bytes = 4096;  // one METADATA entry's value (RFC 5464)
    std::size_t max_metadata_entries = 100;       // METADATA entries per account, all mailboxes
    std::chrono::seconds login_timeout{60};
    std::chrono::seconds idle_timeout{1800};
    // SEARCH: text keys (BODY, TEXT, SUBJECT, FROM, HEADER ...) in one command, and the time
    // its text search may run in the database.
    std::size_t max_search_text_keys = 32;
    std::chrono::milliseconds search_timeout{10'000};
    FlagCommit flag_commit = FlagCommit::Durable;
    ExpungeHistory expunge_history{};
};

// ManageSieve sessions (served by govmail-imapd on imap.managesieve).
struct ManageSieveConfig {
    std::chrono::seconds login_timeout{60};
    std::chrono::seconds idle_timeout{1800};
    std::size_t max_bad_commands = 10;  // invalid commands before the session is ended
};

// Where a client certificate's revocation status comes from: its CA's CRL, its OCSP responder
// (RFC 6960), OCSP with the CRL when OCSP cannot answer, or both (either may refuse).
enum class RevocationSource { Crl, Ocsp, OcspThenCrl, Both };
// When no source can tell (no current CRL, no OCSP answer): refuse, or accept and audit.
enum class UnknownRevocation { Hard, Soft };

// Certificate logins (SASL EXTERNAL) with GPKI certificates; off until a CA bundle is set.
// What a renewed certificate (same CA and subject as a bound one, valid from later) does at
// its first login: bound to the same account at once, or held until `mailadm cert approve`.
enum class CertificateRenewal { Automatic, Approve };

struct GpkiConfig {
    std::filesystem::path ca_bundle;  // PEM: the GPKI root and CA certificates; empty: off
    std::filesystem::path crl_dir;    // CRLs (PEM or DER), one per file; empty: var/gpki/crl
    // The client certificate must carry one of these policies; an empty list accepts any.
    std::vector<std::string> policy_oids{"1.2.410.100001.2.2.1"};
    std::chrono::seconds crl_fetch_timeout{10};    // per distribution point, `gpki crl refresh`
    std::size_t crl_max_bytes = 64 * 1024 * 1024;  // one CRL as fetched, HTTP or LDAP
    // The CRL refresher `govmail start` runs: a point is fetched again after the shorter of
    // crl_refresh_interval and crl_refresh_percent of its CRL's remaining validity, never
    // sooner than crl_retry_min; a failed fetch is retried after crl_retry_min, doubling up to
    // crl_retry_max. A CRL within crl_expiry_warning of its nextUpdate is logged and audited.
    std::chrono::seconds crl_refresh_interval{3600};
    std::uint32_t crl_refresh_percent = 50;
    std::chrono::seconds crl_retry_min{30};
    std::chrono::seconds crl_retry_max{900};
    std::chrono::seconds crl_expiry_warning{86400};
    RevocationSource revocation = RevocationSource::Crl;
    UnknownRevocation revocation_unknown = UnknownRevocation::Hard;
    std::string ocsp_responder;               // URL; empty: the certificate's AIA
    std::chrono::seconds ocsp_timeout{5};     // per OCSP request
    std::chrono::seconds ocsp_max_age{3600};  // an answer's thisUpdate may be this old
    std::chrono::seconds ocsp_clock_skew{300};
    std::size_t ocsp_cache_entries = 10000;  // answers kept until their nextUpdate
    std::size_t ocsp_max_response_bytes = 256 * 1024;
    CertificateRenewal renewal = CertificateRenewal::Automatic;
};

// Access tokens (SASL OAUTHBEARER / XOAUTH2) from the suite's own token service: ES256 JWTs.
struct TokenConfig {
    std::string issuer = "govmail";
    std::string audience = "govmail-mail";
    std::filesystem::path key_dir;        // signing keys, <kid>.pem each; empty: var/token-keys
    std::chrono::seconds ttl{3600};       // lifetime of issued tokens
    std::chrono::seconds clock_skew{60};  // tolerated for exp and nbf
};

// The SMS second factor of password logins (auth/sms_*.hpp): a 6-digit code sent to the
// directory's mobile number, typed after the password. Off until a gateway is configured.
enum class SmsGatewayKind {
    Off,    // no SMS: passwords alone log in
    Http,   // POST {"to": ..., "text": ...} as JSON to url
    Spool,  // append one JSON line per message to spool_dir/sms.jsonl (development)
};

struct SmsConfig {
    SmsGatewayKind gateway = SmsGatewayKind::Off;
    std::string url;                            // http:// or https:// URL of the HTTP gateway
    std::string authorization;                  // sent as the Authorization header when set
    std::chrono::milliseconds timeout{10'000};  // per HTTP attempt, connect to response
    std::uint32_t retries = 2;                  // further attempts after a failed one
    std::filesystem::path spool_dir;            // empty: var_dir/sms
    std::chrono::seconds code_lifetime{300};
    std::uint32_t max_attempts = 3;  // wrong codes before a code is void
    std::chrono::seconds trust_window{12 * 3600};
    std::uint32_t max_per_hour = 5;  // codes sent per account per hour
    // Password logins of person accounts need the code (with a gateway). App passwords,
    // certificates, tokens and service accounts never do.
    bool required = true;

    bool enabled() const { return gateway != SmsGatewayKind::Off && required; }
};

// Signup requests (mailadm signup request, the portal, a first certificate login).
struct SignupConfig {
    std::vector<Network> networks;  // sources a request may come from; empty: any source
    // Approval waits this many days after the person's directory entry was first complete:
    // 1 is "from the next day" (days begin at midnight in the server's time zone).
    std::uint32_t eligible_after_days = 1;
};

// Digital OnePass sign-in to the portal (auth/saml/): the portal is a SAML 2.0 service
// provider. Off until the identity provider's certificate is set.
struct OnePassConfig {
    std::string idp_entity_id;              // the Issuer the provider's responses carry
    std::string sso_url;                    // where AuthnRequests are redirected
    std::filesystem::path idp_certificate;  // PEM: the provider's signing certificate; empty: off
    std::string sp_entity_id;               // the portal's entity id (the audience)
    std::string acs_url;                    // the portal's assertion consumer URL
    std::string user_key_attribute;         // the attribute with the user key; empty: the NameID
    std::string person_field = "employee_no";    // the directory field it names: or mail_id
    std::filesystem::path sp_private_key;        // PEM: signs AuthnRequests when set
    std::filesystem::path sp_certificate;        // PEM: published in the SP metadata when set
    std::chrono::seconds clock_skew{120};        // tolerated for NotBefore / NotOnOrAfter
    std::chrono::seconds request_lifetime{600};  // how long an AuthnRequest may be answered

    bool enabled() const { return !idp_certificate.empty(); }
};

// The portal's OAuth 2.0 authorisation endpoint (auth/oauth/): public clients with PKCE.
struct OAuthClient {
    std::string id;
    std::string redirect_uri;  // compared exactly
};

struct OAuthConfig {
    std::vector<OAuthClient> clients;  // one entry per client id and redirect URI
    std::chrono::seconds code_lifetime{60};
};

// Login security (auth/): Argon2id cost and brute-force limits. The defaults follow
// RFC 9106's second recommended option (t=3, 64 MiB, p=1).
struct AuthConfig {
    std::uint32_t argon2_time_cost = 3;
    std::uint32_t argon2_memory_kib = 64 * 1024;
    std::uint32_t argon2_parallelism = 1;
    std::size_t hash_threads = 2;  // blocking threads for hashing, off the io threads
    // Hashes that may wait for a free hashing thread; more are refused at once as a
    // temporary failure. 2,048 covers a storm of 2,000 distinct logins.
    std::size_t hash_queue_length = 2048;
    // How long a verified password is remembered (auth/credential_cache.hpp); 0: off.
    std::chrono::seconds credential_cache_ttl{3600};
    std::size_t credential_cache_entries = 100'000;
    std::chrono::seconds failure_window{900};
    std::uint32_t account_lock_failures = 10;  // per login name within the window
    std::uint32_t address_lock_failures = 30;  // per source address within the window
    std::chrono::seconds lock_duration{900};
    std::chrono::milliseconds failure_delay{250};        // doubles with each failure ...
    std::chrono::milliseconds max_failure_delay{8'000};  // ... up to this
    GpkiConfig gpki;
    TokenConfig token;
    SmsConfig sms;
    SignupConfig signup;
    OnePassConfig onepass;
    OAuthConfig oauth;
};

// The outbound queue runner in smtpd (relay of submitted mail to other servers).
enum class OutboundTls {
    Opportunistic,  // STARTTLS when the server offers it, certificate not checked
    Required,       // STARTTLS or no delivery (a 4xx-like retry), certificate not checked
    Verify,         // STARTTLS with a certificate valid for the host name (system CAs)
};

struct QueueConfig {
    std::string relay_host;  // "host:port" smarthost; empty: deliver by MX look-up
    OutboundTls tls = OutboundTls::Opportunistic;
    std::chrono::seconds retry_initial{60};   // first retry after a 4xx; doubles ...
    std::chrono::seconds retry_max{3600};     // ... up to this
    std::chrono::seconds give_up{5 * 86400};  // then the message bounces
    std::size_t concurrency = 4;              // parallel deliveries per process; 0: no runner
    std::chrono::seconds poll_interval{30};   // looks for due mail at least this often
    std::chrono::seconds lease{1800};         // a claim older than this is retried (crash)
    std::uint32_t timeout_percent = 100;      // RFC 5321 4.5.3.2 timeouts scaled by this
    std::chrono::seconds connect_timeout{30};
};

// Directory sync (mailadm directory sync): the guard against a truncated export, and what
// happens to the account of a person back in the directory.
struct DirectoryConfig {
    std::size_t max_retire_percent = 5;  // of the people in the directory; one may always go
    std::size_t max_retire_count = 0;    // 0: no limit by count
    bool reinstate_returning = false;    // false: `mailadm account reinstate` does it
    // Organisation-unit lists (`mailadm list`): off, their addresses are unknown recipients.
    bool unit_lists = false;
};

// What a retired account answers every sender with (directory sync, mailadm account retire).
struct RetireeConfig {
    std::string autoreply_subject = "[자동응답] 퇴직 안내 / No longer with the organisation";
    std::string autoreply_body =
        "이 주소의 사용자는 퇴직하여 더 이상 메일을 확인하지 않습니다. 업무 문의는 해당 부서로 "
        "연락해 주십시오.\n\nThe person at this address has left the organisation and no longer "
        "reads this mailbox. Please contact their department.";
};

// The self-service portal (govmail-portal): HTTPS pages where users manage their own
// account. Off until a listener is set.
struct PortalConfig {
    std::vector<ListenerConfig> listeners;    // HTTPS, client certificate optional; empty: off
    std::vector<Network> networks;            // clients served; others get 403; empty: any
    std::chrono::seconds session_idle{1800};  // a session unused this long ends
    std::chrono::seconds session_lifetime{8 * 3600};  // and every session after this
    std::string base_url;  // public https://host[:port] of the portal (links); empty: none
    // The TLS handshake, and then each request (headers and body, or the wait for the next
    // request on a kept-alive connection), must be done within this.
    std::chrono::seconds request_timeout{30};
    std::size_t max_connections_per_address = 200;  // offices behind one NAT share an address
    std::size_t max_connections = 5000;             // all addresses together
    // A password sign-in waiting for its SMS code (portal/pending_signins.hpp): how long,
    // how many codes may be typed, and how many may wait at a time.
    std::chrono::seconds pending_signin{300};
    std::uint32_t pending_signin_attempts = 5;
    std::size_t max_pending_signins = 10'000;
    // The KRDS style sheet and fonts the portal serves (installed at build time); empty:
    // portal-assets beside the govmail-portal binary.
    std::filesystem::path assets_dir;

    bool enabled() const { return !listeners.empty(); }
};

// Scanning of received mail by rspamd (filter/): spam verdicts, SPF, DKIM and DMARC results.
enum class FilterTimeout { Tempfail, Accept };

struct FilterConfig {
    bool enabled = false;  // off: mail is stored unscanned, as before the filter existed
    // An external rspamd's normal worker ("http://10.0.0.5:11333"); empty: the embedded one
    // that `govmail start` runs on loopback at rspamd_port.
    std::string rspamd_url;
    std::uint16_t rspamd_port = 11333;      // the embedded rspamd's scanner
    std::uint16_t controller_port = 11334;  // its controller (learning, statistics)
    std::uint16_t redis_port = 11379;       // the redis-server it keeps its state in
    bool test_patterns = false;             // rspamd's GTUBE variants for each action (tests only)
    // SPF, DKIM, DMARC and greylisting for clients on loopback too, which rspamd skips as
    // local (tests only: their clients all connect from 127.0.0.1).
    bool check_loopback = false;
    // How long a greylisted sender must wait before its retry is accepted (rspamd greylist).
    std::chrono::seconds greylist_delay{300};
    // A scan (connect, send, answer) must end within this; then on_timeout decides.
    std::chrono::milliseconds timeout{20'000};
    FilterTimeout on_timeout = FilterTimeout::Tempfail;
    std::size_t max_idle_connections = 8;  // kept-alive connections per io thread
    std::string authserv_id;               // Authentication-Results id; empty: the hostname
    // The Redis rspamd reads DKIM keys from ("10.0.0.6:6379"); empty: the embedded one.
    std::string dkim_redis;
    // Outbound abuse control (rspamd's ratelimit module, embedded rspamd only): recipients an
    // authenticated sender may submit per hour, per account and per the account's domain, and
    // a stricter per-account limit for the accounts of the restricted domains. 0: no limit.
    std::uint32_t ratelimit_user_per_hour = 200;
    std::uint32_t ratelimit_domain_per_hour = 5000;
    std::vector<std::string> ratelimit_restricted_domains;
    std::uint32_t ratelimit_restricted_user_per_hour = 20;
    // Virus scanning: rspamd's antivirus module asks clamd about each attachment, and infected
    // mail is refused with 554 5.7.1. clamd_address: an external clamd ("10.0.0.7:3310");
    // empty: the embedded one that `govmail start` runs on loopback at clamd_port.
    bool antivirus = false;
    std::string clamd_address;
    std::uint16_t clamd_port = 11310;
    // Spam learning (moves into and out of \Junk, smtpd/lib/junk_learner.hpp): an external
    // rspamd's controller ("http://10.0.0.5:11334"; empty: the embedded one at controller_port)
    // and its password (sent when not empty). A job that keeps failing is dropped after
    // learn_give_up.
    std::string controller_url;
    std::string controller_password;
    std::chrono::seconds learn_give_up{86'400};

    // The controller's URL: controller_url, or the embedded one.
    std::string controller() const;
    // clamd's host:port: clamd_address, or the embedded one.
    std::string clamd() const;

    // The scanner's URL: rspamd_url, or the embedded one.
    std::string url() const;
    // dkim_redis, or the embedded redis-server's "127.0.0.1:redis_port".
    std::string dkim_redis_address() const;
};

// The DNS servers rspamd and govmail's own MX look-ups ask ("IPv4[:port]", see
// common/nameserver.hpp); empty: the system's (/etc/resolv.conf).
struct DnsConfig {
    std::vector<std::string> nameservers;
};

struct Config {
    std::filesystem::path var_dir = "var";
    std::string hostname = "mail.localhost";
    std::vector<std::string> local_domains{"localhost"};
    // The accounts that mail to postmaster (RFC 5321 4.5.1, bare and at every local domain)
    // and abuse (RFC 2142) goes to; empty: those addresses are ordinary ones.
    std::string postmaster;
    std::string abuse;
    std::string log_level = "info";
    std::string timezone = "Asia/Seoul";  // the IANA zone times are shown to users in
    std::size_t threads = 0;              // 0: one per core
    DatabaseConfig database;
    TlsConfig tls;
    SmtpConfig smtp;
    ImapConfig imap;
    ManageSieveConfig managesieve;
    AuthConfig auth;
    QueueConfig queue;
    RetireeConfig retiree;
    DirectoryConfig directory;
    PortalConfig portal;
    FilterConfig filter;
    DnsConfig dns;

    std::filesystem::path tls_certificate() const;
    std::filesystem::path tls_private_key() const;
    bool is_local_domain(std::string_view domain) const;
};

// Section -> key -> value, as read from the file, before interpretation.
using RawConfig = std::map<std::string, std::map<std::string, std::string>>;

// Parses the INI text. Throws std::runtime_error naming the line on malformed input
// (configuration errors stop the program at start, STYLE.md "Errors").
RawConfig parse_config_text(std::string_view text);

// Applies the raw values over the defaults. Throws std::runtime_error for an unknown key or
// a value of the wrong type, naming both.
Config interpret_config(const RawConfig& raw);

// Reads FILE (its relative paths are FILE's folder's); throws naming FILE when unreadable.
Config load_config(const std::filesystem::path& file);

}  // namespace govmail
