#pragma once

// The checks an account for a person must pass (SPEC "Signup"): the person is in the
// directory, the directory holds the mail ID asked for, an office and a mobile phone are on
// file; and for a signup request, the certificate it carries (if any) is within its validity
// period. `mailadm signup approve` and `account create` refuse when one fails, unless forced;
// `mailadm signup list` and the portal's signup page show them.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rules/directory_person.hpp"

namespace govmail::auth {

enum class CertificateCheck { None, Valid, Expired, NotYetValid, Unreadable };

std::string_view certificate_check_name(CertificateCheck check);

struct SignupChecks {
    bool in_directory = false;
    bool mail_id_matches = false;
    bool office_phone = false;
    bool mobile_phone = false;
    CertificateCheck certificate = CertificateCheck::None;

    // A sentence for each failed check.
    std::vector<std::string> failures() const;
    nlohmann::ordered_json to_json() const;
};

// PERSON is the directory's entry (retired or not) of whoever asks for MAIL_ID.
SignupChecks signup_checks(
    const std::optional<rules::DirectoryPerson>& person,
    std::string_view mail_id,
    CertificateCheck certificate
);

}  // namespace govmail::auth
