#pragma once

// Realistic directory exports for the mailadm tests: a staff of Korean officials (names,
// units and positions in Hangul, some with commas), written as CSV with Korean or English
// headers, or as LDIF with base64 values.

#include <string>
#include <vector>

namespace govmail::test {

struct StaffMember {
    std::string employee_no;
    std::string name;
    std::string unit;
    std::string position;
    std::string mail_id;
    std::string office_phone;
    std::string mobile_phone;
    std::string cert_identity;
};

// COUNT people with employee numbers from 20001 on, the same for the same COUNT.
std::vector<StaffMember> make_staff(int count);

// One more person, numbered INDEX like make_staff's.
StaffMember staff_member(int index);

enum class Headers { Korean, English };

std::string staff_csv(const std::vector<StaffMember>& staff, Headers headers);
std::string staff_ldif(const std::vector<StaffMember>& staff);

}  // namespace govmail::test
