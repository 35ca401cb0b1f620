#pragma once

// Untrusted XML for the SAML checks (libxml2 and xmlsec1 from the distribution): parsing that
// never touches the network, never substitutes entities and refuses any DTD, the one-time set-up
// of both libraries (their error output silenced: messages are untrusted input), and small
// namespace-aware helpers over the tree. Nothing here throws for bad input.

#include <libxml/tree.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace govmail::auth::saml {

inline constexpr const char* kProtocolNs = "urn:oasis:names:tc:SAML:2.0:protocol";
inline constexpr const char* kAssertionNs = "urn:oasis:names:tc:SAML:2.0:assertion";
inline constexpr const char* kDsigNs = "http://www.w3.org/2000/09/xmldsig#";
inline constexpr const char* kMetadataNs = "urn:oasis:names:tc:SAML:2.0:metadata";

// Initialises libxml2 and xmlsec1 (OpenSSL) once per process; throws std::runtime_error when
// xmlsec cannot start.
void init_xml_security();

struct XmlDocFree {
    void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
using XmlDocPtr = std::unique_ptr<xmlDoc, XmlDocFree>;

// TEXT as a document: nullopt when it is not well-formed, is larger than MAX_BYTES, or has a
// document type declaration (no DTD, no entities, no external anything).
std::optional<XmlDocPtr> parse_untrusted_xml(std::string_view text, std::size_t max_bytes);

// Whether NODE is the element NAME in namespace NS.
bool is_element(const xmlNode* node, const char* ns, const char* name);
// The child elements of PARENT named NAME in NS, in document order.
std::vector<xmlNode*> child_elements(const xmlNode* parent, const char* ns, const char* name);
// The only such child; nullptr when there is none or more than one.
xmlNode* only_child(const xmlNode* parent, const char* ns, const char* name);
// The un-namespaced attribute NAME of NODE.
std::optional<std::string> attribute(const xmlNode* node, const char* name);
// The text content of NODE with surrounding XML whitespace removed.
std::string text_of(const xmlNode* node);

// TEXT escaped for XML character data and attribute values in double quotes.
std::string xml_escape(std::string_view text);

}  // namespace govmail::auth::saml
