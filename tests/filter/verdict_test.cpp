// rspamd's /checkv2 answers (the protocol page's example and answers of rspamd 3.4 itself)
// parsed into verdicts, and the answers that are none.

#include "filter/verdict.hpp"

#include <gtest/gtest.h>

namespace govmail::filter {
namespace {

// rspamd's documentation, "Rspamd protocol", the JSON reply of /checkv2.
constexpr std::string_view kDocumented = R"({
    "is_skipped": false,
    "score": 5.2,
    "required_score": 7,
    "action": "add header",
    "symbols": {
        "DATE_IN_PAST": {
            "name": "DATE_IN_PAST",
            "score": 0.1
        }
    },
    "urls": [
        "www.example.com",
        "another.example.com"
    ],
    "emails": [
        "user@example.com"
    ],
    "message-id": "4E699308EFABE14EB3F18A1BB025456988527794@example"
})";

// rspamd 3.4's answer to GTUBE.
constexpr std::string_view kGtube =
    R"({"is_skipped":true,"score":15.0,"required_score":15.0,"action":"reject",)"
    R"("symbols":{"GTUBE":{"name":"GTUBE","score":0.0,"metric_score":0.0}},)"
    R"("messages":{"smtp_message":"Gtube pattern"},"message-id":"1@example.org",)"
    R"("time_real":0.083313})";

// rspamd 3.4's answer to its rewrite-subject test pattern.
constexpr std::string_view kRewriteSubject =
    R"({"is_skipped":false,"score":0.0,"required_score":15.0,"action":"rewrite subject",)"
    R"("subject":"*** SPAM *** test","symbols":{"R_SPF_ALLOW":{"name":"R_SPF_ALLOW",)"
    R"("score":-0.2,"metric_score":-0.2,"options":["+ip4:192.0.2.0/24"]}},"messages":{}})";

TEST(Verdict, DocumentedAnswer) {
    const auto verdict = parse_verdict(kDocumented);
    ASSERT_TRUE(verdict);
    EXPECT_EQ(verdict->action, Action::AddHeader);
    EXPECT_DOUBLE_EQ(verdict->score, 5.2);
    EXPECT_DOUBLE_EQ(verdict->required_score, 7);
    ASSERT_EQ(verdict->symbols.size(), 1U);
    EXPECT_EQ(verdict->symbols[0].name, "DATE_IN_PAST");
    EXPECT_DOUBLE_EQ(verdict->symbols[0].score, 0.1);
    EXPECT_TRUE(verdict->smtp_message.empty());
    EXPECT_FALSE(verdict->subject);
}

TEST(Verdict, RejectCarriesTheSmtpMessage) {
    const auto verdict = parse_verdict(kGtube);
    ASSERT_TRUE(verdict);
    EXPECT_EQ(verdict->action, Action::Reject);
    EXPECT_EQ(verdict->smtp_message, "Gtube pattern");
    EXPECT_NE(verdict->symbol("GTUBE"), nullptr);
    EXPECT_EQ(verdict->symbol("R_SPF_ALLOW"), nullptr);
}

TEST(Verdict, RewriteSubjectCarriesTheSubjectAndOptions) {
    const auto verdict = parse_verdict(kRewriteSubject);
    ASSERT_TRUE(verdict);
    EXPECT_EQ(verdict->action, Action::RewriteSubject);
    EXPECT_EQ(verdict->subject, "*** SPAM *** test");
    const auto* spf = verdict->symbol("R_SPF_ALLOW");
    ASSERT_NE(spf, nullptr);
    EXPECT_EQ(spf->options, std::vector<std::string>{"+ip4:192.0.2.0/24"});
}

TEST(Verdict, EveryActionName) {
    for (const auto action :
         {Action::NoAction, Action::Greylist, Action::AddHeader, Action::RewriteSubject,
          Action::SoftReject, Action::Reject}) {
        const auto json = R"({"action":")" + std::string(action_name(action)) + R"("})";
        const auto verdict = parse_verdict(json);
        ASSERT_TRUE(verdict) << json;
        EXPECT_EQ(verdict->action, action);
    }
}

TEST(Verdict, AnswersThatAreNoVerdict) {
    const std::vector<std::string> answers{
        "",
        "not json",
        "[]",
        R"({"error":"cannot parse input"})",    // rspamd's error answer
        R"({"score":3})",                       // no action
        R"({"action":"discard"})",              // an action rspamd 3.4 does not give
        R"({"action":7})",                      // of the wrong type
        R"({"action":"no action","score":1)",   // cut short
        std::string(kMaxAnswerBytes + 1, ' '),  // too large
    };
    for (const auto& answer : answers) {
        EXPECT_FALSE(parse_verdict(answer)) << answer.substr(0, 60);
    }
}

TEST(Verdict, FieldsOfTheWrongTypeAreIgnored) {
    const auto verdict =
        parse_verdict(R"({"action":"no action","score":"high","symbols":{"A":1,"B":{"score":"x",)"
                      R"("options":[1,"kept"]}},"messages":{"smtp_message":5},"subject":[]})");
    ASSERT_TRUE(verdict);
    EXPECT_DOUBLE_EQ(verdict->score, 0);
    ASSERT_EQ(verdict->symbols.size(), 1U);
    EXPECT_EQ(verdict->symbols[0].name, "B");
    EXPECT_EQ(verdict->symbols[0].options, std::vector<std::string>{"kept"});
    EXPECT_TRUE(verdict->smtp_message.empty());
    EXPECT_FALSE(verdict->subject);
}

}  // namespace
}  // namespace govmail::filter
