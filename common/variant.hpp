#pragma once

// Helpers for std::variant, which every daemon's typed requests are: Overloaded, to visit with
// one lambda per alternative, and variant_index_v and lists_alternatives_in_order, so that a
// command table can be checked at compile time to list its requests in order.

#include <array>
#include <cstddef>
#include <type_traits>
#include <variant>

namespace govmail {

template <class... Ts>
struct Overloaded : Ts... {
    using Ts::operator()...;
};
// Spelled out for clang 14 (clang-tidy), which lacks C++20's deduction for aggregates.
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

template <class T, class Variant>
struct VariantIndex;

template <class T, class... Ts>
struct VariantIndex<T, std::variant<Ts...>> {
    // The first alternative that is T; the number of alternatives when none is.
    static constexpr std::size_t value = [] {
        constexpr std::array matches{std::is_same_v<T, Ts>...};
        for (std::size_t i = 0; i < matches.size(); ++i) {
            if (matches[i]) {
                return i;
            }
        }
        return matches.size();
    }();
};

template <class T, class Variant>
inline constexpr std::size_t variant_index_v = VariantIndex<T, Variant>::value;

// True when TABLE has one entry per alternative of Variant, in order: entry i has index i.
template <class Variant, class Table>
constexpr bool lists_alternatives_in_order(const Table& table) {
    for (std::size_t i = 0; i < table.size(); ++i) {
        if (table[i].index != i) {
            return false;
        }
    }
    return table.size() == std::variant_size_v<Variant>;
}

}  // namespace govmail
