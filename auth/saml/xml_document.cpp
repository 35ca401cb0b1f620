#include "auth/saml/xml_document.hpp"

#include <libxml/parser.h>
#include <xmlsec/crypto.h>
#include <xmlsec/errors.h>
#include <xmlsec/xmlsec.h>

#include <climits>
#include <mutex>
#include <stdexcept>

namespace govmail::auth::saml {
namespace {

void ignore_libxml_error(void* /*context*/, const char* /*message*/, ...) {}

// xmlsec reports every failed check here; the caller's verdict says what went wrong.
void ignore_xmlsec_error(
    const char* /*file*/,
    int /*line*/,
    const char* /*func*/,
    const char* /*errorObject*/,
    const char* /*errorSubject*/,
    int /*reason*/,
    const char* /*msg*/
) {}

void start_libraries() {
    xmlInitParser();
    xmlSetGenericErrorFunc(nullptr, ignore_libxml_error);
    if (xmlSecInit() < 0 || xmlSecCheckVersion() != 1 || xmlSecCryptoAppInit(nullptr) < 0 ||
        xmlSecCryptoInit() < 0) {
        throw std::runtime_error("saml: xmlsec cannot be initialised");
    }
    xmlSecErrorsSetCallback(ignore_xmlsec_error);
}

}  // namespace

void init_xml_security() {
    static std::once_flag once;
    std::call_once(once, start_libraries);
}

std::optional<XmlDocPtr> parse_untrusted_xml(std::string_view text, std::size_t max_bytes) {
    init_xml_security();
    // Refused before parsing too, so an entity declaration is never even read.
    if (text.size() > max_bytes || text.size() > INT_MAX ||
        text.find("<!DOCTYPE") != std::string_view::npos) {
        return std::nullopt;
    }
    // No XML_PARSE_NOENT (entities stay unsubstituted), no DTD loading, no network.
    constexpr int kOptions = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
    XmlDocPtr doc(
        xmlReadMemory(text.data(), static_cast<int>(text.size()), "saml.xml", nullptr, kOptions)
    );
    if (!doc || doc->intSubset != nullptr || doc->extSubset != nullptr ||
        xmlDocGetRootElement(doc.get()) == nullptr) {
        return std::nullopt;
    }
    return doc;
}

bool is_element(const xmlNode* node, const char* ns, const char* name) {
    return node != nullptr && node->type == XML_ELEMENT_NODE && node->ns != nullptr &&
           xmlStrEqual(node->ns->href, reinterpret_cast<const xmlChar*>(ns)) != 0 &&
           xmlStrEqual(node->name, reinterpret_cast<const xmlChar*>(name)) != 0;
}

std::vector<xmlNode*> child_elements(const xmlNode* parent, const char* ns, const char* name) {
    std::vector<xmlNode*> out;
    for (xmlNode* child = parent->children; child != nullptr; child = child->next) {
        if (is_element(child, ns, name)) {
            out.push_back(child);
        }
    }
    return out;
}

xmlNode* only_child(const xmlNode* parent, const char* ns, const char* name) {
    const auto children = child_elements(parent, ns, name);
    return children.size() == 1 ? children.front() : nullptr;
}

std::optional<std::string> attribute(const xmlNode* node, const char* name) {
    xmlChar* value = xmlGetNoNsProp(node, reinterpret_cast<const xmlChar*>(name));
    if (value == nullptr) {
        return std::nullopt;
    }
    std::string out(reinterpret_cast<const char*>(value));
    xmlFree(value);
    return out;
}

std::string text_of(const xmlNode* node) {
    xmlChar* content = xmlNodeGetContent(node);
    if (content == nullptr) {
        return {};
    }
    std::string out(reinterpret_cast<const char*>(content));
    xmlFree(content);
    const auto first = out.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) {
        return {};
    }
    return out.substr(first, out.find_last_not_of(" \t\r\n") - first + 1);
}

std::string xml_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

}  // namespace govmail::auth::saml
