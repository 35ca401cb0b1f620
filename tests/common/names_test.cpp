// The canonical form of login names (common/names.hpp): what is refused, and how case folds.

#include "common/names.hpp"

#include <gtest/gtest.h>

#include <string>

namespace govmail {
namespace {

TEST(Names, ControlCharactersAreFoundInC0DelAndC1) {
    EXPECT_FALSE(has_control_characters("alice@example.go.kr"));
    EXPECT_FALSE(has_control_characters("홍길동@부처.kr"));
    EXPECT_FALSE(has_control_characters("\xc2\xa0"));  // U+00A0 is no control
    for (const std::string& bad :
         {std::string("a\0b", 3), std::string("a\tb"), std::string("a\r\n"), std::string("\x7f"),
          std::string("\xc2\x80"), std::string("x\xc2\x9f")}) {
        EXPECT_TRUE(has_control_characters(bad)) << bad.size();
    }
}

TEST(Names, CaseFoldsAsciiLettersOnly) {
    EXPECT_EQ(fold_case("Alice@Example.GO.KR"), "alice@example.go.kr");
    EXPECT_EQ(fold_case("\xe2\x84\xaa"), "\xe2\x84\xaa");  // U+212A KELVIN SIGN stays
    EXPECT_EQ(fold_case("\xc4\xb0"), "\xc4\xb0");          // U+0130 stays
}

TEST(Names, LoginNamesAreCanonicalOrRefused) {
    EXPECT_EQ(canonical_login_name("Jihun.Park@Localhost"), "jihun.park@localhost");
    EXPECT_EQ(canonical_login_name("jihun.park"), "jihun.park");
    EXPECT_FALSE(canonical_login_name(""));
    EXPECT_FALSE(canonical_login_name(std::string("victim@localhost\0x", 18)));
    EXPECT_FALSE(canonical_login_name("victim@localhost\r\n"));
    EXPECT_FALSE(canonical_login_name("\xff\xfe"));
    EXPECT_FALSE(canonical_login_name(std::string(kMaxLoginNameBytes + 1, 'a')));
    EXPECT_TRUE(canonical_login_name(std::string(kMaxLoginNameBytes, 'a')));
}

}  // namespace
}  // namespace govmail
