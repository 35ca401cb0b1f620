#include "rules/directory_diff.hpp"

#include <map>

namespace govmail::rules {

DirectoryDiff diff_directory(
    std::span<const DirectoryPerson> current, std::span<const DirectoryPerson> incoming
) {
    std::map<std::string, const DirectoryPerson*> on_file;
    for (const auto& person : current) {
        on_file.emplace(person.employee_no, &person);
    }
    std::map<std::string, const DirectoryPerson*> staying;
    for (const auto& person : incoming) {
        if (!person.retired) {
            staying.emplace(person.employee_no, &person);
        }
    }
    // Mail IDs of the people the export does not update: they keep them.
    std::map<std::string, std::string> kept_mail_ids;
    DirectoryDiff diff;
    for (const auto& person : current) {
        if (!staying.contains(person.employee_no)) {
            if (!person.mail_id.empty()) {
                kept_mail_ids.emplace(person.mail_id, person.employee_no);
            }
            if (!person.retired) {
                diff.left.push_back(person.employee_no);
            }
        }
    }
    for (const auto& person : incoming) {
        if (person.retired) {
            // Leaving is counted above; already gone or never known, nothing changes.
            const auto known = on_file.find(person.employee_no);
            diff.unchanged += known == on_file.end() || known->second->retired ? 1 : 0;
            continue;
        }
        if (const auto holder = kept_mail_ids.find(person.mail_id);
            !person.mail_id.empty() && holder != kept_mail_ids.end()) {
            diff.conflicts.push_back({person.employee_no, person.mail_id, holder->second});
            continue;
        }
        const auto known = on_file.find(person.employee_no);
        if (known != on_file.end() && !known->second->user_mobile_phone.empty() &&
            known->second->mobile_phone != person.mobile_phone) {
            diff.user_mobiles_ended.push_back(person.employee_no);
        }
        if (known == on_file.end() || known->second->retired) {
            diff.added.push_back(person);
        } else if (known->second->org_unit != person.org_unit) {
            diff.transferred.push_back(person);
        } else if (!known->second->same_entry(person)) {
            diff.changed.push_back(person);
        } else {
            ++diff.unchanged;
        }
    }
    return diff;
}

}  // namespace govmail::rules
