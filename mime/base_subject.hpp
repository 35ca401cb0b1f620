#pragma once

// The base subject of RFC 5256 section 2.1 that SORT SUBJECT and THREAD compare, and the
// i;unicode-casemap-like folding (RFC 5051) every SORT and THREAD string comparison uses.
// Beside "Re:", "Fw:" and "Fwd:", the Korean reply and forward prefixes "회신:", "답장:" and
// "전달:" count as subj-refwd, as section 2.1 allows for localised prefixes. Pure functions
// over untrusted header text: linear in its length, nothing throws.

#include <string>
#include <string_view>

namespace govmail::mime {

struct BaseSubject {
    std::string text;    // folded (casemap_fold), ready to compare byte for byte
    bool reply = false;  // a reply or forward prefix, "(fwd)" trailer or "[fwd: ...]" was removed
};

// DECODED_SUBJECT is the Subject value already decoded to UTF-8 (RFC 2047, step 1).
BaseSubject base_subject(std::string_view decoded_subject);

// TEXT folded for comparison: ASCII, Latin-1, Greek and Cyrillic capitals lowered and
// full-width ASCII forms (U+FF01..U+FF5E) mapped to ASCII, as i;unicode-casemap's titlecase
// and NFKD mapping do for those; other characters, and bytes that are not UTF-8, kept.
std::string casemap_fold(std::string_view text);

}  // namespace govmail::mime
