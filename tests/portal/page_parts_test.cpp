// What the signed-in pages share: dates as shown in the configured zone, folder names as
// shown, and the ids their row forms post back.

#include "portal/pages/page_parts.hpp"

#include <gtest/gtest.h>

#include "portal/time_zone.hpp"

namespace govmail::portal {
namespace {

TEST(FormatTime, ShowsMinutesInTheConfiguredZoneOrNever) {
    use_time_zone("Asia/Seoul");
    EXPECT_EQ(format_time(0, Lang::En), "1970-01-01 09:00 KST");
    EXPECT_EQ(format_time(1'795'459'440, Lang::Ko), "2026-11-24 03:44 KST");
    use_time_zone("UTC");
    EXPECT_EQ(format_time(1'795'459'440, Lang::Ko), "2026-11-23 18:44 UTC");
    EXPECT_THROW(use_time_zone("Mars/Olympus"), std::runtime_error);
    EXPECT_THROW(use_time_zone("../../etc/passwd"), std::runtime_error);
    EXPECT_EQ(format_time(std::nullopt, Lang::En), "Never");
    EXPECT_EQ(format_time(std::nullopt, Lang::Ko), "없음");
}

struct IdCase {
    std::string_view text;
    std::optional<std::int64_t> expected;
};

TEST(FolderDisplayName, StandardFoldersInKoreanOthersAsNamed) {
    EXPECT_EQ(folder_display_name(Lang::Ko, "INBOX"), "받은편지함");
    EXPECT_EQ(folder_display_name(Lang::Ko, "Sent"), "보낸편지함");
    EXPECT_EQ(folder_display_name(Lang::En, "Sent"), "Sent");
    EXPECT_EQ(folder_display_name(Lang::Ko, "Projects/Sent"), "Projects/Sent");
}

TEST(IdField, AcceptsOnlyWholeNonNegativeNumbers) {
    const IdCase cases[] = {
        {"42", 42},
        {"0", 0},
        {"9223372036854775807", INT64_MAX},
        {"", std::nullopt},
        {"-1", std::nullopt},
        {"4x", std::nullopt},
        {" 4", std::nullopt},
        {"+4", std::nullopt},
        {"9223372036854775808", std::nullopt},
    };
    for (const auto& c : cases) {
        const Fields form{{"id", std::string(c.text)}};
        EXPECT_EQ(id_field(form, "id"), c.expected) << c.text;
    }
    EXPECT_EQ(id_field(Fields{}, "id"), std::nullopt);
}

}  // namespace
}  // namespace govmail::portal
