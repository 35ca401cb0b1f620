// Export archive names: traversal, reserved Windows names and characters, Korean names
// kept, case-insensitive collisions, and bad UTF-8.

#include "admin-cli/export_names.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace govmail::admin {
namespace {

TEST(ExportNames, SafeComponents) {
    const struct {
        std::string in;
        std::string want;
    } cases[] = {
        {"INBOX", "INBOX"},
        {"받은편지함", "받은편지함"},
        {"..", "_"},
        {".", "_"},
        {"", "_"},
        {"a\\b", "a_b"},
        {"c:d", "c_d"},
        {"*?<>|\"", "______"},
        {"CON", "_CON"},
        {"con.txt", "_con.txt"},
        {"LPT1", "_LPT1"},
        {"COM9.eml", "_COM9.eml"},
        {"CONSOLE", "CONSOLE"},
        {"trailing. . ", "trailing"},
        {"12.eml", "_12.eml"},
        {std::string("tab\there"), "tab_here"},
        {std::string("bad\xff\xfe"), "bad__"},
        {std::string("\xed\xa0\x80"), "___"},  // a UTF-16 surrogate is not UTF-8
    };
    for (const auto& c : cases) {
        EXPECT_EQ(safe_component(c.in), c.want) << c.in;
    }
    // Long names are cut at a character boundary.
    std::string korean;
    for (int i = 0; i < 100; ++i) {
        korean += "가";
    }
    const auto cut = safe_component(korean);
    EXPECT_LE(cut.size(), 120U);
    EXPECT_EQ(cut.size() % 3, 0U);
}

TEST(ExportNames, FoldersStayInside) {
    TakenNames taken{{"manifest.json"}, {}};
    EXPECT_EQ(export_folder("../../etc", taken), "_/_/etc");
    EXPECT_EQ(export_folder("a/../../b", taken), "a/_/_/b");
    EXPECT_EQ(export_folder("/abs", taken), "_/abs");
    EXPECT_EQ(export_folder("보낸편지함/2026년", taken), "보낸편지함/2026년");
    EXPECT_EQ(export_folder("INBOX", taken), "INBOX");
    EXPECT_EQ(export_folder("inbox", taken), "inbox (2)");
    EXPECT_EQ(export_folder("Inbox", taken), "Inbox (3)");
    EXPECT_EQ(export_folder("MANIFEST.JSON", taken), "MANIFEST.JSON (2)");
}

TEST(ExportNames, SuffixIsTheFirstFreeOne) {
    TakenNames taken{{"manifest.json"}, {}};
    EXPECT_EQ(export_folder("a (3)", taken), "a (3)");
    EXPECT_EQ(export_folder("a", taken), "a");
    EXPECT_EQ(export_folder("a.", taken), "a (2)");
    EXPECT_EQ(export_folder("A ", taken), "A (4)");
    EXPECT_EQ(export_folder("a (2)", taken), "a (2) (2)");
}

// Names that all map to one folder ("a", "a.", "a..", ...) each get the next suffix without
// trying every one before it: 20,000 of them took minutes when each tried 2, 3, ... in turn.
TEST(ExportNames, ManyCollidingNamesTakeLinearTime) {
    TakenNames taken{{"manifest.json"}, {}};
    const auto start = std::chrono::steady_clock::now();
    std::string mailbox = "a";
    for (int i = 0; i < 20'000; ++i) {
        const auto folder = export_folder(mailbox, taken);
        EXPECT_EQ(folder, i == 0 ? "a" : "a (" + std::to_string(i + 1) + ")");
        mailbox = i % 2 == 0 ? "a." : "a..";
    }
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

}  // namespace
}  // namespace govmail::admin
