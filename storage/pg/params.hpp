#pragma once

// Query parameters for libpq's $n placeholders: text format for everything but bytea, which
// travels as binary so message bodies are never escaped or copied into text. libpq ends a text
// parameter at its first NUL byte, so the database would see another string than the caller
// checked ("victim\0x" read as "victim"): Params notes any text parameter holding one, and the
// connection refuses to send such parameters (Errc::InvalidData).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace govmail::storage {

// Marks a parameter as bytea, sent in binary format.
struct Binary {
    std::string_view bytes;
};

class Params {
public:
    Params() = default;

    template <class... Args>
    explicit Params(const Args&... args) {
        (add(args), ...);
    }

    Params& add(std::string_view text) { return push(std::string(text), kText); }
    Params& add(const std::string& text) { return push(text, kText); }
    Params& add(const char* text) { return push(std::string(text), kText); }
    Params& add(bool value) { return push(value ? "t" : "f", kText); }
    template <class Int>
    requires(std::is_integral_v<Int> && !std::is_same_v<Int, bool>) Params& add(Int value) {
        return push(std::to_string(value), kText);
    }
    Params& add(Binary value) { return push(std::string(value.bytes), kBinary); }
    Params& add(std::nullopt_t) {
        values_.emplace_back();
        formats_.push_back(kText);
        return *this;
    }
    template <class T>
    Params& add(const std::optional<T>& value) {
        return value ? add(*value) : add(std::nullopt);
    }
    // A text[] parameter.
    Params& add(const std::vector<std::string>& values);
    // A bigint[] parameter.
    Params& add(const std::vector<std::int64_t>& values);

    int size() const { return static_cast<int>(values_.size()); }
    // Whether a text parameter holds a NUL byte: such parameters are never sent.
    bool holds_nul() const { return holds_nul_; }
    // Pointers valid while this object lives and is not modified.
    std::vector<const char*> value_pointers() const;
    std::vector<int> lengths() const;
    const int* formats() const { return formats_.data(); }

private:
    static constexpr int kText = 0;
    static constexpr int kBinary = 1;

    Params& push(std::string value, int format) {
        holds_nul_ = holds_nul_ || (format == kText && value.find('\0') != std::string::npos);
        values_.emplace_back(std::move(value));
        formats_.push_back(format);
        return *this;
    }

    std::vector<std::optional<std::string>> values_;
    std::vector<int> formats_;
    bool holds_nul_ = false;
};

}  // namespace govmail::storage
