// What smtpd does with each verdict of rspamd, and without one ([filter] on_timeout).

#include "smtpd/lib/scan_decision.hpp"

#include <gtest/gtest.h>

#include "filter/abuse_symbols.hpp"

namespace govmail::smtpd {
namespace {

constexpr filter::ResultContext kContext{"mx.test", "a@example.org", "mx.example.org", ""};

filter::ScanResult verdict_of(filter::Action action, std::string smtp_message = "") {
    filter::Verdict verdict;
    verdict.action = action;
    verdict.score = 6;
    verdict.required_score = 15;
    verdict.smtp_message = std::move(smtp_message);
    return verdict;
}

TEST(ScanDecision, RejectIs550WithRspamdsText) {
    const auto decision =
        decide_scan(FilterConfig{}, verdict_of(filter::Action::Reject, "Gtube pattern"), kContext);
    EXPECT_EQ(decision.code, 550);
    EXPECT_EQ(decision.enhanced, "5.7.1");
    EXPECT_EQ(decision.text, "Gtube pattern");
}

TEST(ScanDecision, VirusIs554) {
    auto verdict = verdict_of(filter::Action::Reject, "Message refused: it carries a virus");
    verdict->symbols.push_back(filter::Symbol{std::string(filter::kVirusSymbol), 0, {"Test.Virus"}}
    );
    const auto decision = decide_scan(FilterConfig{}, verdict, kContext);
    EXPECT_EQ(decision.code, 554);
    EXPECT_EQ(decision.enhanced, "5.7.1");
    EXPECT_EQ(decision.text, "Message refused: it carries a virus");
}

TEST(ScanDecision, RejectTextIsOneBoundedPrintableLine) {
    const auto decision = decide_scan(
        FilterConfig{}, verdict_of(filter::Action::Reject, "bad\r\n250 ok" + std::string(500, 'x')),
        kContext
    );
    EXPECT_EQ(decision.text.size(), kMaxRefusalText);
    EXPECT_TRUE(decision.text.starts_with("bad250 ok"));
    EXPECT_EQ(
        decide_scan(FilterConfig{}, verdict_of(filter::Action::Reject), kContext).text,
        "Message refused as spam"
    );
}

TEST(ScanDecision, SoftRejectAndGreylistAre451) {
    for (const auto action : {filter::Action::SoftReject, filter::Action::Greylist}) {
        const auto decision = decide_scan(FilterConfig{}, verdict_of(action), kContext);
        EXPECT_EQ(decision.code, 451);
        EXPECT_EQ(decision.enhanced, "4.7.1");
        EXPECT_EQ(decision.text, "Try again later");
    }
}

TEST(ScanDecision, AddHeaderAndRewriteSubjectGoToJunk) {
    for (const auto action : {filter::Action::AddHeader, filter::Action::RewriteSubject}) {
        const auto decision = decide_scan(FilterConfig{}, verdict_of(action), kContext);
        EXPECT_FALSE(decision.refused());
        EXPECT_TRUE(decision.junk);
        EXPECT_EQ(
            decision.fields,
            "Authentication-Results: mx.test; none\r\nX-Spam-Flag: YES\r\n"
            "X-Spam-Status: Yes, score=6.00 required=15.00 action=" +
                std::string(filter::action_name(action)) + "\r\n"
        );
    }
}

TEST(ScanDecision, RewriteSubjectTakesRspamdsSubjectCleanedAndEncoded) {
    auto result = verdict_of(filter::Action::RewriteSubject);
    result->subject = "*** SPAM *** hello\r\nBcc: victim@example.org";
    EXPECT_EQ(
        decide_scan(FilterConfig{}, result, kContext).subject_field,
        "Subject: *** SPAM *** hello Bcc: victim@example.org\r\n"
    );
    result->subject = "*** SPAM *** \xec\x95\x88\xeb\x85\x95";
    EXPECT_EQ(
        decide_scan(FilterConfig{}, result, kContext).subject_field,
        "Subject: =?UTF-8?B?KioqIFNQQU0gKioqIOyViOuFlQ==?=\r\n"
    );
    // Only that action rewrites.
    auto add_header = verdict_of(filter::Action::AddHeader);
    add_header->subject = "*** SPAM *** hello";
    EXPECT_FALSE(decide_scan(FilterConfig{}, add_header, kContext).subject_field);
}

TEST(ScanDecision, NoActionGoesToTheInbox) {
    const auto decision =
        decide_scan(FilterConfig{}, verdict_of(filter::Action::NoAction), kContext);
    EXPECT_FALSE(decision.refused());
    EXPECT_FALSE(decision.junk);
    EXPECT_EQ(
        decision.fields,
        "Authentication-Results: mx.test; none\r\n"
        "X-Spam-Status: No, score=6.00 required=15.00 action=no action\r\n"
    );
}

TEST(ScanDecision, NoVerdictTempfailsByDefault) {
    const filter::ScanResult none("connecting: Connection refused");
    const auto decision = decide_scan(FilterConfig{}, none, kContext);
    EXPECT_EQ(decision.code, 451);
    EXPECT_EQ(decision.enhanced, "4.7.1");
}

TEST(ScanDecision, NoVerdictAcceptedUnchecked) {
    FilterConfig config;
    config.on_timeout = FilterTimeout::Accept;
    const filter::ScanResult none("reading the answer: The socket was closed due to a timeout");
    const auto decision = decide_scan(config, none, kContext);
    EXPECT_FALSE(decision.refused());
    EXPECT_FALSE(decision.junk);
    EXPECT_EQ(
        decision.fields, "Authentication-Results: mx.test; none\r\nX-Spam-Status: unchecked\r\n"
    );
}

}  // namespace
}  // namespace govmail::smtpd
