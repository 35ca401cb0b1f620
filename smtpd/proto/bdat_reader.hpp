#pragma once

// Chunk accounting for BDAT (RFC 3030 CHUNKING). Chunk octets are taken verbatim: no
// dot-stuffing, no terminator, no line-end changes (BINARYMIME content must stay exact).
// One reader per message: construct it at the first BDAT of a transaction.
// Talks to untrusted clients: the stored message never grows beyond max_message_size; the
// octets of an oversized message are still consumed so the session stays in step.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "smtpd/proto/command.hpp"
#include "smtpd/proto/data_reader.hpp"
#include "smtpd/proto/error.hpp"

namespace govmail::smtp {

// The current chunk has been read completely.
struct BdatChunkEnd {
    bool last;         // the chunk was BDAT ... LAST: the message is complete
    std::size_t size;  // message octets so far, this chunk included

    friend bool operator==(const BdatChunkEnd&, const BdatChunkEnd&) = default;
};

using BdatResult = std::variant<NeedMore, BdatChunkEnd, Error>;

class BdatReader {
public:
    explicit BdatReader(std::size_t max_message_size = kDefaultMaxMessageSize);

    // Starts reading the chunk announced by `command`; the previous chunk must be complete.
    void start_chunk(const Bdat& command);

    // Whether the chunk announced by `command` fits in what the message may still take.
    bool fits(const Bdat& command) const { return command.size <= max_message_size_ - size_; }

    // Consumes octets of the current chunk from the front of `input` and appends them to
    // `output`. Returns NeedMore until the chunk is complete, then BdatChunkEnd, or 552 5.3.4
    // if the message is over the limit (for this chunk and every later one).
    BdatResult read(std::string_view& input, std::string& output);

private:
    std::size_t max_message_size_;
    std::uint64_t remaining_ = 0;
    bool last_ = false;
    std::size_t size_ = 0;
    bool too_big_ = false;
};

}  // namespace govmail::smtp
