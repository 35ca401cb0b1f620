#include "mime/body_structure.hpp"

#include "common/imap_string.hpp"
#include "mime/ascii.hpp"
#include "mime/envelope.hpp"

namespace govmail::mime {
namespace {

// body-fld-param: ("NAME" "value" ...) or NIL.
void append_params(std::string& out, const std::vector<Param>& params) {
    if (params.empty()) {
        out += "NIL";
        return;
    }
    out += '(';
    for (std::size_t i = 0; i < params.size(); ++i) {
        out += i == 0 ? "" : " ";
        append_imap_string(out, upper(params[i].name));
        out += ' ';
        append_imap_string(out, params[i].value);
    }
    out += ')';
}

// body-fld-dsp: ("TYPE" params) or NIL.
void append_disposition(std::string& out, const Entity& entity) {
    const std::optional<std::string_view> value = field_value(entity.fields, "Content-Disposition");
    const std::optional<Disposition> disposition = value ? parse_disposition(*value) : std::nullopt;
    if (!disposition) {
        out += "NIL";
        return;
    }
    out += '(';
    append_imap_string(out, upper(disposition->type));
    out += ' ';
    append_params(out, disposition->params);
    out += ')';
}

// body-fld-lang: the comma-separated Content-Language tags as a list, or NIL.
void append_language(std::string& out, const Entity& entity) {
    const std::optional<std::string> value = unfolded_value(entity.fields, "Content-Language");
    std::vector<std::string_view> tags;
    for (std::string_view rest = value ? std::string_view(*value) : std::string_view();
         !rest.empty();) {
        const std::size_t comma = std::min(rest.find(','), rest.size());
        if (const std::string_view tag = trim(rest.substr(0, comma)); !tag.empty()) {
            tags.push_back(tag);
        }
        rest.remove_prefix(std::min(comma + 1, rest.size()));
    }
    if (tags.empty()) {
        out += "NIL";
        return;
    }
    out += '(';
    for (std::size_t i = 0; i < tags.size(); ++i) {
        out += i == 0 ? "" : " ";
        append_imap_string(out, tags[i]);
    }
    out += ')';
}

// Disposition, language and location, after the part-specific extension data.
void append_common_extensions(std::string& out, const Entity& entity) {
    out += ' ';
    append_disposition(out, entity);
    out += ' ';
    append_language(out, entity);
    out += ' ';
    append_imap_nstring(out, unfolded_value(entity.fields, "Content-Location"));
}

class Writer {
public:
    Writer(std::string_view raw, bool extended) : raw_(raw), extended_(extended) {}

    void write(const Entity& entity) {
        if (entity.kind == Entity::Kind::Multipart) {
            write_multipart(entity);
        } else {
            write_single(entity);
        }
    }

    std::string take() { return std::move(out_); }

private:
    void write_multipart(const Entity& entity) {
        out_ += '(';
        for (const Entity& child : entity.children) {
            write(child);
        }
        out_ += ' ';
        append_imap_string(out_, upper(entity.media.subtype));
        if (extended_) {
            out_ += ' ';
            append_params(out_, entity.media.params);
            append_common_extensions(out_, entity);
        }
        out_ += ')';
    }

    void write_single(const Entity& entity) {
        const MediaType& media = entity.media;
        const bool unopened =
            entity.kind == Entity::Kind::Leaf &&
            (media.type == "multipart" || (media.type == "message" && media.subtype == "rfc822"));
        const bool is_text = media.type == "text";
        const std::string_view body =
            raw_.substr(entity.body_begin, entity.body_end - entity.body_begin);
        out_ += '(';
        append_imap_string(out_, unopened ? "APPLICATION" : upper(media.type));
        out_ += ' ';
        append_imap_string(out_, unopened ? "OCTET-STREAM" : upper(media.subtype));
        out_ += ' ';
        if (is_text && media.params.empty()) {
            out_ += R"(("CHARSET" "US-ASCII"))";
        } else {
            append_params(out_, media.params);
        }
        out_ += ' ';
        append_imap_nstring(out_, unfolded_value(entity.fields, "Content-ID"));
        out_ += ' ';
        append_imap_nstring(out_, unfolded_value(entity.fields, "Content-Description"));
        out_ += ' ';
        const std::optional<std::string> encoding =
            unfolded_value(entity.fields, "Content-Transfer-Encoding");
        append_imap_string(out_, encoding && !encoding->empty() ? upper(*encoding) : "7BIT");
        out_ += ' ';
        out_ += std::to_string(body.size());
        if (entity.kind == Entity::Kind::Message) {
            const Entity& message = entity.children.front();
            out_ += ' ';
            out_ += envelope(message.fields);
            out_ += ' ';
            write(message);
        }
        if (is_text || entity.kind == Entity::Kind::Message) {
            out_ += ' ';
            out_ += std::to_string(count_lines(body));
        }
        if (extended_) {
            out_ += " NIL";  // body-fld-md5
            append_common_extensions(out_, entity);
        }
        out_ += ')';
    }

    std::string_view raw_;
    bool extended_;
    std::string out_;
};

}  // namespace

std::string body_structure(std::string_view raw, const Entity& entity, bool extended) {
    Writer writer(raw, extended);
    writer.write(entity);
    return writer.take();
}

}  // namespace govmail::mime
