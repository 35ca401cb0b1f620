// The DKIM-Signature fields of rspamd's answer: parsed from "dkim-signature" (a string or an
// array), folded with CRLF, and dropped when they would end the header early.

#include "filter/signature_fields.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace govmail::filter {
namespace {

Verdict signed_with(std::vector<std::string> signatures) {
    Verdict verdict;
    verdict.dkim_signatures = std::move(signatures);
    return verdict;
}

TEST(DkimSignatures, ParsedFromAStringOrAnArray) {
    const auto one = parse_verdict(R"({"action":"no action","dkim-signature":"v=1; a=rsa"})");
    ASSERT_TRUE(one);
    EXPECT_EQ(one->dkim_signatures, std::vector<std::string>{"v=1; a=rsa"});
    const auto two = parse_verdict(R"({"action":"no action","dkim-signature":["a",7,"b"]})");
    ASSERT_TRUE(two);
    EXPECT_EQ(two->dkim_signatures, (std::vector<std::string>{"a", "b"}));
    const auto none = parse_verdict(R"({"action":"no action"})");
    ASSERT_TRUE(none);
    EXPECT_TRUE(none->dkim_signatures.empty());
}

TEST(DkimSignatures, FoldsBecomeCrlf) {
    EXPECT_EQ(
        dkim_signature_fields(signed_with({"v=1; a=rsa-sha256;\n\td=example.org;\r\n s=x"})),
        "DKIM-Signature: v=1; a=rsa-sha256;\r\n\td=example.org;\r\n s=x\r\n"
    );
}

TEST(DkimSignatures, OneFieldPerSignature) {
    EXPECT_EQ(
        dkim_signature_fields(signed_with({"v=1; a=rsa-sha256", "v=1; a=ed25519-sha256"})),
        "DKIM-Signature: v=1; a=rsa-sha256\r\nDKIM-Signature: v=1; a=ed25519-sha256\r\n"
    );
}

TEST(DkimSignatures, AValueThatWouldEndTheFieldIsDropped) {
    EXPECT_EQ(dkim_signature_fields(signed_with({"v=1;\r\nX-Injected: yes"})), "");
    EXPECT_EQ(dkim_signature_fields(signed_with({"v=1;\r\n"})), "");
    EXPECT_EQ(dkim_signature_fields(signed_with({std::string("v=1;\0b", 6)})), "");
    EXPECT_EQ(dkim_signature_fields(signed_with({""})), "");
}

// rspamd 3.4's answer for a message its arc module sealed (values shortened).
constexpr std::string_view kSealed = R"({"action": "no action", "milter": {
    "add_headers": {
        "ARC-Authentication-Results": {"order": 1, "value": "i=1;\r\n\tmail.test;\r\n\tnone"},
        "ARC-Seal": {"order": 1, "value": "i=1; s=s1; d=example.go.kr; cv=none;\r\n\tb=AAA"},
        "ARC-Message-Signature": [{"order": 1, "value": "i=1; a=rsa-sha256; b=BBB"}],
        "X-Other": "kept apart"
    },
    "remove_headers": {"X-Spam": 0}}})";

TEST(ArcSet, MilterFieldsAreParsedInEachForm) {
    const auto verdict = parse_verdict(kSealed);
    ASSERT_TRUE(verdict);
    ASSERT_EQ(verdict->added_fields.size(), 4u);
    const auto other = std::ranges::find_if(verdict->added_fields, [](const auto& field) {
        return field.name == "X-Other";
    });
    ASSERT_NE(other, verdict->added_fields.end());
    EXPECT_EQ(other->value, "kept apart");
}

TEST(ArcSet, SealFirstThenSignatureThenResults) {
    EXPECT_EQ(
        arc_set_fields(*parse_verdict(kSealed)),
        "ARC-Seal: i=1; s=s1; d=example.go.kr; cv=none;\r\n\tb=AAA\r\n"
        "ARC-Message-Signature: i=1; a=rsa-sha256; b=BBB\r\n"
        "ARC-Authentication-Results: i=1;\r\n\tmail.test;\r\n\tnone\r\n"
    );
}

TEST(ArcSet, AnIncompleteOrMalformedSetIsNone) {
    auto verdict = *parse_verdict(kSealed);
    verdict.added_fields.erase(verdict.added_fields.begin());  // no ARC-Authentication-Results
    EXPECT_EQ(arc_set_fields(verdict), "");
    auto forged = *parse_verdict(kSealed);
    for (auto& field : forged.added_fields) {
        field.value += "\r\nX-Injected: 1";
    }
    EXPECT_EQ(arc_set_fields(forged), "");
    EXPECT_EQ(arc_set_fields(Verdict{}), "");
}

}  // namespace
}  // namespace govmail::filter
