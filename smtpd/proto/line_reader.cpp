// SMTP command line reader. Talks to untrusted clients: every byte is bounded by max_length_.

#include "smtpd/proto/line_reader.hpp"

#include <cassert>

namespace govmail::smtp {

namespace {

constexpr Error kLineTooLong{ErrorKind::Limit, 500, "5.5.2", "Line too long"};
constexpr Error kBareLf{
    ErrorKind::Syntax, 500, "5.5.2", "Bare LF received, lines must end in CRLF"};

}  // namespace

LineReader::LineReader(std::size_t max_length, BareLineEnd bare_lf)
    : max_length_(max_length), bare_lf_(bare_lf) {
    assert(max_length_ >= 3);  // room for one character and CRLF
    line_.reserve(max_length_);
}

LineResult LineReader::read(std::string_view& input) {
    if (line_returned_) {
        line_.clear();
        line_returned_ = false;
    }
    const std::size_t lf = input.find('\n');
    const std::string_view chunk = input.substr(0, lf);
    input.remove_prefix(lf == std::string_view::npos ? input.size() : lf + 1);

    // Without its LF a line may hold max_length - 1 bytes: content plus the CR of CRLF.
    if (!discarding_ && line_.size() + chunk.size() < max_length_) {
        line_.append(chunk);
    } else {
        discarding_ = true;
        line_.clear();
    }
    if (lf == std::string_view::npos) {
        return NeedMore{};
    }
    if (discarding_) {
        discarding_ = false;
        return kLineTooLong;
    }
    const bool crlf = !line_.empty() && line_.back() == '\r';
    if (crlf) {
        line_.pop_back();
    }
    line_returned_ = true;
    if (!crlf && bare_lf_ == BareLineEnd::Reject) {
        return kBareLf;
    }
    return Line{line_};
}

bool LineReader::has_partial_line() const {
    return discarding_ || (!line_returned_ && !line_.empty());
}

void LineReader::reset() {
    line_.clear();
    line_returned_ = false;
    discarding_ = false;
}

}  // namespace govmail::smtp
