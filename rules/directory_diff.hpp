#pragma once

// What a directory export changes against the directory on file: who joined, moved to
// another unit, changed otherwise, left, whose mail ID someone else already holds, and whose
// own mobile number (set in the portal) gives way to a new one from the organisation. Pure:
// the directory store runs it inside the sync transaction.

#include <span>
#include <string>
#include <vector>

#include "rules/directory_person.hpp"

namespace govmail::rules {

struct MailIdConflict {
    std::string employee_no;  // the incoming person asking for the mail ID
    std::string mail_id;
    std::string holder;  // the employee number keeping it (absent from the export, or left)
};

struct DirectoryDiff {
    std::vector<DirectoryPerson> added;        // new, or back after having left
    std::vector<DirectoryPerson> transferred;  // in another unit (other fields may change too)
    std::vector<DirectoryPerson> changed;      // same unit, something else changed
    std::vector<std::string> left;             // employee numbers that leave the directory
    // Employee numbers whose own mobile number ends: the directory's number is no longer the
    // one it replaced. An export repeating that number keeps the person's own.
    std::vector<std::string> user_mobiles_ended;
    std::size_t unchanged = 0;
    std::vector<MailIdConflict> conflicts;  // when not empty, nothing may be applied

    bool has_changes() const {
        return !added.empty() || !transferred.empty() || !changed.empty() || !left.empty();
    }
};

// CURRENT is the directory on file; INCOMING the whole export, with unique employee numbers
// and mail IDs. A current person absent from INCOMING, or present and marked retired,
// leaves. People who left keep their mail ID (their account keeps the address).
DirectoryDiff diff_directory(
    std::span<const DirectoryPerson> current, std::span<const DirectoryPerson> incoming
);

}  // namespace govmail::rules
