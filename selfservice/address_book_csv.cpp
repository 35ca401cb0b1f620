#include "selfservice/address_book_csv.hpp"

#include "selfservice/csv_writer.hpp"

namespace govmail::selfservice {

std::string address_book_csv(
    const std::vector<storage::AddressBookEntry>& entries, CsvHeader header
) {
    std::string out(kUtf8Bom);
    out += header == CsvHeader::Korean
               ? csv_record({"이름", "이메일", "기관", "사무실 전화", "휴대전화", "출처"})
               : csv_record(
                     {"Name", "E-mail", "Organisation", "Office phone", "Mobile phone", "Source"}
                 );
    for (const auto& e : entries) {
        out += csv_record(
            {e.name, e.email, e.organisation, e.office_phone.value_or(""),
             e.mobile_phone.value_or(""), e.source}
        );
    }
    return out;
}

}  // namespace govmail::selfservice
