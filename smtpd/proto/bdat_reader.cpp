// BDAT chunk accounting. Talks to untrusted clients: a chunk size is a claim, never an
// allocation; bytes are appended only as they arrive and only within the message limit.

#include "smtpd/proto/bdat_reader.hpp"

#include <algorithm>
#include <cassert>

namespace govmail::smtp {

BdatReader::BdatReader(std::size_t max_message_size) : max_message_size_(max_message_size) {}

void BdatReader::start_chunk(const Bdat& command) {
    assert(remaining_ == 0);
    remaining_ = command.size;
    last_ = command.last;
    if (!fits(command)) {
        too_big_ = true;
    }
}

BdatResult BdatReader::read(std::string_view& input, std::string& output) {
    const auto take = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, input.size()));
    if (!too_big_) {
        output.append(input.substr(0, take));
        size_ += take;
    }
    input.remove_prefix(take);
    remaining_ -= take;
    if (remaining_ > 0) {
        return NeedMore{};
    }
    if (too_big_) {
        return kMessageTooBig;
    }
    return BdatChunkEnd{last_, size_};
}

}  // namespace govmail::smtp
