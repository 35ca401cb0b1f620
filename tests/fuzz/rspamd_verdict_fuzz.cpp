// libFuzzer target for rspamd's /checkv2 answer (filter::parse_verdict) and the header fields
// smtpd builds from the verdict: the answer comes from a scanner that may be external
// ([filter] rspamd_url) and echoes text from the scanned message (symbol options, subject).
// Invariants:
// - an answer over kMaxAnswerBytes is never a verdict;
// - a verdict's action has one of rspamd's names, which reads back as that action;
// - the Authentication-Results and spam fields built from any verdict are each one field:
//   printable ASCII, folded only by CRLF + tab, ending in CRLF, so that nothing in the answer
//   can add a header field to the stored message.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "filter/headers.hpp"
#include "filter/verdict.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace {

using govmail::fuzz::check;

// TEXT is header fields whose lines all start with a field name (no injected line): every
// line end is CRLF, and one followed by anything but a tab or the end starts a known field.
bool only_folded_lines(std::string_view text) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto u = static_cast<unsigned char>(text[i]);
        if (text[i] == '\r') {
            if (i + 1 >= text.size() || text[i + 1] != '\n') {
                return false;
            }
            const auto next = text.substr(i + 2);
            if (!next.empty() && next[0] != '\t' && !next.starts_with("X-Spam-")) {
                return false;
            }
            ++i;
        } else if (u == '\n' || (u < 0x20 && u != '\t') || u >= 0x7f) {
            return false;
        }
    }
    return text.ends_with("\r\n");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto json = govmail::fuzz::as_text(data, size);
    const auto verdict = govmail::filter::parse_verdict(json);
    if (!verdict) {
        return 0;
    }
    check(size <= govmail::filter::kMaxAnswerBytes, "no verdict from an oversized answer");
    const auto named = govmail::filter::parse_verdict(
        "{\"action\": \"" + std::string(govmail::filter::action_name(verdict->action)) + "\"}"
    );
    check(named && named->action == verdict->action, "the action has rspamd's name");
    const govmail::filter::ResultContext context{
        "mx.example.go.kr", "sender@example.org", "mx.example.org", ""};
    const auto fields = govmail::filter::authentication_results(context, &*verdict) +
                        govmail::filter::spam_fields(*verdict, true);
    check(only_folded_lines(fields), "the fields are folded lines of printable ASCII");
    return 0;
}
