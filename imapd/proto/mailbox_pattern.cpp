#include "imapd/proto/mailbox_pattern.hpp"

#include <algorithm>

#include "imapd/proto/tokenizer.hpp"

namespace govmail::imap {
namespace {

constexpr std::size_t kWordBits = 64;
constexpr std::size_t kByteValues = 256;

bool is_wildcard(char c) { return c == '*' || c == '%'; }

// PATTERN with each run of wildcards written as one: "*" if the run holds one, else "%".
std::string collapse_wildcards(std::string_view pattern) {
    std::string tokens;
    for (const char c : pattern) {
        if (!is_wildcard(c) || tokens.empty() || !is_wildcard(tokens.back())) {
            tokens += c;
        } else if (c == '*') {
            tokens.back() = '*';
        }
    }
    return tokens;
}

void set_bit(std::vector<std::uint64_t>& bits, std::size_t position) {
    bits[position / kWordBits] |= std::uint64_t{1} << (position % kWordBits);
}

bool has_bit(const std::vector<std::uint64_t>& bits, std::size_t position) {
    return (bits[position / kWordBits] >> (position % kWordBits) & 1U) != 0;
}

}  // namespace

std::string list_pattern(std::string_view reference, std::string_view mailbox) {
    std::string pattern = std::string(reference) + std::string(mailbox);
    constexpr std::string_view kInbox = "INBOX";
    if (pattern.size() >= kInbox.size() && iequals(pattern.substr(0, kInbox.size()), kInbox) &&
        (pattern.size() == kInbox.size() || pattern[kInbox.size()] == kDelimiter)) {
        pattern.replace(0, kInbox.size(), kInbox);
    }
    return pattern;
}

MailboxPattern::MailboxPattern(std::string_view pattern) {
    const std::string tokens = collapse_wildcards(pattern);
    accept_ = tokens.size();
    words_ = accept_ / kWordBits + 1;
    star_.assign(words_, 0);
    percent_.assign(words_, 0);
    literal_.assign(kByteValues * words_, 0);
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        if (tokens[i] == '*') {
            set_bit(star_, i);
        } else if (tokens[i] == '%') {
            set_bit(percent_, i);
        } else {
            set_bit(literal_, static_cast<unsigned char>(tokens[i]) * kWordBits * words_ + i);
        }
    }
}

void MailboxPattern::skip_wildcards(Bits& states) const {
    // Runs are collapsed, so the position after a wildcard is never a wildcard: one step, and
    // the bits it adds never feed another.
    std::uint64_t carry = 0;
    for (std::size_t w = 0; w < words_; ++w) {
        const std::uint64_t on_wildcard = states[w] & (star_[w] | percent_[w]);
        states[w] |= (on_wildcard << 1) | carry;
        carry = on_wildcard >> (kWordBits - 1);
    }
}

void MailboxPattern::step(const Bits& states, unsigned char byte, Bits& next) const {
    const std::uint64_t percent_stays = byte == static_cast<unsigned char>(kDelimiter) ? 0 : ~0ULL;
    const std::size_t literal = byte * words_;  // the first word of BYTE's positions
    std::uint64_t carry = 0;
    for (std::size_t w = 0; w < words_; ++w) {
        const std::uint64_t advanced = states[w] & literal_[literal + w];
        next[w] =
            (advanced << 1) | carry | (states[w] & (star_[w] | (percent_[w] & percent_stays)));
        carry = advanced >> (kWordBits - 1);
    }
    skip_wildcards(next);
}

bool MailboxPattern::matches(std::string_view name) const {
    Bits states(words_, 0);
    Bits next(words_, 0);
    set_bit(states, 0);
    skip_wildcards(states);
    for (const char c : name) {
        step(states, static_cast<unsigned char>(c), next);
        states.swap(next);
        if (std::ranges::all_of(states, [](std::uint64_t word) { return word == 0; })) {
            return false;
        }
    }
    return has_bit(states, accept_);
}

bool matches_pattern(std::string_view name, std::string_view pattern) {
    return MailboxPattern(pattern).matches(name);
}

}  // namespace govmail::imap
