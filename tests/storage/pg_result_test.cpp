// Text-array encoding and decoding, the only hand-written part of talking to PostgreSQL.

#include "storage/pg/pg_result.hpp"

#include <gtest/gtest.h>

#include "storage/pg/errc.hpp"

namespace govmail::storage {
namespace {

TEST(TextArray, RoundTripsAwkwardElements) {
    const std::vector<std::string> values{"\\Seen", "with space", "quote\"d", "",
                                          "NULL",   "a,b",        "{}"};
    EXPECT_EQ(decode_text_array(encode_text_array(values)), values);
}

TEST(TextArray, DecodesServerOutput) {
    EXPECT_EQ(decode_text_array("{}"), std::vector<std::string>{});
    EXPECT_EQ(
        decode_text_array("{$Work,\"\\\\Seen\"}"), (std::vector<std::string>{"$Work", "\\Seen"})
    );
    EXPECT_EQ(decode_text_array("{a,NULL,b}"), (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(decode_text_array("not an array"), std::vector<std::string>{});
}

TEST(Sqlstate, MapsToTheConditionCallersActOn) {
    EXPECT_EQ(errc_from_sqlstate("23505"), Errc::Exists);
    EXPECT_EQ(errc_from_sqlstate("40001"), Errc::Temp);
    EXPECT_EQ(errc_from_sqlstate("40P01"), Errc::Temp);
    EXPECT_EQ(errc_from_sqlstate("08006"), Errc::Unavailable);
    EXPECT_EQ(errc_from_sqlstate("57P01"), Errc::Unavailable);
    EXPECT_EQ(errc_from_sqlstate("42501"), Errc::NoPerm);
    EXPECT_EQ(errc_from_sqlstate("57014"), Errc::Limit);
}

}  // namespace
}  // namespace govmail::storage
