#include "portal/form.hpp"

#include <gtest/gtest.h>

#include "portal/http.hpp"

namespace govmail::portal {
namespace {

TEST(Form, DecodesUrlencodedFields) {
    const auto f = decode_form("user=hong%40example.go.kr&password=a+b%21c&empty=&flag");
    EXPECT_EQ(field(f, "user"), "hong@example.go.kr");
    EXPECT_EQ(field(f, "password"), "a b!c");
    EXPECT_EQ(field(f, "empty"), "");
    EXPECT_TRUE(f.contains("flag"));
    EXPECT_EQ(field(f, "missing"), "");
}

TEST(Form, RepeatedFieldKeepsFirstAndAllAreAvailable) {
    const std::string body = "mailbox=INBOX&mailbox=Sent%20Items&x=1";
    EXPECT_EQ(field(decode_form(body), "mailbox"), "INBOX");
    EXPECT_EQ(decode_form_all(body, "mailbox"), (std::vector<std::string>{"INBOX", "Sent Items"}));
}

TEST(Form, KeepsMalformedEscapesAsWritten) {
    EXPECT_EQ(percent_decode("100%"), "100%");
    EXPECT_EQ(percent_decode("%zz%4"), "%zz%4");
    EXPECT_EQ(percent_decode("%ED%95%9C"), "한");
}

TEST(Form, ParsesCookieHeader) {
    const auto c = parse_cookies("a=1; __Host-s=abc ;b=x=y;a=2; bare");
    EXPECT_EQ(field(c, "a"), "1");
    EXPECT_EQ(field(c, "__Host-s"), "abc");
    EXPECT_EQ(field(c, "b"), "x=y");
    EXPECT_TRUE(c.contains("bare"));
}

TEST(Http, SplitsTargetAndQuery) {
    const auto [path, query] = split_target("/app-passwords?lang=en&x=%2F");
    EXPECT_EQ(path, "/app-passwords");
    EXPECT_EQ(field(query, "lang"), "en");
    EXPECT_EQ(field(query, "x"), "/");
    EXPECT_EQ(split_target("/").first, "/");
}

TEST(Http, CookiesAreSecureHttpOnlyWithSameSite) {
    EXPECT_EQ(
        set_cookie("s", "v", std::chrono::seconds(60), SameSite::Strict),
        "s=v; Path=/; Max-Age=60; Secure; HttpOnly; SameSite=Strict"
    );
    EXPECT_EQ(
        set_cookie("s", "", std::chrono::seconds(0), SameSite::Lax),
        "s=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Lax"
    );
    // The SAML request cookie must come back with the provider's cross-site POST.
    EXPECT_EQ(
        set_cookie("r", "1", std::chrono::seconds(600), SameSite::None),
        "r=1; Path=/; Max-Age=600; Secure; HttpOnly; SameSite=None"
    );
}

}  // namespace
}  // namespace govmail::portal
