// The directory checks of a signup and what failing them says.

#include "auth/signup_checks.hpp"

#include <gtest/gtest.h>

namespace govmail::auth {
namespace {

rules::DirectoryPerson complete() {
    rules::DirectoryPerson p;
    p.employee_no = "1";
    p.mail_id = "kim";
    p.office_phone = "02-1234-5678";
    p.mobile_phone = "010-1234-5678";
    return p;
}

TEST(SignupChecks, AllPass) {
    const auto checks = signup_checks(complete(), "kim", CertificateCheck::Valid);
    EXPECT_TRUE(checks.failures().empty());
    EXPECT_EQ(checks.to_json()["certificate"], "valid");
}

TEST(SignupChecks, EachFailureIsNamed) {
    auto p = complete();
    p.office_phone.clear();
    p.mobile_phone.clear();
    EXPECT_EQ(
        signup_checks(p, "lee", CertificateCheck::Expired).failures(),
        (std::vector<std::string>{
            "the directory holds another mail ID", "no office phone on file",
            "no mobile phone on file", "certificate expired"})
    );
    EXPECT_EQ(
        signup_checks(std::nullopt, "kim", CertificateCheck::None).failures(),
        std::vector<std::string>{"not in the directory"}
    );
    p = complete();
    p.retired = true;
    EXPECT_FALSE(signup_checks(p, "kim", CertificateCheck::None).in_directory);
}

}  // namespace
}  // namespace govmail::auth
