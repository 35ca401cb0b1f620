#include "mime/sections.hpp"

#include <string>

namespace govmail::mime {
namespace {

std::string child_section(const std::string& parent, std::size_t index) {
    const std::string number = std::to_string(index + 1);
    return parent.empty() ? number : parent + "." + number;
}

class Numbering {
public:
    std::vector<PartSpan> run(const Entity& message) {
        spans_.push_back({"", message.header_begin, message.body_begin, message.body_end, false, 0}
        );
        number_message_body(message, "");
        return std::move(spans_);
    }

private:
    // The parts of a message are its multipart children, or else its body as part 1.
    void number_message_body(const Entity& message, const std::string& section) {
        if (message.kind != Entity::Kind::Multipart) {
            number_part(message, child_section(section, 0));
            return;
        }
        number_children(message, section);
    }

    void number_children(const Entity& multipart, const std::string& section) {
        for (std::size_t i = 0; i < multipart.children.size(); ++i) {
            number_part(multipart.children[i], child_section(section, i));
        }
    }

    void number_part(const Entity& part, const std::string& section) {
        PartSpan span{section, part.header_begin, part.body_begin, part.body_end, false, 0};
        if (part.kind == Entity::Kind::Message) {
            span.is_message = true;
            span.message_body_begin = part.children.front().body_begin;
        }
        spans_.push_back(std::move(span));
        if (part.kind == Entity::Kind::Multipart) {
            number_children(part, section);
        } else if (part.kind == Entity::Kind::Message) {
            number_message_body(part.children.front(), section);
        }
    }

    std::vector<PartSpan> spans_;
};

}  // namespace

std::vector<PartSpan> number_sections(const Entity& message) { return Numbering().run(message); }

}  // namespace govmail::mime
