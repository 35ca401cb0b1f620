#pragma once

// A directory diff as the administrator reads it before and after a sync: one line per person
// added, back, transferred, changed or retired, with their name, unit, mail ID and the
// address of their account. People leaving are named from the directory on file (the export
// no longer has them).

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rules/directory_diff.hpp"

namespace govmail::rules {

enum class DirectoryChangeKind { Added, Returned, Transferred, Changed, Retired };

std::string_view directory_change_name(DirectoryChangeKind kind);

struct DirectoryChange {
    DirectoryChangeKind kind = DirectoryChangeKind::Added;
    std::string employee_no;
    std::string name;
    std::string org_unit;
    std::string previous_org_unit;  // a transfer's old unit; empty otherwise
    std::string mail_id;
    std::optional<std::string> account;  // the address of the person's account, if any
};

// DIFF's people in the order added, returned, transferred, changed, retired; CURRENT is the
// directory DIFF was made against.
std::vector<DirectoryChange> list_changes(
    const DirectoryDiff& diff, std::span<const DirectoryPerson> current
);

// The employee numbers of the people CHANGES brings back after they had left.
std::vector<std::string> returning_people(std::span<const DirectoryChange> changes);

}  // namespace govmail::rules
