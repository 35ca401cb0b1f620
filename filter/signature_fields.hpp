#pragma once

// The DKIM-Signature fields rspamd's dkim_signing made for a submitted message, and the ARC
// set (RFC 8617) its arc module sealed a received message with, as header lines to put above
// it (pure). rspamd folds a long signature; the folds are made CRLF +
// whitespace here whatever line ending rspamd chose, and a value that would end the field
// early (a break not followed by whitespace) is dropped: an unsigned message is better
// than a corrupt header.

#include <string>

#include "filter/verdict.hpp"

namespace govmail::filter {

// "DKIM-Signature: v=1; a=rsa-sha256; ...\r\n" for each of VERDICT's signatures.
std::string dkim_signature_fields(const Verdict& verdict);

// "ARC-Seal: ...\r\nARC-Message-Signature: ...\r\nARC-Authentication-Results: ...\r\n" when
// rspamd sealed the message (launcher/rspamd_dkim_config.hpp: for a recipient domain with a
// key), for the copy govmail forwards to another domain; "" when any of the three is missing
// or malformed.
std::string arc_set_fields(const Verdict& verdict);

}  // namespace govmail::filter
