#include "tests/admin-cli/directory_data.hpp"

#include <array>
#include <string_view>

#include "common/base64.hpp"

namespace govmail::test {
namespace {

constexpr std::array<std::string_view, 20> kSurnames{"김", "이", "박", "최", "정", "강", "조",
                                                     "윤", "장", "임", "한", "오", "서", "신",
                                                     "권", "황", "안", "송", "류", "홍"};
constexpr std::array<std::string_view, 20> kRomanised{
    "kim", "lee", "park", "choi", "jung", "kang",  "cho", "yoon", "jang", "lim",
    "han", "oh",  "seo",  "shin", "kwon", "hwang", "ahn", "song", "ryu",  "hong"};
constexpr std::array<std::string_view, 20> kGiven{"민", "서", "지", "현", "수", "영", "준",
                                                  "하", "윤", "도", "예", "은", "성", "재",
                                                  "우", "진", "혜", "경", "동", "희"};
constexpr std::array<std::string_view, 8> kUnits{
    "기획조정실 기획재정담당관",
    "운영지원과",
    "정보화담당관",
    "민원봉사과",
    "감사관실",
    "법무담당관",
    "인사혁신과",
    "행정안전국 자치행정과"};
constexpr std::array<std::string_view, 5> kPositions{
    "주무관", "사무관", "서기관", "과장", "팀장, 주무관"};

std::string digits(int value, int width) {
    auto text = std::to_string(value);
    return std::string(static_cast<std::size_t>(width) - text.size(), '0') + text;
}

std::string csv_field(const std::string& value) {
    if (value.find_first_of(",\"") == std::string::npos) {
        return value;
    }
    std::string quoted = "\"";
    for (const char c : value) {
        quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    }
    return quoted + "\"";
}

bool ascii(const std::string& value) {
    for (const char c : value) {
        if (static_cast<unsigned char>(c) >= 0x80) {
            return false;
        }
    }
    return true;
}

std::string ldif_line(const std::string& attribute, const std::string& value) {
    if (ascii(value)) {
        return attribute + ": " + value + "\n";
    }
    return attribute + ":: " + encode_base64(value) + "\n";
}

}  // namespace

StaffMember staff_member(int index) {
    const auto i = static_cast<std::size_t>(index);
    const auto number = 20001 + index;
    StaffMember p;
    p.employee_no = std::to_string(number);
    p.name = std::string(kSurnames[i % 20]) + std::string(kGiven[(i / 20) % 20]) +
             std::string(kGiven[(i * 7 + 3) % 20]);
    p.unit = kUnits[i % kUnits.size()];
    p.position = kPositions[i % kPositions.size()];
    p.mail_id = std::string(kRomanised[i % 20]) + "." + std::to_string(number);
    p.office_phone = "02-2100-" + digits(index % 10000, 4);
    p.mobile_phone = "010-" + digits(1000 + index % 9000, 4) + "-" + digits(index * 37 % 10000, 4);
    p.cert_identity = "089" + p.name + digits(index % 1000, 3);
    return p;
}

std::vector<StaffMember> make_staff(int count) {
    std::vector<StaffMember> staff;
    for (int i = 0; i < count; ++i) {
        staff.push_back(staff_member(i));
    }
    return staff;
}

std::string staff_csv(const std::vector<StaffMember>& staff, Headers headers) {
    std::string text = headers == Headers::Korean
                           ? "사번,성명,부서,직위,메일ID,사무실전화,휴대전화,인증서,비고\r\n"
                           : "employee_no,name,org_unit,position,mail_id,office_phone,"
                             "mobile_phone,cert_identity,remarks\r\n";
    for (const auto& p : staff) {
        for (const auto* field :
             {&p.employee_no, &p.name, &p.unit, &p.position, &p.mail_id, &p.office_phone,
              &p.mobile_phone, &p.cert_identity}) {
            text += csv_field(*field) + ",";
        }
        text += "\r\n";
    }
    return text;
}

std::string staff_ldif(const std::vector<StaffMember>& staff) {
    std::string text = "version: 1\n\n# exported from the administrative portal\n";
    for (const auto& p : staff) {
        text += ldif_line("dn", "uid=" + p.mail_id + ",ou=people,o=gov,c=kr");
        text += "objectClass: inetOrgPerson\n";
        text += ldif_line("employeeNumber", p.employee_no);
        text += ldif_line("cn", p.name);
        text += ldif_line("ou", p.unit);
        text += ldif_line("title", p.position);
        text += ldif_line("uid", p.mail_id);
        text += ldif_line("telephoneNumber", p.office_phone);
        text += ldif_line("mobile", p.mobile_phone);
        // Folded as directory servers fold long lines.
        const auto cert = ldif_line("certificate", p.cert_identity);
        text += cert.substr(0, 20) + "\n " + cert.substr(20);
        text += "\n";
    }
    return text;
}

}  // namespace govmail::test
