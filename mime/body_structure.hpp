#pragma once

// IMAP BODY and BODYSTRUCTURE (RFC 3501 section 7.4.2) of a MIME tree.

#include <string>
#include <string_view>

#include "mime/entity.hpp"

namespace govmail::mime {

// BODYSTRUCTURE when `extended`, else BODY. Types, subtypes, parameter names, encodings and
// disposition types are upper-cased; parameter values are kept as written. Text parts without
// parameters get ("CHARSET" "US-ASCII"). A multipart or message/rfc822 entity that was not
// opened (too deep, or message/rfc822 in base64/quoted-printable) is written as
// "APPLICATION" "OCTET-STREAM", since its real type would promise parts that are not there.
// The MD5 of the extension data is always NIL.
std::string body_structure(std::string_view raw, const Entity& entity, bool extended);

}  // namespace govmail::mime
