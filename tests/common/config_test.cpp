// The configuration file: defaults, every value type, and the errors an administrator sees.

#include "common/config.hpp"

#include <gtest/gtest.h>

namespace govmail {
namespace {

TEST(Config, EmptyTextGivesSafeDefaults) {
    const auto config = interpret_config(parse_config_text(""));
    EXPECT_TRUE(config.database.dsn.empty());
    EXPECT_EQ(config.smtp.mx.port, 2525);
    EXPECT_EQ(config.smtp.mx.address, "127.0.0.1");
    EXPECT_EQ(config.imap.imaps.port, 1993);
    EXPECT_TRUE(config.is_local_domain("LOCALHOST"));
    EXPECT_EQ(config.tls_certificate(), std::filesystem::path("var/tls/server.pem"));
}

TEST(Config, ReadsSectionsListsListenersAndNumbers) {
    const auto config =
        interpret_config(parse_config_text("# comment\n"
                                           "[server]\n"
                                           "hostname = mail.example.go.kr\n"
                                           "local_domains = Example.GO.KR, korea.kr\n"
                                           "[smtp]\n"
                                           "mx = [::1]:25\n"
                                           "submissions = off\n"
                                           "max_message_bytes = 1048576\n"
                                           "[database]\n"
                                           "dsn = host=db.internal dbname=mail\n"));
    EXPECT_EQ(config.hostname, "mail.example.go.kr");
    EXPECT_EQ(config.local_domains, (std::vector<std::string>{"example.go.kr", "korea.kr"}));
    EXPECT_EQ(config.smtp.mx.address, "::1");
    EXPECT_EQ(config.smtp.mx.port, 25);
    EXPECT_FALSE(config.smtp.submissions.enabled);
    EXPECT_EQ(config.smtp.max_message_bytes, 1048576u);
    EXPECT_EQ(config.database.dsn, "host=db.internal dbname=mail");
}

TEST(Config, RejectsUnknownKeysAndBadValuesNamingThem) {
    const auto error_of = [](const char* text) {
        try {
            interpret_config(parse_config_text(text));
        } catch (const std::runtime_error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_NE(
        error_of("[smtp]\nmax_mesage_bytes = 5\n").find("smtp.max_mesage_bytes"), std::string::npos
    );
    EXPECT_NE(error_of("[smtp]\nmax_message_bytes = lots\n").find("lots"), std::string::npos);
    EXPECT_NE(error_of("[smtp]\nmx = 127.0.0.1\n").find("address:port"), std::string::npos);
    EXPECT_NE(error_of("[smtp]\nmx = 127.0.0.1:99999\n").find("99999"), std::string::npos);
    EXPECT_NE(error_of("[smtp\n").find("line 1"), std::string::npos);
    EXPECT_NE(error_of("[smtp]\njust words\n").find("line 2"), std::string::npos);
}

TEST(Config, ReadsTheGpkiRevocationPolicy) {
    auto config = interpret_config(parse_config_text(""));
    EXPECT_EQ(config.auth.gpki.revocation, RevocationSource::Crl);
    EXPECT_EQ(config.auth.gpki.revocation_unknown, UnknownRevocation::Hard);
    config =
        interpret_config(parse_config_text("[gpki]\n"
                                           "revocation = ocsp_then_crl\n"
                                           "revocation_unknown = soft\n"
                                           "ocsp_responder = http://ocsp.example.go.kr/\n"
                                           "ocsp_max_age_s = 600\n"
                                           "ocsp_cache_entries = 5\n"));
    EXPECT_EQ(config.auth.gpki.revocation, RevocationSource::OcspThenCrl);
    EXPECT_EQ(config.auth.gpki.revocation_unknown, UnknownRevocation::Soft);
    EXPECT_EQ(config.auth.gpki.ocsp_responder, "http://ocsp.example.go.kr/");
    EXPECT_EQ(config.auth.gpki.ocsp_max_age, std::chrono::seconds(600));
    EXPECT_EQ(config.auth.gpki.ocsp_cache_entries, 5u);
    try {
        interpret_config(parse_config_text("[gpki]\nrevocation = ldap\n"));
        ADD_FAILURE() << "revocation = ldap was accepted";
    } catch (const std::runtime_error& e) {
        EXPECT_STREQ(
            e.what(),
            "config: gpki.revocation = 'ldap' is not one of crl, ocsp, ocsp_then_crl, both"
        );
    }
}

TEST(Config, ReadsTheCrlRefreshScheduleAndRefusesOneThatCannotWork) {
    auto config = interpret_config(parse_config_text(""));
    EXPECT_EQ(config.auth.gpki.crl_refresh_interval, std::chrono::hours(1));
    EXPECT_EQ(config.auth.gpki.crl_refresh_percent, 50u);
    EXPECT_EQ(config.auth.gpki.crl_expiry_warning, std::chrono::hours(24));
    config =
        interpret_config(parse_config_text("[gpki]\n"
                                           "crl_refresh_interval_s = 600\n"
                                           "crl_refresh_percent = 25\n"
                                           "crl_retry_min_s = 5\n"
                                           "crl_retry_max_s = 60\n"
                                           "crl_expiry_warning_s = 7200\n"));
    EXPECT_EQ(config.auth.gpki.crl_refresh_interval, std::chrono::seconds(600));
    EXPECT_EQ(config.auth.gpki.crl_refresh_percent, 25u);
    EXPECT_EQ(config.auth.gpki.crl_retry_min, std::chrono::seconds(5));
    EXPECT_EQ(config.auth.gpki.crl_retry_max, std::chrono::seconds(60));
    EXPECT_EQ(config.auth.gpki.crl_expiry_warning, std::chrono::seconds(7200));
    for (const char* bad :
         {"crl_refresh_percent = 0\n", "crl_refresh_percent = 101\n", "crl_retry_min_s = 0\n",
          "crl_refresh_interval_s = 0\n", "crl_retry_min_s = 60\ncrl_retry_max_s = 30\n"}) {
        EXPECT_THROW(
            interpret_config(parse_config_text(std::string("[gpki]\n") + bad)), std::runtime_error
        ) << bad;
    }
}

TEST(Config, CertificateRenewalIsAutomaticUnlessApprovalIsAsked) {
    EXPECT_EQ(
        interpret_config(parse_config_text("")).auth.gpki.renewal, CertificateRenewal::Automatic
    );
    EXPECT_EQ(
        interpret_config(parse_config_text("[gpki]\nrenewal = Approve\n")).auth.gpki.renewal,
        CertificateRenewal::Approve
    );
    EXPECT_THROW(
        interpret_config(parse_config_text("[gpki]\nrenewal = sometimes\n")), std::runtime_error
    );
}

TEST(Config, FlagChangesCommitDurablyUnlessAsynchronousIsChosen) {
    EXPECT_EQ(interpret_config(parse_config_text("")).imap.flag_commit, FlagCommit::Durable);
    EXPECT_EQ(
        interpret_config(parse_config_text("[imap]\nflag_commit = Asynchronous\n"))
            .imap.flag_commit,
        FlagCommit::Asynchronous
    );
    EXPECT_THROW(
        interpret_config(parse_config_text("[imap]\nflag_commit = off\n")), std::runtime_error
    );
}

TEST(Config, ReadsTheSmsSection) {
    const auto defaults = interpret_config(parse_config_text(""));
    EXPECT_EQ(defaults.auth.sms.gateway, SmsGatewayKind::Off);
    EXPECT_FALSE(defaults.auth.sms.enabled());
    EXPECT_EQ(defaults.auth.sms.code_lifetime, std::chrono::seconds(300));
    EXPECT_EQ(defaults.auth.sms.trust_window, std::chrono::hours(12));
    EXPECT_EQ(defaults.auth.sms.spool_dir, std::filesystem::path("var/sms"));

    const auto config = interpret_config(parse_config_text(
        "[sms]\ngateway = HTTP\nurl = https://sms.example.go.kr/send\nauthorization = Bearer k\n"
        "timeout_ms = 1500\nretries = 4\ncode_lifetime_s = 120\nmax_attempts = 5\n"
        "trust_window_s = 3600\nmax_per_hour = 7\nrequired = yes\nspool_dir = /srv/sms\n"
    ));
    const auto& sms = config.auth.sms;
    EXPECT_EQ(sms.gateway, SmsGatewayKind::Http);
    EXPECT_TRUE(sms.enabled());
    EXPECT_EQ(sms.url, "https://sms.example.go.kr/send");
    EXPECT_EQ(sms.authorization, "Bearer k");
    EXPECT_EQ(sms.timeout, std::chrono::milliseconds(1500));
    EXPECT_EQ(sms.retries, 4u);
    EXPECT_EQ(sms.code_lifetime, std::chrono::seconds(120));
    EXPECT_EQ(sms.max_attempts, 5u);
    EXPECT_EQ(sms.trust_window, std::chrono::seconds(3600));
    EXPECT_EQ(sms.max_per_hour, 7u);
    EXPECT_EQ(sms.spool_dir, std::filesystem::path("/srv/sms"));
    EXPECT_FALSE(interpret_config(parse_config_text("[sms]\ngateway = spool\nrequired = false\n"))
                     .auth.sms.enabled());

    const auto error_of = [](const char* text) {
        try {
            interpret_config(parse_config_text(text));
        } catch (const std::runtime_error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_NE(error_of("[sms]\ngateway = carrier-pigeon\n").find("sms.gateway"), std::string::npos);
    EXPECT_NE(error_of("[sms]\ngateway = http\n").find("sms.url"), std::string::npos);
    EXPECT_NE(error_of("[sms]\nrequired = maybe\n").find("maybe"), std::string::npos);
    EXPECT_NE(error_of("[sms]\nmax_attempts = 0\n").find("max_attempts"), std::string::npos);
}

TEST(Config, ManageSieveIsOffUnlessSet) {
    EXPECT_FALSE(interpret_config(parse_config_text("")).imap.managesieve.enabled);
    const auto on = interpret_config(parse_config_text("[imap]\nmanagesieve = 127.0.0.1:4190\n"));
    EXPECT_TRUE(on.imap.managesieve.enabled);
    EXPECT_EQ(on.imap.managesieve.port, 4190);
    EXPECT_FALSE(
        interpret_config(parse_config_text("[imap]\nmanagesieve =\n")).imap.managesieve.enabled
    );
    EXPECT_FALSE(
        interpret_config(parse_config_text("[imap]\nmanagesieve = off\n")).imap.managesieve.enabled
    );
}

TEST(Config, ManageSieveHasItsOwnTimeoutsAndBadCommandLimit) {
    // The defaults are what ManageSieve had before its section: IMAP's timeouts and 10.
    const auto defaults = interpret_config(parse_config_text("")).managesieve;
    EXPECT_EQ(defaults.login_timeout, std::chrono::seconds(60));
    EXPECT_EQ(defaults.idle_timeout, std::chrono::seconds(1800));
    EXPECT_EQ(defaults.max_bad_commands, 10U);
    const auto imap_set = interpret_config(parse_config_text(
        "[imap]\nlogin_timeout_s = 8\nidle_timeout_s = 90\nmax_bad_commands = 4\n"
    ));
    EXPECT_EQ(imap_set.managesieve.login_timeout, std::chrono::seconds(8));
    EXPECT_EQ(imap_set.managesieve.idle_timeout, std::chrono::seconds(90));
    EXPECT_EQ(imap_set.managesieve.max_bad_commands, 10U);
    const auto set = interpret_config(parse_config_text(
        "[imap]\nlogin_timeout_s = 5\n[managesieve]\nlogin_timeout_s = 30\nidle_timeout_s = "
        "600\nmax_bad_commands = 3\n"
    ));
    EXPECT_EQ(set.managesieve.login_timeout, std::chrono::seconds(30));
    EXPECT_EQ(set.managesieve.idle_timeout, std::chrono::seconds(600));
    EXPECT_EQ(set.managesieve.max_bad_commands, 3U);
    EXPECT_EQ(set.imap.login_timeout, std::chrono::seconds(5));
}

TEST(Config, ThePortalIsOffUntilItListensAndReadsItsSection) {
    EXPECT_FALSE(interpret_config(parse_config_text("")).portal.enabled());
    const auto config = interpret_config(parse_config_text(
        "[portal]\nlisten = 127.0.0.1:8443, [::1]:9443\nnetworks = 10.0.0.0/8\n"
        "session_idle_s = 60\nsession_lifetime_s = 600\nbase_url = https://Mail.example\n"
    ));
    ASSERT_TRUE(config.portal.enabled());
    ASSERT_EQ(config.portal.listeners.size(), 2u);
    EXPECT_EQ(config.portal.listeners[1].address, "::1");
    EXPECT_EQ(config.portal.listeners[1].port, 9443);
    ASSERT_EQ(config.portal.networks.size(), 1u);
    EXPECT_EQ(config.portal.networks[0].prefix, 8u);
    EXPECT_EQ(config.portal.session_idle, std::chrono::seconds(60));
    EXPECT_EQ(config.portal.session_lifetime, std::chrono::seconds(600));
    EXPECT_EQ(config.portal.base_url, "https://Mail.example");
    EXPECT_THROW(
        interpret_config(parse_config_text("[portal]\nlisten = nowhere\n")), std::runtime_error
    );
}

TEST(Config, ReadsThePortalSignInLimitsAssetsAndTimeZone) {
    const auto defaults = interpret_config(parse_config_text(""));
    EXPECT_EQ(defaults.timezone, "Asia/Seoul");
    EXPECT_EQ(defaults.portal.pending_signin, std::chrono::seconds(300));
    EXPECT_EQ(defaults.portal.pending_signin_attempts, 5u);
    EXPECT_EQ(defaults.portal.max_pending_signins, 10'000u);
    EXPECT_TRUE(defaults.portal.assets_dir.empty());
    const auto config = interpret_config(parse_config_text(
        "timezone = UTC\n[portal]\npending_signin_s = 60\npending_signin_attempts = 2\n"
        "max_pending_signins = 10\nassets_dir = /srv/assets\n"
    ));
    EXPECT_EQ(config.timezone, "UTC");
    EXPECT_EQ(config.portal.pending_signin, std::chrono::seconds(60));
    EXPECT_EQ(config.portal.pending_signin_attempts, 2u);
    EXPECT_EQ(config.portal.max_pending_signins, 10u);
    EXPECT_EQ(config.portal.assets_dir, "/srv/assets");
}

TEST(Config, TheExampleFileIsValid) {
    EXPECT_NO_THROW(load_config(std::filesystem::path(GOVMAIL_SOURCE_DIR) / "conf" / "govmail.conf")
    );
}

TEST(Config, ReadsTheDnsSection) {
    EXPECT_TRUE(interpret_config(parse_config_text("")).dns.nameservers.empty());
    const auto config =
        interpret_config(parse_config_text("[dns]\nnameservers = 192.0.2.53, 127.0.0.1:5353\n"));
    EXPECT_EQ(config.dns.nameservers, (std::vector<std::string>{"192.0.2.53", "127.0.0.1:5353"}));
    for (const auto* bad :
         {"ns.example.org", "::1", "127.0.0.1:0", "127.0.0.1:x",
          "1.1.1.1, 2.2.2.2, 3.3.3.3, 4.4.4.4"}) {
        EXPECT_THROW(
            interpret_config(parse_config_text(std::string("[dns]\nnameservers = ") + bad + "\n")),
            std::runtime_error
        ) << bad;
    }
    // The older [filter] spelling, but not both.
    EXPECT_THROW(
        interpret_config(parse_config_text(
            "[dns]\nnameservers = 192.0.2.53\n[filter]\nnameservers = 192.0.2.54\n"
        )),
        std::runtime_error
    );
}

TEST(Config, ReadsTheExpungeHistoryBound) {
    const auto defaults = interpret_config(parse_config_text(""));
    EXPECT_EQ(defaults.imap.expunge_history.max_days, 90U);
    EXPECT_EQ(defaults.imap.expunge_history.max_rows, 50000U);
    const auto config = interpret_config(
        parse_config_text("[imap]\nexpunge_history_days = 7\nexpunge_history_max = 200\n")
    );
    EXPECT_EQ(config.imap.expunge_history.max_days, 7U);
    EXPECT_EQ(config.imap.expunge_history.max_rows, 200U);
    EXPECT_THROW(
        interpret_config(parse_config_text("[imap]\nexpunge_history_max = -1\n")),
        std::runtime_error
    );
}

TEST(Config, ReadsTheGreylistDelayAndLoopbackChecks) {
    const auto defaults = interpret_config(parse_config_text(""));
    EXPECT_EQ(defaults.filter.greylist_delay, std::chrono::seconds(300));
    EXPECT_FALSE(defaults.filter.check_loopback);
    const auto config = interpret_config(
        parse_config_text("[filter]\ngreylist_delay_s = 60\ncheck_loopback = true\n")
    );
    EXPECT_EQ(config.filter.greylist_delay, std::chrono::seconds(60));
    EXPECT_TRUE(config.filter.check_loopback);
    EXPECT_THROW(
        interpret_config(parse_config_text("[filter]\ngreylist_delay_s = 0\n")), std::runtime_error
    );
}

TEST(Config, ReadsTheFilterSection) {
    const auto defaults = interpret_config(parse_config_text(""));
    EXPECT_FALSE(defaults.filter.enabled);
    EXPECT_EQ(defaults.filter.url(), "http://127.0.0.1:11333/");
    EXPECT_EQ(defaults.filter.on_timeout, FilterTimeout::Tempfail);
    const auto config = interpret_config(parse_config_text(
        "[filter]\nenabled = true\nrspamd_url = http://10.0.0.5:11333\nrspamd_port = 2\n"
        "nameservers = 127.0.0.1:53, 10.0.0.1\ntimeout_ms = 1500\non_timeout = Accept\n"
        "authserv_id = mx.example.go.kr\n"
    ));
    EXPECT_TRUE(config.filter.enabled);
    EXPECT_EQ(config.filter.url(), "http://10.0.0.5:11333");
    EXPECT_EQ(config.filter.rspamd_port, 2);
    EXPECT_EQ(config.dns.nameservers, (std::vector<std::string>{"127.0.0.1:53", "10.0.0.1"}));
    EXPECT_EQ(config.filter.timeout, std::chrono::milliseconds(1500));
    EXPECT_EQ(config.filter.on_timeout, FilterTimeout::Accept);
    EXPECT_EQ(config.filter.authserv_id, "mx.example.go.kr");
    EXPECT_THROW(
        interpret_config(parse_config_text("[filter]\non_timeout = drop\n")), std::runtime_error
    );
    EXPECT_THROW(
        interpret_config(parse_config_text("[filter]\ntimeout_ms = 0\n")), std::runtime_error
    );
}

TEST(Config, ReadsTheFilterAbuseControlKeys) {
    const auto defaults = interpret_config(parse_config_text(""));
    EXPECT_EQ(defaults.filter.ratelimit_user_per_hour, 200u);
    EXPECT_EQ(defaults.filter.ratelimit_domain_per_hour, 5000u);
    EXPECT_FALSE(defaults.filter.antivirus);
    EXPECT_EQ(defaults.filter.clamd(), "127.0.0.1:11310");
    EXPECT_EQ(defaults.filter.controller(), "http://127.0.0.1:11334/");
    const auto config = interpret_config(parse_config_text(
        "[filter]\nratelimit_user_per_hour = 0\nratelimit_restricted_domains = Guest.Go.KR, "
        "b.test\n"
        "antivirus = on\nclamd_address = 10.0.0.7:3310\ncontroller_url = http://10.0.0.5:11334\n"
        "controller_password = secret\nlearn_give_up_s = 60\n"
    ));
    EXPECT_EQ(config.filter.ratelimit_user_per_hour, 0u);
    EXPECT_EQ(
        config.filter.ratelimit_restricted_domains,
        (std::vector<std::string>{"guest.go.kr", "b.test"})
    );
    EXPECT_TRUE(config.filter.antivirus);
    EXPECT_EQ(config.filter.clamd(), "10.0.0.7:3310");
    EXPECT_EQ(config.filter.controller(), "http://10.0.0.5:11334");
    EXPECT_EQ(config.filter.controller_password, "secret");
    EXPECT_EQ(config.filter.learn_give_up, std::chrono::seconds(60));
    // A domain goes into rspamd's configuration as it is: nothing but a domain name.
    EXPECT_THROW(
        interpret_config(parse_config_text("[filter]\nratelimit_restricted_domains = a\";b\n")),
        std::runtime_error
    );
}

}  // namespace
}  // namespace govmail
