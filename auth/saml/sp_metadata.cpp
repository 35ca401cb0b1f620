#include "auth/saml/sp_metadata.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "auth/saml/xml_document.hpp"

namespace govmail::auth::saml {
namespace {

// The base64 body of the PEM certificate in FILE, on one line.
std::string certificate_body(const std::filesystem::path& file) {
    std::ifstream in(file);
    constexpr std::string_view kBegin = "-----BEGIN CERTIFICATE-----";
    constexpr std::string_view kEnd = "-----END CERTIFICATE-----";
    std::string line;
    std::string body;
    bool inside = false;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        if (line == kBegin) {
            inside = true;
        } else if (line == kEnd && inside) {
            return body;
        } else if (inside) {
            body += line;
        }
    }
    throw std::runtime_error("onepass: no certificate in " + file.string());
}

}  // namespace

std::string sp_metadata_xml(const OnePassConfig& config) {
    std::ostringstream out;
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        << "<md:EntityDescriptor xmlns:md=\"" << kMetadataNs << "\" entityID=\""
        << xml_escape(config.sp_entity_id) << "\">\n"
        << "  <md:SPSSODescriptor AuthnRequestsSigned=\""
        << (config.sp_private_key.empty() ? "false" : "true")
        << "\" WantAssertionsSigned=\"true\" "
           "protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\">\n";
    if (!config.sp_certificate.empty()) {
        out << "    <md:KeyDescriptor use=\"signing\"><ds:KeyInfo xmlns:ds=\"" << kDsigNs
            << "\"><ds:X509Data><ds:X509Certificate>" << certificate_body(config.sp_certificate)
            << "</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>\n";
    }
    out << "    <md:AssertionConsumerService "
           "Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST\" Location=\""
        << xml_escape(config.acs_url) << "\" index=\"0\" isDefault=\"true\"/>\n"
        << "  </md:SPSSODescriptor>\n"
        << "</md:EntityDescriptor>\n";
    return out.str();
}

}  // namespace govmail::auth::saml
