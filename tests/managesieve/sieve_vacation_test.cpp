// What govmail reads from a Sieve script: the vacation action and its date range, as
// Roundcube and the Thunderbird add-on write them, and a clear refusal for everything else.

#include "managesieve/proto/sieve_vacation.hpp"

#include <gtest/gtest.h>

namespace govmail::managesieve {
namespace {

VacationRule vacation_of(const std::string& script) {
    auto result = parse_vacation_script(script);
    if (auto* error = std::get_if<SieveError>(&result)) {
        ADD_FAILURE() << script << ": " << error->text;
        return {};
    }
    auto& meaning = std::get<SieveMeaning>(result);
    if (!meaning.vacation) {
        ADD_FAILURE() << script << ": no vacation";
        return {};
    }
    return *meaning.vacation;
}

TEST(SieveVacation, ReadsRoundcubeScript) {
    const auto rule = vacation_of(
        "require [\"vacation\",\"date\",\"relational\"];\r\n"
        "# rule:[vacation]\r\n"
        "if allof (currentdate :zone \"+0900\" :value \"ge\" \"date\" \"2026-07-01\", "
        "currentdate :value \"le\" \"date\" \"2026-07-14\")\r\n"
        "{\r\n\tvacation :days 2 :addresses [\"a@x.test\", \"b@x.test\"] :subject \"Away\" "
        "\"Back on 15 July.\";\r\n\tstop;\r\n}\r\n"
    );
    EXPECT_EQ(rule.subject, "Away");
    EXPECT_EQ(rule.body, "Back on 15 July.");
    EXPECT_EQ(rule.days, 2);
    EXPECT_EQ(rule.starts_on, "2026-07-01");
    EXPECT_EQ(rule.ends_on, "2026-07-14");
}

TEST(SieveVacation, ReadsPlainVacationAndMultilineText) {
    const auto rule = vacation_of(
        "require \"vacation\"; /* away */\n"
        "vacation :handle \"x\" text: # the text\n부재중입니다.\n..\n.hidden\n.\n;\n"
    );
    EXPECT_EQ(rule.subject, "");
    EXPECT_EQ(rule.body, "부재중입니다.\r\n.\r\n.hidden\r\n");
    EXPECT_EQ(rule.days, 7);
    EXPECT_FALSE(rule.starts_on);
    EXPECT_FALSE(rule.ends_on);
}

TEST(SieveVacation, ClampsDays) {
    EXPECT_EQ(vacation_of("require \"vacation\"; vacation :days 0 \"x\";").days, 1);
    EXPECT_EQ(vacation_of("require \"vacation\"; vacation :days 9999 \"x\";").days, 365);
    EXPECT_EQ(vacation_of("require \"vacation\"; vacation :days 1K \"x\";").days, 365);
}

TEST(SieveVacation, ScriptWithoutVacationMeansNoReply) {
    for (const std::string script : {"", "# nothing\n", "require [\"vacation\"];\n", "keep;"}) {
        auto result = parse_vacation_script(script);
        ASSERT_TRUE(std::holds_alternative<SieveMeaning>(result)) << script;
        EXPECT_FALSE(std::get<SieveMeaning>(result).vacation) << script;
    }
}

TEST(SieveVacation, RefusesWhatItCannotMapNamingIt) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"require [\"fileinto\"]; fileinto \"Junk\";",
         "line 1: extension \"fileinto\" is not supported"},
        {"redirect \"x@y\";", "line 1: \"redirect\" is not supported"},
        {"require \"vacation\";\nvacation \"a\";\ndiscard;",
         "line 3: \"discard\" is not supported"},
        {"require \"vacation\"; vacation \"a\"; vacation \"b\";", "\"vacation\" is not supported"},
        {"vacation \"a\";", "vacation needs require \"vacation\""},
        {"require \"vacation\"; vacation :from \"boss@x\" \"a\";",
         "vacation :from is not supported"},
        {"require \"vacation\"; vacation :mime \"a\";", "vacation :mime is not supported"},
        {"require \"vacation\"; vacation :days \"a\" \"b\";", ":days needs a number"},
        {"require \"vacation\"; vacation;", "vacation needs the away text as a string"},
        {"require \"vacation\"; if header :contains \"subject\" \"x\" { vacation \"a\"; }",
         "\"header\" is not supported"},
        {"require \"vacation\"; if currentdate :value \"ge\" \"date\" \"2026-01-01\" "
         "{ vacation \"a\"; }",
         "currentdate :value needs require [\"date\", \"relational\"]"},
        {"require [\"vacation\", \"date\", \"relational\"]; if currentdate :value \"gt\" \"date\" "
         "\"2026-01-01\" { vacation \"a\"; }",
         "currentdate needs :value \"ge\" or :value \"le\""},
        {"require [\"vacation\", \"date\", \"relational\"]; if currentdate :value \"ge\" \"hour\" "
         "\"10\" { vacation \"a\"; }",
         "only the \"date\" part of currentdate is supported"},
        {"require [\"vacation\", \"date\", \"relational\"]; if currentdate :value \"ge\" \"date\" "
         "\"tomorrow\" { vacation \"a\"; }",
         "currentdate needs one date \"YYYY-MM-DD\""},
        {"require \"vacation\"; vacation \"a\"", "';' expected"},
        {"require \"vacation\"; vacation \"a", "unterminated string"},
        {"require \"vacation\"; vacation text:\nno end\n", "without its closing '.' line"},
        {"/* open", "unterminated comment"},
        {"require \"vacation\"; vacation \"a\"; @", "unexpected character"},
        {"require \"vacation\"; vacation : \"a\";", "':' must start a tag"},
        {"require \"vacation\"; vacation :days 99999999999999999999 \"a\";", "number too large"},
        // 2^34 G is 2^64: it must not wrap round to 0 (and so to :days 1).
        {"require \"vacation\"; vacation :days 17179869184G \"a\";", "number too large"},
        {"require \"vacation\"; if true { vacation \"a\";", "\"true\" is not supported"},
        {"require \"vacation\"; vacation \"a\"; } ", "only one vacation action is supported"},
    };
    for (const auto& [script, text] : cases) {
        auto result = parse_vacation_script(script);
        auto* error = std::get_if<SieveError>(&result);
        ASSERT_NE(error, nullptr) << script;
        EXPECT_NE(error->text.find(text), std::string::npos) << script << " -> " << error->text;
    }
}

TEST(SieveVacation, BoundsHostileScripts) {
    std::string many = "require \"vacation\"; vacation :addresses [";
    for (int i = 0; i < 5000; ++i) {
        many += "\"a\",";
    }
    many += "\"a\"] \"x\";";
    auto result = parse_vacation_script(many);
    ASSERT_TRUE(std::holds_alternative<SieveError>(result));
    EXPECT_NE(std::get<SieveError>(result).text.find("too long"), std::string::npos);
    std::string deep(100000, '[');
    EXPECT_TRUE(std::holds_alternative<SieveError>(parse_vacation_script(deep)));
    EXPECT_TRUE(std::holds_alternative<SieveError>(parse_vacation_script(std::string("\0\xff", 2)))
    );
}

}  // namespace
}  // namespace govmail::managesieve
