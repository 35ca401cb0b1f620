// libFuzzer target for the directory export readers of `mailadm directory sync`: read_directory()
// (encoding detection, CSV or LDIF, the column checks) and the CSV and LDIF readers under it.
// Invariants:
// - CSV records written back with every field quoted read back as the same fields;
// - LDIF entries written back with every value in base64 read back as the same attributes
//   (for attribute names that can be written: not empty, no ':', ';' or line end);
// - every record, entry, row and error names a line of the file; accepted rows have the
//   required fields.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "admin-cli/csv_reader.hpp"
#include "admin-cli/directory_file.hpp"
#include "admin-cli/ldif_reader.hpp"
#include "common/base64.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace govmail::admin {
namespace {

using fuzz::check;

std::size_t line_count(std::string_view text) {
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
}

// Lines that may name a problem: CR alone ends a CSV line too.
std::size_t max_line(std::string_view text) {
    return line_count(text) + static_cast<std::size_t>(std::count(text.begin(), text.end(), '\r'));
}

void check_csv(std::string_view text) {
    const CsvContent csv = read_csv(text);
    std::string again;
    for (const CsvRecord& record : csv.records) {
        check(record.line >= 1 && record.line <= max_line(text), "CSV record line");
        for (std::size_t i = 0; i < record.fields.size(); ++i) {
            again += i == 0 ? "\"" : ",\"";
            for (const char c : record.fields[i]) {
                again += c == '"' ? "\"\"" : std::string(1, c);
            }
            again += '"';
        }
        again += "\r\n";
    }
    for (const LineError& error : csv.errors) {
        check(error.line >= 1 && error.line <= max_line(text), "CSV error line");
    }
    const CsvContent reread = read_csv(again);
    check(reread.errors.empty(), "quoted CSV reads without errors");
    check(reread.records.size() == csv.records.size(), "quoted CSV has the same records");
    for (std::size_t i = 0; i < csv.records.size(); ++i) {
        check(reread.records[i].fields == csv.records[i].fields, "quoted CSV round-trips");
    }
}

bool writable_name(const std::string& name) {
    return !name.empty() && name.front() != ' ' && name.front() != '#' &&
           name.find_first_of(":;\r\n") == std::string::npos;
}

void check_ldif(std::string_view text) {
    const LdifContent ldif = read_ldif(text);
    std::string again;
    std::size_t written = 0;
    for (const LdifEntry& entry : ldif.entries) {
        check(entry.line >= 1 && entry.line <= line_count(text), "LDIF entry line");
        check(!entry.attributes.empty() && entry.attributes.front().first == "dn", "dn first");
        if (!std::all_of(entry.attributes.begin(), entry.attributes.end(), [](const auto& a) {
                return writable_name(a.first);
            })) {
            continue;
        }
        for (const auto& [name, value] : entry.attributes) {
            again += name + ":: " + encode_base64(value) + "\n";
        }
        again += "\n";
        ++written;
    }
    for (const LineError& error : ldif.errors) {
        check(error.line >= 1 && error.line <= line_count(text), "LDIF error line");
    }
    const LdifContent reread = read_ldif(again);
    check(reread.errors.empty(), "base64 LDIF reads without errors");
    check(reread.entries.size() == written, "base64 LDIF has the same entries");
    std::size_t index = 0;
    for (const LdifEntry& entry : ldif.entries) {
        if (std::all_of(entry.attributes.begin(), entry.attributes.end(), [](const auto& a) {
                return writable_name(a.first);
            })) {
            check(reread.entries[index++].attributes == entry.attributes, "LDIF round-trips");
        }
    }
}

}  // namespace
}  // namespace govmail::admin

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace govmail::admin;
    using govmail::fuzz::check;
    const std::string_view bytes = govmail::fuzz::as_text(data, size);

    const DirectoryFile file = read_directory(bytes);
    if (file.encoding.empty()) {
        check(file.format.empty() && file.rows.empty() && !file.errors.empty(), "undecodable");
    } else {
        check(file.format == "csv" || file.format == "ldif", "a format is named");
    }
    for (const DirectoryRow& row : file.rows) {
        check(row.line >= 1, "row line");
        check(
            !row.person.employee_no.empty() && !row.person.name.empty() &&
                !row.person.org_unit.empty(),
            "accepted rows have the required fields"
        );
    }
    (void)looks_like_ldif(bytes);
    check_csv(bytes);
    check_ldif(bytes);
    return 0;
}
