#include "mime/search_text.hpp"

#include <algorithm>

#include "mime/charset.hpp"
#include "mime/transfer_encoding.hpp"

namespace govmail::mime {
namespace {

// Encoded bytes per decoded byte are at most 3 ("=XX") plus line breaks; this much input is
// enough to fill the remaining space.
constexpr std::size_t kEncodedPerDecoded = 4;

class Collector {
public:
    Collector(std::string_view raw, std::size_t limit) : raw_(raw), limit_(limit) {}

    void collect(const Entity& entity) {
        for (const Entity& child : entity.children) {
            collect(child);
        }
        if (entity.kind != Entity::Kind::Leaf || entity.media.type != "text" || full()) {
            return;
        }
        const std::size_t room = limit_ - out_.size();
        const std::string_view body = raw_.substr(
            entity.body_begin,
            std::min(entity.body_end - entity.body_begin, room * kEncodedPerDecoded + 16)
        );
        const std::optional<std::string_view> encoding =
            field_value(entity.fields, "Content-Transfer-Encoding");
        const std::string* charset = find_param(entity.media.params, "charset");
        if (!out_.empty()) {
            out_ += '\n';
        }
        out_ += to_utf8(
            transfer_decode(body, encoding.value_or("")), charset ? *charset : std::string_view()
        );
    }

    std::string finish() {
        if (out_.size() > limit_) {
            std::size_t cut = limit_;
            while (cut > 0 && (static_cast<unsigned char>(out_[cut]) & 0xC0) == 0x80) {
                --cut;
            }
            out_.resize(cut);
        }
        return std::move(out_);
    }

private:
    bool full() const { return out_.size() >= limit_; }

    std::string_view raw_;
    std::size_t limit_;
    std::string out_;
};

}  // namespace

std::string search_text(std::string_view raw, const Entity& message, std::size_t limit) {
    Collector collector(raw, limit);
    collector.collect(message);
    auto text = collector.finish();
    std::ranges::replace(text, '\0', ' ');  // stored as text, which cannot hold NUL
    return text;
}

}  // namespace govmail::mime
