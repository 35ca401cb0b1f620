#include "rules/directory_diff_listing.hpp"

#include <map>

namespace govmail::rules {
namespace {

DirectoryChange change_of(
    DirectoryChangeKind kind, const DirectoryPerson& person, const DirectoryPerson* on_file
) {
    return DirectoryChange{
        kind,
        person.employee_no,
        person.name,
        person.org_unit,
        kind == DirectoryChangeKind::Transferred && on_file ? on_file->org_unit : "",
        person.mail_id,
        on_file ? on_file->account : std::nullopt};
}

}  // namespace

std::string_view directory_change_name(DirectoryChangeKind kind) {
    switch (kind) {
        case DirectoryChangeKind::Added:
            return "add";
        case DirectoryChangeKind::Returned:
            return "return";
        case DirectoryChangeKind::Transferred:
            return "transfer";
        case DirectoryChangeKind::Changed:
            return "change";
        case DirectoryChangeKind::Retired:
            return "retire";
    }
    return "change";
}

std::vector<DirectoryChange> list_changes(
    const DirectoryDiff& diff, std::span<const DirectoryPerson> current
) {
    std::map<std::string, const DirectoryPerson*> on_file;
    for (const auto& person : current) {
        on_file.emplace(person.employee_no, &person);
    }
    auto known = [&on_file](const std::string& employee_no) -> const DirectoryPerson* {
        const auto found = on_file.find(employee_no);
        return found == on_file.end() ? nullptr : found->second;
    };
    std::vector<DirectoryChange> added;
    std::vector<DirectoryChange> returned;
    for (const auto& person : diff.added) {
        const auto* before = known(person.employee_no);
        auto& group = before ? returned : added;
        group.push_back(change_of(
            before ? DirectoryChangeKind::Returned : DirectoryChangeKind::Added, person, before
        ));
    }
    std::vector<DirectoryChange> changes = std::move(added);
    changes.insert(changes.end(), returned.begin(), returned.end());
    for (const auto& person : diff.transferred) {
        changes.push_back(
            change_of(DirectoryChangeKind::Transferred, person, known(person.employee_no))
        );
    }
    for (const auto& person : diff.changed) {
        changes.push_back(change_of(DirectoryChangeKind::Changed, person, known(person.employee_no))
        );
    }
    for (const auto& employee_no : diff.left) {
        if (const auto* person = known(employee_no)) {
            changes.push_back(change_of(DirectoryChangeKind::Retired, *person, person));
        }
    }
    return changes;
}

std::vector<std::string> returning_people(std::span<const DirectoryChange> changes) {
    std::vector<std::string> numbers;
    for (const auto& change : changes) {
        if (change.kind == DirectoryChangeKind::Returned) {
            numbers.push_back(change.employee_no);
        }
    }
    return numbers;
}

}  // namespace govmail::rules
