#include "storage/pg/params.hpp"

#include "storage/pg/pg_result.hpp"

namespace govmail::storage {

Params& Params::add(const std::vector<std::string>& values) {
    return push(encode_text_array(values), kText);
}

Params& Params::add(const std::vector<std::int64_t>& values) {
    std::vector<std::string> texts;
    texts.reserve(values.size());
    for (const auto value : values) {
        texts.push_back(std::to_string(value));
    }
    return add(texts);
}

std::vector<const char*> Params::value_pointers() const {
    std::vector<const char*> out;
    out.reserve(values_.size());
    for (const auto& v : values_) {
        out.push_back(v ? v->data() : nullptr);
    }
    return out;
}

std::vector<int> Params::lengths() const {
    std::vector<int> out;
    out.reserve(values_.size());
    for (const auto& v : values_) {
        out.push_back(v ? static_cast<int>(v->size()) : 0);
    }
    return out;
}

}  // namespace govmail::storage
