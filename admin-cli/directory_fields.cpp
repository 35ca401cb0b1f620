#include "admin-cli/directory_fields.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "admin-cli/mail_id.hpp"
#include "common/ascii.hpp"

namespace govmail::admin {
namespace {

using Field = DirectoryField;

constexpr auto kNames = std::to_array<std::pair<std::string_view, Field>>({
    {"employeeno", Field::EmployeeNo},
    {"employeenumber", Field::EmployeeNo},
    {"사번", Field::EmployeeNo},
    {"직원번호", Field::EmployeeNo},
    {"name", Field::Name},
    {"cn", Field::Name},
    {"displayname", Field::Name},
    {"성명", Field::Name},
    {"이름", Field::Name},
    {"orgunit", Field::OrgUnit},
    {"ou", Field::OrgUnit},
    {"department", Field::OrgUnit},
    {"unit", Field::OrgUnit},
    {"부서", Field::OrgUnit},
    {"부서명", Field::OrgUnit},
    {"소속", Field::OrgUnit},
    {"position", Field::Position},
    {"title", Field::Position},
    {"직위", Field::Position},
    {"직급", Field::Position},
    {"mailid", Field::MailId},
    {"uid", Field::MailId},
    {"메일id", Field::MailId},
    {"메일아이디", Field::MailId},
    {"officephone", Field::OfficePhone},
    {"telephonenumber", Field::OfficePhone},
    {"사무실전화", Field::OfficePhone},
    {"전화번호", Field::OfficePhone},
    {"mobilephone", Field::MobilePhone},
    {"mobile", Field::MobilePhone},
    {"휴대전화", Field::MobilePhone},
    {"휴대폰", Field::MobilePhone},
    {"certidentity", Field::CertIdentity},
    {"certificate", Field::CertIdentity},
    {"인증서", Field::CertIdentity},
    {"인증서식별자", Field::CertIdentity},
    {"인증서dn", Field::CertIdentity},
    {"status", Field::Status},
    {"재직상태", Field::Status},
    {"상태", Field::Status},
});

constexpr std::size_t kMaxTextBytes = 300;
constexpr std::size_t kMaxEmployeeNoBytes = 32;
constexpr std::size_t kMaxPhoneBytes = 32;
constexpr std::size_t kMinPhoneDigits = 3;

// Lower-case ASCII without spaces, '_' and '-'.
std::string normalised(std::string_view name) {
    std::string out;
    for (const char c : name) {
        if (c != ' ' && c != '_' && c != '-') {
            out += ascii::to_lower(c);
        }
    }
    return out;
}

std::string_view trimmed(std::string_view s) {
    const auto first = s.find_first_not_of(" \t");
    if (first == std::string_view::npos) {
        return {};
    }
    return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

bool has_control(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) {
        return static_cast<unsigned char>(c) < 0x20 || c == '\x7f';
    });
}

std::optional<std::string> employee_no_problem(std::string_view v) {
    const bool plain = std::all_of(v.begin(), v.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == '.';
    });
    if (v.size() > kMaxEmployeeNoBytes || !plain) {
        return "employee number '" + std::string(v) + "' may hold only letters, digits, '-', '_'" +
               " and '.' (at most " + std::to_string(kMaxEmployeeNoBytes) + ")";
    }
    return std::nullopt;
}

std::optional<std::string> phone_problem(std::string_view v) {
    const bool plain = std::all_of(v.begin(), v.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) != 0 || c == '+' || c == '-' ||
               c == ' ' || c == '(' || c == ')' || c == '.';
    });
    const auto digits = std::count_if(v.begin(), v.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) != 0;
    });
    if (!v.empty() && (!plain || v.size() > kMaxPhoneBytes ||
                       static_cast<std::size_t>(digits) < kMinPhoneDigits)) {
        return "'" + std::string(v) + "' is not a phone number";
    }
    return std::nullopt;
}

std::optional<bool> retired_status(std::string_view v) {
    const auto s = normalised(v);
    if (s.empty() || s == "active" || s == "재직") {
        return false;
    }
    if (s == "retired" || s == "left" || s == "퇴직") {
        return true;
    }
    return std::nullopt;
}

}  // namespace

std::optional<DirectoryField> directory_field_named(std::string_view name) {
    const auto key = normalised(trimmed(name));
    for (const auto& [known, field] : kNames) {
        if (known == key) {
            return field;
        }
    }
    return std::nullopt;
}

std::optional<std::string> set_directory_field(
    rules::DirectoryPerson& person, DirectoryField field, std::string_view value
) {
    const auto v = trimmed(value);
    if (has_control(v) || v.size() > kMaxTextBytes) {
        return "a value holds control characters or is longer than " +
               std::to_string(kMaxTextBytes) + " bytes";
    }
    switch (field) {
        case Field::EmployeeNo:
            person.employee_no = v;
            return employee_no_problem(v);
        case Field::Name:
            person.name = v;
            return std::nullopt;
        case Field::OrgUnit:
            person.org_unit = v;
            return std::nullopt;
        case Field::Position:
            person.position = v;
            return std::nullopt;
        case Field::MailId:
            person.mail_id = ascii::lower(v);
            return person.mail_id.empty() ? std::nullopt : mail_id_problem(person.mail_id);
        case Field::OfficePhone:
            person.office_phone = v;
            return phone_problem(v);
        case Field::MobilePhone:
            person.mobile_phone = v;
            return phone_problem(v);
        case Field::CertIdentity:
            person.cert_identity = v;
            return std::nullopt;
        case Field::Status: {
            const auto retired = retired_status(v);
            person.retired = retired.value_or(false);
            return retired
                       ? std::nullopt
                       : std::optional<std::string>(
                             "status '" + std::string(v) + "' is not active/재직 or retired/퇴직"
                         );
        }
    }
    return std::nullopt;
}

std::optional<std::string> missing_directory_field(const rules::DirectoryPerson& person) {
    if (person.employee_no.empty()) {
        return "no employee number";
    }
    if (person.name.empty()) {
        return "no name";
    }
    if (person.org_unit.empty()) {
        return "no organisation unit";
    }
    return std::nullopt;
}

}  // namespace govmail::admin
