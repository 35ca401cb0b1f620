#include "portal/html.hpp"

#include <gtest/gtest.h>

namespace govmail::portal {
namespace {

TEST(Html, EscapesEveryMarkupCharacter) {
    EXPECT_EQ(
        escape("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
    );
    EXPECT_EQ(escape("홍길동"), "홍길동");
}

TEST(Html, InputIsLabelledAndEscaped) {
    EXPECT_EQ(
        input("device", "Device <name>", "text", "\"><script>"),
        "<label for=\"device\">Device &lt;name&gt;</label><input class=\"krds-input\" "
        "id=\"device\" name=\"device\" "
        "type=\"text\" value=\"&quot;&gt;&lt;script&gt;\">"
    );
}

TEST(Html, PageEscapesTitleAndCarriesLanguageAndCsrf) {
    const auto ko = page(Lang::Ko, "<t>", "<p>body</p>", true, "tok\"en");
    EXPECT_NE(ko.find("<html lang=\"ko\">"), std::string::npos);
    EXPECT_NE(ko.find("<title>&lt;t&gt;</title>"), std::string::npos);
    EXPECT_NE(ko.find("value=\"tok&quot;en\""), std::string::npos);
    EXPECT_NE(ko.find("id=\"signout\""), std::string::npos);
    const auto en = page(Lang::En, "t", "", false);
    EXPECT_NE(en.find("<html lang=\"en\">"), std::string::npos);
    EXPECT_EQ(en.find("id=\"signout\""), std::string::npos);
    EXPECT_EQ(en.find("<script"), std::string::npos);
}

TEST(I18n, KoreanByDefaultEnglishOnRequest) {
    EXPECT_EQ(lang_from_code("en"), Lang::En);
    EXPECT_EQ(lang_from_code("fr"), Lang::Ko);
    EXPECT_EQ(lang_from_code(""), Lang::Ko);
    EXPECT_EQ(tr(Lang::Ko, Msg::SignIn), "로그인");
    EXPECT_EQ(tr(Lang::En, Msg::SignIn), "Sign in");
}

}  // namespace
}  // namespace govmail::portal
