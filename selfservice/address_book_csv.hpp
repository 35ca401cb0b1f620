#pragma once

// The address book as CSV for spreadsheet software (SPEC "Export"): UTF-8 with a byte order
// mark, RFC 4180 quoting, CRLF, formula cells made inert (selfservice/csv_writer.hpp). What
// `mailadm addressbook export` writes and the portal's address book page sends.

#include <string>
#include <vector>

#include "storage/address_book_store.hpp"

namespace govmail::selfservice {

// The language of the header record: Korean for the people who read it, English on request.
enum class CsvHeader { Korean, English };

// The whole file: the header record, then one record per entry.
std::string address_book_csv(
    const std::vector<storage::AddressBookEntry>& entries, CsvHeader header
);

}  // namespace govmail::selfservice
