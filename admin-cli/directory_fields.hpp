#pragma once

// The columns of a directory export (CSV header names, LDIF attribute names) and what each
// accepts. Names match ignoring ASCII case, spaces, '_' and '-':
//
//   field          CSV header / LDIF attribute names accepted
//   employee_no    employee_no, employeeNumber, 사번, 직원번호           (required)
//   name           name, cn, displayName, 성명, 이름                     (required)
//   org_unit       org_unit, ou, department, unit, 부서, 부서명, 소속    (required)
//   position       position, title, 직위, 직급
//   mail_id        mail_id, uid, 메일ID, 메일아이디
//   office_phone   office_phone, telephoneNumber, 사무실전화, 전화번호
//   mobile_phone   mobile_phone, mobile, 휴대전화, 휴대폰
//   cert_identity  cert_identity, certificate, 인증서, 인증서식별자, 인증서DN
//   status         status, 재직상태, 상태: active/재직 (or empty), retired/left/퇴직
//
// Other columns and attributes are ignored (and named in the sync summary).

#include <optional>
#include <string>
#include <string_view>

#include "rules/directory_person.hpp"

namespace govmail::admin {

enum class DirectoryField {
    EmployeeNo,
    Name,
    OrgUnit,
    Position,
    MailId,
    OfficePhone,
    MobilePhone,
    CertIdentity,
    Status,
};

std::optional<DirectoryField> directory_field_named(std::string_view name);

// Stores VALUE (surrounding spaces trimmed, the mail ID lower-cased) as FIELD of PERSON;
// returns why it cannot be stored instead.
std::optional<std::string> set_directory_field(
    rules::DirectoryPerson& person, DirectoryField field, std::string_view value
);

// What a person read from an export lacks (employee number, name or unit), if anything.
std::optional<std::string> missing_directory_field(const rules::DirectoryPerson& person);

}  // namespace govmail::admin
