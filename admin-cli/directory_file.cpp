#include "admin-cli/directory_file.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <set>

#include "admin-cli/csv_reader.hpp"
#include "admin-cli/directory_fields.hpp"
#include "admin-cli/ldif_reader.hpp"
#include "admin-cli/text_encoding.hpp"

namespace govmail::admin {
namespace {

constexpr std::array<std::pair<DirectoryField, std::string_view>, 3> kRequiredColumns{{
    {DirectoryField::EmployeeNo, "employee_no"},
    {DirectoryField::Name, "name"},
    {DirectoryField::OrgUnit, "org_unit"},
}};

// Builds one person from (name, value) pairs, noting unknown names and the first problem.
class RowBuilder {
public:
    RowBuilder(DirectoryFile& file, std::set<std::string>& ignored)
        : file_(file), ignored_(ignored) {}

    void start(std::size_t line) {
        row_ = DirectoryRow{line, {}};
        seen_.clear();
        problem_.reset();
    }

    void add(const std::string& name, std::string_view value) {
        const auto field = directory_field_named(name);
        if (!field) {
            ignored_.insert(name);
            return;
        }
        if (!seen_.insert(*field).second) {
            fail(name + " given twice");
            return;
        }
        if (auto problem = set_directory_field(row_.person, *field, value)) {
            fail(std::move(*problem));
        }
    }

    void finish() {
        if (auto missing = missing_directory_field(row_.person)) {
            fail(std::move(*missing));
        }
        if (problem_) {
            file_.errors.push_back(LineError{row_.line, std::move(*problem_)});
        } else {
            file_.rows.push_back(std::move(row_));
        }
    }

private:
    void fail(std::string problem) {
        if (!problem_) {
            problem_ = std::move(problem);
        }
    }

    DirectoryFile& file_;
    std::set<std::string>& ignored_;
    DirectoryRow row_;
    std::set<DirectoryField> seen_;
    std::optional<std::string> problem_;
};

void read_csv_rows(std::string_view text, DirectoryFile& file, RowBuilder& builder) {
    auto csv = read_csv(text);
    file.errors = std::move(csv.errors);
    if (csv.records.empty()) {
        file.errors.push_back(LineError{1, "no header row"});
        return;
    }
    const auto& header = csv.records.front();
    std::set<DirectoryField> columns;
    for (const auto& name : header.fields) {
        if (const auto field = directory_field_named(name)) {
            columns.insert(*field);
        }
    }
    for (const auto& [field, name] : kRequiredColumns) {
        if (!columns.contains(field)) {
            file.errors.push_back(LineError{header.line, "no " + std::string(name) + " column"});
        }
    }
    if (!file.errors.empty() && file.errors.back().line == header.line) {
        return;
    }
    for (auto record = csv.records.begin() + 1; record != csv.records.end(); ++record) {
        builder.start(record->line);
        if (record->fields.size() != header.fields.size()) {
            file.errors.push_back(LineError{
                record->line, std::to_string(record->fields.size()) +
                                  " fields where the header has " +
                                  std::to_string(header.fields.size())});
            continue;
        }
        for (std::size_t i = 0; i < header.fields.size(); ++i) {
            builder.add(header.fields[i], record->fields[i]);
        }
        builder.finish();
    }
}

void read_ldif_rows(std::string_view text, DirectoryFile& file, RowBuilder& builder) {
    auto ldif = read_ldif(text);
    file.errors = std::move(ldif.errors);
    for (const auto& entry : ldif.entries) {
        builder.start(entry.line);
        for (const auto& [name, value] : entry.attributes) {
            if (name != "dn" && name != "objectclass" && name != "changetype") {
                builder.add(name, value);
            }
        }
        builder.finish();
    }
}

// A second row with the same employee number or mail ID is an error (the first stays).
void reject_duplicates(DirectoryFile& file) {
    std::map<std::string, std::size_t> numbers;
    std::map<std::string, std::size_t> mail_ids;
    std::vector<DirectoryRow> unique;
    for (auto& row : file.rows) {
        const auto& p = row.person;
        const auto number = numbers.emplace(p.employee_no, row.line);
        if (!number.second) {
            file.errors.push_back(LineError{
                row.line, "employee number " + p.employee_no + " is also on line " +
                              std::to_string(number.first->second)});
            continue;
        }
        if (!p.mail_id.empty()) {
            const auto mail_id = mail_ids.emplace(p.mail_id, row.line);
            if (!mail_id.second) {
                file.errors.push_back(LineError{
                    row.line, "mail ID " + p.mail_id + " is also on line " +
                                  std::to_string(mail_id.first->second)});
                continue;
            }
        }
        unique.push_back(std::move(row));
    }
    file.rows = std::move(unique);
}

}  // namespace

DirectoryFile read_directory(std::string_view bytes) {
    DirectoryFile file;
    auto decoded = decode_text(bytes);
    if (decoded.encoding.empty()) {
        file.errors.push_back(LineError{decoded.bad_line, "neither UTF-8 nor CP949 text"});
        return file;
    }
    file.encoding = decoded.encoding;
    std::set<std::string> ignored;
    RowBuilder builder(file, ignored);
    if (looks_like_ldif(decoded.text)) {
        file.format = "ldif";
        read_ldif_rows(decoded.text, file, builder);
    } else {
        file.format = "csv";
        read_csv_rows(decoded.text, file, builder);
    }
    reject_duplicates(file);
    std::stable_sort(file.errors.begin(), file.errors.end(), [](const auto& a, const auto& b) {
        return a.line < b.line;
    });
    file.ignored_columns.assign(ignored.begin(), ignored.end());
    return file;
}

}  // namespace govmail::admin
