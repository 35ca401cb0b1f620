// Authentication-Results from rspamd's symbols, the removal of fields a sender must not set,
// the spam fields, and the request fields of a scan.

#include "filter/headers.hpp"

#include <gtest/gtest.h>

#include "filter/scan_request.hpp"

namespace govmail::filter {
namespace {

Verdict with_symbols(std::vector<Symbol> symbols) {
    Verdict verdict;
    verdict.symbols = std::move(symbols);
    return verdict;
}

constexpr ResultContext kMx{"mail.example.go.kr", "sender@example.org", "mx.example.org", ""};

TEST(AuthenticationResults, SpfDkimDmarcFromSymbols) {
    const auto verdict = with_symbols({
        {"R_SPF_ALLOW", -0.2, {"+ip4:192.0.2.1"}},
        {"R_DKIM_ALLOW", -0.2, {"example.org:s=mail"}},
        {"DMARC_POLICY_ALLOW", -0.5, {"example.org", "reject"}},
    });
    EXPECT_EQ(
        authentication_results(kMx, &verdict),
        "Authentication-Results: mail.example.go.kr;\r\n"
        "\tspf=pass smtp.mailfrom=example.org;\r\n"
        "\tdkim=pass header.d=example.org;\r\n"
        "\tdmarc=pass header.from=example.org\r\n"
    );
}

TEST(AuthenticationResults, Failures) {
    const auto verdict = with_symbols({
        {"R_SPF_SOFTFAIL", 0, {}},
        {"R_DKIM_REJECT", 1, {"example.org:s=mail"}},
        {"DMARC_POLICY_REJECT", 2, {"example.org : No valid SPF, DKIM not aligned", "reject"}},
    });
    EXPECT_EQ(
        authentication_results(kMx, &verdict),
        "Authentication-Results: mail.example.go.kr;\r\n"
        "\tspf=softfail smtp.mailfrom=example.org;\r\n"
        "\tdkim=fail header.d=example.org;\r\n"
        "\tdmarc=fail header.from=example.org\r\n"
    );
}

TEST(AuthenticationResults, NullSenderNamesTheHelo) {
    const ResultContext bounce{"mx.test", "", "mx.example.org", ""};
    const auto verdict = with_symbols({{"R_SPF_FAIL", 1, {}}});
    EXPECT_EQ(
        authentication_results(bounce, &verdict),
        "Authentication-Results: mx.test;\r\n\tspf=fail smtp.helo=mx.example.org\r\n"
    );
}

TEST(AuthenticationResults, NoResultIsNone) {
    const auto verdict = with_symbols({{"MIME_GOOD", -0.1, {}}});
    EXPECT_EQ(
        authentication_results(kMx, &verdict),
        "Authentication-Results: mail.example.go.kr; none\r\n"
    );
    EXPECT_EQ(
        authentication_results(kMx, nullptr), "Authentication-Results: mail.example.go.kr; none\r\n"
    );
}

TEST(AuthenticationResults, AuthenticatedSubmission) {
    const ResultContext submission{"mx.test", "kim@example.go.kr", "laptop", "kim@example.go.kr"};
    EXPECT_EQ(
        authentication_results(submission, nullptr),
        "Authentication-Results: mx.test;\r\n\tauth=pass smtp.auth=kim@example.go.kr\r\n"
    );
}

TEST(AuthenticationResults, NoValueCanEndTheField) {
    const ResultContext hostile{"mx.test", "a@evil.example;\r\nX-Injected: 1", "h", ""};
    const auto verdict = with_symbols({{"R_SPF_ALLOW", 0, {}}});
    EXPECT_EQ(
        authentication_results(hostile, &verdict),
        "Authentication-Results: mx.test;\r\n\tspf=pass smtp.mailfrom=evil.exampleX-Injected1\r\n"
    );
}

TEST(RemoveClaimedFields, OnlyOursAndTheSpamFields) {
    const std::string message =
        "Received: from x by y\r\n"
        "Authentication-Results: MX.test; spf=pass smtp.mailfrom=forged.example\r\n"
        "Authentication-Results: other.example; dkim=pass\r\n"
        "authentication-results: (a comment) mx.test;\r\n"
        "\tdkim=pass header.d=forged.example\r\n"
        "X-Spam-Status: No, score=-100\r\n"
        "X-Spam-Flag: NO\r\n"
        "Subject: hello\r\n"
        "\r\n"
        "Authentication-Results: mx.test; body lines stay\r\n";
    EXPECT_EQ(
        remove_claimed_fields(message, "mx.test"),
        "Received: from x by y\r\n"
        "Authentication-Results: other.example; dkim=pass\r\n"
        "Subject: hello\r\n"
        "\r\n"
        "Authentication-Results: mx.test; body lines stay\r\n"
    );
}

TEST(RemoveClaimedFields, APrefixOfOurIdIsNotOurs) {
    const std::string message =
        "Authentication-Results: mx.test.example; none\r\nSubject: s\r\n\r\nbody\r\n";
    EXPECT_EQ(remove_claimed_fields(message, "mx.test"), message);
}

TEST(ReplaceSubject, TheFirstSubjectIsReplacedAndOthersGo) {
    EXPECT_EQ(
        replace_subject(
            "From: a@example.org\r\nSubject: buy\r\n\tnow\r\nTo: b@example.org\r\n"
            "subject: again\r\n\r\nSubject: body line\r\n",
            "Subject: *** SPAM *** buy now\r\n"
        ),
        "From: a@example.org\r\nSubject: *** SPAM *** buy now\r\nTo: b@example.org\r\n"
        "\r\nSubject: body line\r\n"
    );
}

TEST(ReplaceSubject, AMessageWithoutSubjectGetsOne) {
    EXPECT_EQ(
        replace_subject("From: a@example.org\r\n\r\nbody\r\n", "Subject: *** SPAM ***\r\n"),
        "Subject: *** SPAM ***\r\nFrom: a@example.org\r\n\r\nbody\r\n"
    );
}

TEST(SpamFields, SpamAndHam) {
    Verdict verdict;
    verdict.action = Action::AddHeader;
    verdict.score = 6;
    verdict.required_score = 15;
    EXPECT_EQ(
        spam_fields(verdict, true),
        "X-Spam-Flag: YES\r\nX-Spam-Status: Yes, score=6.00 required=15.00 action=add header\r\n"
    );
    verdict.action = Action::NoAction;
    verdict.score = -0.1;
    EXPECT_EQ(
        spam_fields(verdict, false),
        "X-Spam-Status: No, score=-0.10 required=15.00 action=no action\r\n"
    );
}

TEST(ScanFields, EnvelopeAndConnection) {
    ScanRequest request;
    request.mail_from = "a@example.org";
    request.recipients = {"b@example.go.kr", "c@example.go.kr"};
    request.client_ip = "192.0.2.1";
    request.helo = "mx.example.org\x01";
    request.user = "";
    request.queue_id = "0A1B";
    request.tls = "TLSv1.3 TLS_AES_256_GCM_SHA384";
    const HeaderFields expected{
        {"From", "a@example.org"},   {"Rcpt", "b@example.go.kr"},
        {"Rcpt", "c@example.go.kr"}, {"Ip", "192.0.2.1"},
        {"Helo", "mx.example.org"},  {"Queue-Id", "0A1B"},
        {"TLS-Version", "TLSv1.3"},  {"TLS-Cipher", "TLS_AES_256_GCM_SHA384"},
    };
    EXPECT_EQ(scan_fields(request), expected);
}

TEST(ScanFields, NullSenderAndUser) {
    ScanRequest request;
    request.user = "kim@example.go.kr";
    const HeaderFields expected{{"From", "<>"}, {"User", "kim@example.go.kr"}};
    EXPECT_EQ(scan_fields(request), expected);
}

}  // namespace
}  // namespace govmail::filter
