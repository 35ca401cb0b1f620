// What an export changes against the directory on file.

#include "rules/directory_diff.hpp"

#include <gtest/gtest.h>

namespace govmail::rules {
namespace {

DirectoryPerson person(
    std::string no, std::string unit, std::string mail_id, bool retired = false
) {
    DirectoryPerson p;
    p.employee_no = std::move(no);
    p.name = "김민수";
    p.org_unit = std::move(unit);
    p.mail_id = std::move(mail_id);
    p.retired = retired;
    return p;
}

TEST(DirectoryDiff, ClassifiesEveryone) {
    const std::vector<DirectoryPerson> current{person("1", "A", "a"),       person("2", "A", "b"),
                                               person("3", "A", "c"),       person("4", "A", "d"),
                                               person("5", "A", "e", true), person("6", "A", "f")};
    auto changed = person("3", "A", "c");
    changed.mobile_phone = "010-1111-2222";
    const std::vector<DirectoryPerson> incoming{
        person("1", "A", "a"),        // unchanged
        person("2", "B", "b"),        // transferred
        changed,                      // changed
        person("5", "A", "e"),        // back again
        person("6", "A", "f", true),  // marked retired
        person("7", "C", "g"),        // new
        person("8", "C", "", true)};  // retired, never known
    const auto diff = diff_directory(current, incoming);
    ASSERT_EQ(diff.added.size(), 2u);
    EXPECT_EQ(diff.added[0].employee_no, "5");
    EXPECT_EQ(diff.added[1].employee_no, "7");
    ASSERT_EQ(diff.transferred.size(), 1u);
    EXPECT_EQ(diff.transferred[0].employee_no, "2");
    ASSERT_EQ(diff.changed.size(), 1u);
    EXPECT_EQ(diff.changed[0].employee_no, "3");
    EXPECT_EQ(diff.left, (std::vector<std::string>{"4", "6"}));
    EXPECT_EQ(diff.unchanged, 2u);
    EXPECT_TRUE(diff.conflicts.empty());
    EXPECT_TRUE(diff_directory(current, current).left.empty());
    EXPECT_FALSE(diff_directory(current, current).has_changes());
}

TEST(DirectoryDiff, MailIdOfSomeoneNotUpdatedIsAConflict) {
    const std::vector<DirectoryPerson> current{person("1", "A", "a"), person("2", "A", "b")};
    // 2 leaves and keeps "b"; 3 asks for it. 1 gives up "a", so 4 may take it.
    const std::vector<DirectoryPerson> incoming{
        person("1", "A", "z"), person("3", "A", "b"), person("4", "A", "a")};
    const auto diff = diff_directory(current, incoming);
    ASSERT_EQ(diff.conflicts.size(), 1u);
    EXPECT_EQ(diff.conflicts[0].employee_no, "3");
    EXPECT_EQ(diff.conflicts[0].holder, "2");
}

TEST(DirectoryDiff, AnOwnMobileNumberEndsWhenTheDirectorysChanges) {
    std::vector<DirectoryPerson> current{
        person("1", "A", "a"), person("2", "A", "b"), person("3", "A", "c"),
        person("4", "A", "d", true)};
    for (auto& p : current) {
        p.mobile_phone = "010-1000-000" + p.employee_no;
        p.user_mobile_phone = "0109999000" + p.employee_no;
    }
    auto incoming = current;
    incoming[1].org_unit = "B";                  // transferred, same directory number: kept
    incoming[2].mobile_phone = "010-2000-0003";  // the organisation's new number: ends
    incoming[3].retired = false;                 // back after leaving, with a new number: ends
    incoming[3].mobile_phone = "010-2000-0004";
    const auto diff = diff_directory(current, incoming);
    EXPECT_EQ(diff.user_mobiles_ended, (std::vector<std::string>{"3", "4"}));
    EXPECT_EQ(diff.unchanged, 1u);
    EXPECT_TRUE(diff_directory(current, current).user_mobiles_ended.empty());
}

}  // namespace
}  // namespace govmail::rules
