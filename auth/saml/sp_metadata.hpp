#pragma once

// The portal's SAML 2.0 service provider metadata (SAML metadata section 2.4.4), served for
// registration with the identity provider: entity id, the HTTP-POST assertion consumer, and the
// SP certificate when requests are signed.

#include <string>

#include "common/config.hpp"

namespace govmail::auth::saml {

// Throws std::runtime_error when a configured SP certificate cannot be read.
std::string sp_metadata_xml(const OnePassConfig& config);

}  // namespace govmail::auth::saml
