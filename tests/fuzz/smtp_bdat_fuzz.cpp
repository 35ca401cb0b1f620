// libFuzzer target for BDAT (RFC 3030 CHUNKING) as a session would read it: LineReader frames
// the command lines, parse_command() reads "BDAT <size> [LAST]", and BdatReader takes the chunk
// octets that follow the line; other commands are skipped, a fatal error ends the stream.
// Invariants:
// - the events (chunk ends, errors) and the stored messages are the same whether the stream
//   arrives all at once, one byte at a time or in reads of 1 to 16 bytes;
// - a chunk consumes exactly the octets it announced (or the rest of the stream), and the
//   stored message is those octets verbatim, in order;
// - a stored message never passes max_message_size, and BdatChunkEnd reports its size;
// - once a message is over the limit, every later chunk of it reports 552.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "smtpd/proto/bdat_reader.hpp"
#include "smtpd/proto/command_parser.hpp"
#include "smtpd/proto/line_reader.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace govmail::smtp {
namespace {

using fuzz::check;

// Small enough that short inputs reach 552.
constexpr std::size_t kMaxMessageSize = 64;

struct Stream {
    std::vector<BdatResult> events;   // chunk ends and errors, in order
    std::vector<std::string> stored;  // each message completed with BDAT ... LAST
    friend bool operator==(const Stream&, const Stream&) = default;
};

// What a session does with the octets of one client connection.
class BdatSession {
public:
    // Feeds the next read; false once the stream has ended with a fatal error.
    bool feed(std::string_view piece) {
        while (!piece.empty()) {
            const bool more = in_chunk_ ? read_chunk(piece) : read_line(piece);
            if (!more) {
                return false;
            }
        }
        return true;
    }

    const Stream& stream() const { return stream_; }

private:
    bool read_line(std::string_view& piece) {
        const LineResult line = lines_.read(piece);
        if (const auto* error = std::get_if<Error>(&line)) {
            stream_.events.emplace_back(*error);
            return !error->fatal;
        }
        const auto* text = std::get_if<Line>(&line);
        if (text == nullptr) {
            return true;
        }
        const auto command = parse_command(text->text);
        if (const auto* error = std::get_if<Error>(&command)) {
            stream_.events.emplace_back(*error);
            return !error->fatal;
        }
        const auto* bdat = std::get_if<Bdat>(&std::get<Command>(command));
        if (bdat == nullptr) {
            return true;
        }
        if (!message_reader_) {  // the first chunk of a message
            message_reader_.emplace(kMaxMessageSize);
            message_.clear();
            too_big_ = false;
        }
        message_reader_->start_chunk(*bdat);
        announced_ = bdat->size;
        last_ = bdat->last;
        taken_ = 0;
        in_chunk_ = true;
        std::string_view nothing;  // a zero-octet chunk ends at once
        finish_chunk(message_reader_->read(nothing, message_));
        return true;
    }

    bool read_chunk(std::string_view& piece) {
        const std::size_t stored_before = message_.size();
        const std::string_view offered = piece;
        const BdatResult result = message_reader_->read(piece, message_);
        const std::size_t took = offered.size() - piece.size();
        check(
            took == std::min<std::uint64_t>(announced_ - taken_, offered.size()),
            "a chunk consumes exactly the octets it announced"
        );
        check(
            message_.size() == stored_before ||
                message_.substr(stored_before) == offered.substr(0, took),
            "chunk octets are stored verbatim"
        );
        taken_ += took;
        finish_chunk(result);
        return true;
    }

    void finish_chunk(const BdatResult& result) {
        check(message_.size() <= kMaxMessageSize, "a stored message stays within the limit");
        if (std::holds_alternative<NeedMore>(result)) {
            return;
        }
        check(taken_ == announced_, "a chunk ends once its octets are read");
        if (const auto* end = std::get_if<BdatChunkEnd>(&result)) {
            check(!too_big_, "a message over the limit stays over it");
            check(end->size == message_.size(), "BdatChunkEnd reports the stored size");
            check(end->last == last_, "BdatChunkEnd reports LAST");
        } else {
            check(result == BdatResult(kMessageTooBig), "a chunk fails only as too big");
            too_big_ = true;
        }
        stream_.events.push_back(result);
        in_chunk_ = false;
        if (last_) {
            if (!too_big_) {
                stream_.stored.push_back(message_);
            }
            message_reader_.reset();
        }
    }

    LineReader lines_;
    std::optional<BdatReader> message_reader_;  // while a message is being received
    bool in_chunk_ = false;
    std::string message_;
    std::uint64_t announced_ = 0;
    std::uint64_t taken_ = 0;
    bool last_ = false;
    bool too_big_ = false;
    Stream stream_;
};

template <class NextSize>
Stream read_stream(std::string_view input, NextSize&& next_size) {
    BdatSession session;
    while (!input.empty()) {
        const std::string_view piece = input.substr(0, next_size());
        input.remove_prefix(piece.size());
        if (!session.feed(piece)) {
            break;
        }
    }
    return session.stream();
}

}  // namespace
}  // namespace govmail::smtp

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace govmail::smtp;
    const std::string_view input = govmail::fuzz::as_text(data, size);
    const Stream whole = read_stream(input, [&] { return input.size(); });
    const Stream bytes = read_stream(input, [] { return std::size_t{1}; });
    govmail::fuzz::ReadSizes sizes(input);
    const Stream pieces = read_stream(input, [&] { return sizes.next(); });
    check(whole == bytes, "BDAT: all at once equals byte at a time");
    check(whole == pieces, "BDAT: all at once equals reads of 1-16 bytes");
    return 0;
}
