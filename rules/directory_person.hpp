#pragma once

// One person of the organisation directory, as the daily export names them and the
// directory_people table keeps them. Optional fields are empty when not on file.

#include <cstdint>
#include <optional>
#include <string>

namespace govmail::rules {

struct DirectoryPerson {
    std::string employee_no;
    std::string name;
    std::string org_unit;
    std::string position;
    std::string mail_id;  // lower-case local part of the person's address
    std::string office_phone;
    std::string mobile_phone;            // the directory's
    std::string cert_identity;           // the GPKI certificate's subject (or its CN) on file
    bool retired = false;                // left the directory, or marked as retired in it
    std::int64_t synced_at = 0;          // unix seconds of the last change; read only
    std::optional<std::string> account;  // address of the person's account; read only
    // The number the person set in the portal, in use instead of mobile_phone while the
    // directory's stays the one it replaced; read only.
    std::string user_mobile_phone;

    // The number SMS codes go to.
    const std::string& mobile_phone_in_use() const {
        return user_mobile_phone.empty() ? mobile_phone : user_mobile_phone;
    }

    // Whether the directory says the same of both (the read-only fields aside).
    bool same_entry(const DirectoryPerson& other) const {
        return employee_no == other.employee_no && name == other.name &&
               org_unit == other.org_unit && position == other.position &&
               mail_id == other.mail_id && office_phone == other.office_phone &&
               mobile_phone == other.mobile_phone && cert_identity == other.cert_identity &&
               retired == other.retired;
    }
};

}  // namespace govmail::rules
