// A directory diff, person by person, as a sync lists it.

#include "rules/directory_diff_listing.hpp"

#include <gtest/gtest.h>

namespace govmail::rules {
namespace {

DirectoryPerson person(std::string no, std::string unit, bool retired = false) {
    DirectoryPerson p;
    p.employee_no = no;
    p.name = "이름" + no;
    p.org_unit = std::move(unit);
    p.mail_id = "id" + no;
    p.retired = retired;
    return p;
}

TEST(DirectoryDiffListing, NamesEveryoneWithUnitAndAccount) {
    auto leaving = person("1", "A");
    leaving.account = "id1@localhost";
    auto moving = person("2", "A");
    moving.account = "id2@localhost";
    const std::vector<DirectoryPerson> current{leaving, moving, person("3", "A", true)};
    const std::vector<DirectoryPerson> incoming{
        person("2", "B"), person("3", "A"), person("4", "C")};
    const auto changes = list_changes(diff_directory(current, incoming), current);
    ASSERT_EQ(changes.size(), 4u);
    EXPECT_EQ(changes[0].kind, DirectoryChangeKind::Added);
    EXPECT_EQ(changes[0].employee_no, "4");
    EXPECT_FALSE(changes[0].account);
    EXPECT_EQ(changes[1].kind, DirectoryChangeKind::Returned);
    EXPECT_EQ(changes[1].employee_no, "3");
    EXPECT_EQ(changes[2].kind, DirectoryChangeKind::Transferred);
    EXPECT_EQ(changes[2].org_unit, "B");
    EXPECT_EQ(changes[2].previous_org_unit, "A");
    EXPECT_EQ(changes[2].account, "id2@localhost");
    EXPECT_EQ(changes[3].kind, DirectoryChangeKind::Retired);
    EXPECT_EQ(changes[3].name, "이름1");
    EXPECT_EQ(changes[3].account, "id1@localhost");
    EXPECT_EQ(returning_people(changes), std::vector<std::string>{"3"});
    EXPECT_EQ(directory_change_name(changes[3].kind), "retire");
}

}  // namespace
}  // namespace govmail::rules
