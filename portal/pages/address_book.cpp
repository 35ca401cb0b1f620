// The address book download (SPEC "Export"): the same CSV `mailadm addressbook export` writes
// (UTF-8 with BOM, RFC 4180, formula cells made inert), sent as an attachment with a fixed,
// safe file name, and audited. Its header record is in the page's language, or as the link
// asks (?header=en or ko).

#include "portal/audit.hpp"
#include "portal/html.hpp"
#include "portal/pages/page_parts.hpp"
#include "portal/pages/pages.hpp"
#include "selfservice/address_book_csv.hpp"
#include "storage/address_book_store.hpp"

namespace govmail::portal {
namespace {

using boost::asio::awaitable;

awaitable<Response> get_page(Portal&, const Request&, const Visit& visit) {
    const auto lang = visit.lang;
    const auto body = "<p>" + escape(tr(lang, Msg::AddressBookExplain)) +
                      "</p><p><a id=\"address-book-download\" href=\"/address-book.csv\" "
                      "download>" +
                      escape(tr(lang, Msg::AddressBookDownload)) +
                      "</a></p><p><a id=\"address-book-download-en\" "
                      "href=\"/address-book.csv?header=en\" download>" +
                      escape(tr(lang, Msg::AddressBookDownloadEnglish)) + "</a></p>";
    co_return signed_in_page(visit, Msg::AddressBook, body, 200);
}

awaitable<Response> get_csv(Portal& portal, const Request& request, const Visit& visit) {
    const auto entries =
        co_await storage::AddressBookStore(portal.pool).list(visit.session->account.id);
    if (!entries) {
        co_return temporary_error_page(visit, Msg::AddressBook);
    }
    co_await audit(
        portal, request, visit, "addressbook.export", std::to_string(entries->size()) + " entries"
    );
    Response out;
    out.content_type = "text/csv; charset=utf-8";
    out.headers.emplace_back("Content-Disposition", "attachment; filename=\"address-book.csv\"");
    const auto header = field(request.query, "header");
    const bool english = header.empty() ? visit.lang == Lang::En : header == "en";
    out.body = selfservice::address_book_csv(
        *entries, english ? selfservice::CsvHeader::English : selfservice::CsvHeader::Korean
    );
    co_return out;
}

}  // namespace

void add_address_book_pages(Portal& portal) {
    auto& r = portal.router;
    r.add("GET", "/address-book", Access::SignedIn, get_page);
    r.add("GET", "/address-book.csv", Access::SignedIn, get_csv);
}

}  // namespace govmail::portal
