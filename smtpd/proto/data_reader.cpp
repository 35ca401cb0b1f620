// DATA phase decoder: a byte-level state machine with a fast path for the inside of lines.
// Talks to untrusted clients: output never grows beyond max_message_size, and the terminator
// is recognised only as <CRLF>.<CRLF> (see data_reader.hpp for the smuggling rules).

#include "smtpd/proto/data_reader.hpp"

namespace govmail::smtp {

namespace {

constexpr Error kBareLineEnd{
    ErrorKind::Syntax, 550, "5.5.2", "Bare CR or LF received, lines must end in CRLF"};

}  // namespace

DataReader::DataReader(DataOptions options) : options_(options) {}

DataResult DataReader::read(std::string_view& input, std::string& output) {
    std::size_t i = 0;
    // Each state either consumes input[i] or moves to a state that will.
    while (state_ != State::Done && i < input.size()) {
        const char c = input[i];
        switch (state_) {
            case State::LineStart:
                if (c == '.') {
                    state_ = State::Dot;
                    ++i;
                } else {
                    state_ = State::InLine;
                }
                break;
            case State::Dot:
                if (c == '\r') {
                    state_ = State::DotCr;
                    ++i;
                } else if (c == '\n') {
                    append(output, ".");  // a lone "." ended by a bare LF is text
                    end_line(output, false);
                    ++i;
                } else {
                    state_ = State::InLine;  // the leading dot was stuffing: drop it
                }
                break;
            case State::DotCr:
                if (c == '\n' && line_started_by_crlf_) {
                    state_ = State::Done;
                    ++i;
                } else if (c == '\n') {
                    append(output, ".");  // ".\r\n" after a bare line end is text
                    end_line(output, true);
                    ++i;
                } else {
                    append(output, ".");  // ".\r" then something else: a bare CR
                    end_line(output, false);
                }
                break;
            case State::InLine: {
                const std::size_t stop = find_line_end(input, i);
                const std::size_t end = stop == std::string_view::npos ? input.size() : stop;
                append(output, input.substr(i, end - i));
                i = end;
                if (stop != std::string_view::npos && input[stop] == '\r') {
                    state_ = State::Cr;
                    ++i;
                } else if (stop != std::string_view::npos) {
                    end_line(output, false);
                    ++i;
                }
                break;
            }
            case State::Cr:
                if (c == '\n') {
                    ++i;
                }
                end_line(output, c == '\n');
                break;
            case State::Done:
                break;
        }
    }
    input.remove_prefix(i);
    if (state_ != State::Done) {
        return NeedMore{};
    }
    return finish();
}

void DataReader::append(std::string& output, std::string_view text) {
    const bool rejecting = bare_line_end_seen_ && options_.bare_line_end == BareLineEnd::Reject;
    if (too_big_ || rejecting || text.empty()) {
        return;
    }
    if (text.size() > options_.max_message_size - size_) {
        too_big_ = true;
        return;
    }
    output.append(text);
    size_ += text.size();
}

void DataReader::end_line(std::string& output, bool crlf) {
    if (!crlf) {
        bare_line_end_seen_ = true;
    }
    append(output, "\r\n");
    line_started_by_crlf_ = crlf;
    state_ = State::LineStart;
}

DataResult DataReader::finish() {
    if (too_big_) {
        return kMessageTooBig;
    }
    if (bare_line_end_seen_ && options_.bare_line_end == BareLineEnd::Reject) {
        return kBareLineEnd;
    }
    return DataEnd{size_, bare_line_end_seen_};
}

}  // namespace govmail::smtp
