#pragma once

// Shared by the libFuzzer targets (-DGOVMAIL_FUZZ=ON, clang): the input as text, invariant
// checks that end the run so libFuzzer keeps the input, and reproducible read sizes for the
// incremental readers.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace govmail::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

// Ends the run with a message when an invariant does not hold; libFuzzer then writes the input
// to crash-<sha1>.
inline void check(bool holds, const char* invariant) {
    if (!holds) {
        std::fprintf(stderr, "invariant failed: %s\n", invariant);
        std::abort();
    }
}

// True when TEXT holds no NUL or other control character (C0 or DEL).
inline bool free_of_controls(std::string_view text) {
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7f) {
            return false;
        }
    }
    return true;
}

// The sizes of the reads a network peer might produce, from 1 to 16 bytes, taken from the
// input's own bytes so that a saved crash replays the same reads.
class ReadSizes {
public:
    explicit ReadSizes(std::string_view input) : input_(input) {}

    std::size_t next() {
        if (input_.empty()) {
            return 1;
        }
        const auto byte = static_cast<unsigned char>(input_[index_++ % input_.size()]);
        return 1 + (byte % 16);
    }

private:
    std::string_view input_;
    std::size_t index_ = 0;
};

}  // namespace govmail::fuzz
