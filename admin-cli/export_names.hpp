#pragma once

// Folder names inside an export archive: every IMAP mailbox name becomes a relative path
// that is valid on Windows, macOS and Linux and cannot leave the archive's root. Korean and
// other Unicode names are kept as UTF-8; only what a file system refuses is replaced.

#include <map>
#include <set>
#include <string>
#include <string_view>

namespace govmail::admin {

// One path component: "<>:\"/\\|?*" and control characters become '_', trailing dots and
// spaces go, "." and ".." and reserved Windows device names (CON, NUL, COM1, LPT1, ... with
// or without an extension) and message file names ("12.eml") get a leading '_', empty becomes "_",
// and the result is cut to at most 120 bytes at a UTF-8 character boundary. Invalid UTF-8 bytes
// become '_'.
std::string safe_component(std::string_view name);

// The names already used in one archive, lower-cased (ASCII), and for each folder the next
// " (n)" suffix worth trying, so that thousands of mailboxes mapping to one folder ("a",
// "a.", "a..", ...) take linear time, not quadratic.
struct TakenNames {
    std::set<std::string> names;
    std::map<std::string, int> next_suffix;
};

// The folder for MAILBOX (hierarchy delimiter '/'): each level made safe, joined by '/'.
// A folder already in TAKEN (compared case-insensitively, as Windows and macOS do) gets
// " (2)", " (3)", ... appended, the first one free. The result is added to TAKEN.
std::string export_folder(std::string_view mailbox, TakenNames& taken);

}  // namespace govmail::admin
