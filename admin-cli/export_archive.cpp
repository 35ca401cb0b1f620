#include "admin-cli/export_archive.hpp"

#include <openssl/evp.h>
#include <zip.h>

#include <algorithm>
#include <cstring>
#include <ctime>
#include <memory>

#include "common/hex.hpp"

namespace govmail::admin {
namespace {

struct FileRecord {
    std::string path;
    std::int64_t size = -1;  // -1 until written
    std::string sha256;      // hex
};

struct MdFree {
    void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

// The common part of both sources: bytes served from memory, hashed as they go out.
struct SourceState {
    zip_error_t error{};
    std::string data;
    std::size_t offset = 0;
    std::unique_ptr<EVP_MD_CTX, MdFree> md;  // only while open: 10,000 sources wait at once
    std::time_t mtime = std::time(nullptr);

    SourceState() { zip_error_init(&error); }
    SourceState(const SourceState&) = delete;
    SourceState& operator=(const SourceState&) = delete;
    ~SourceState() { zip_error_fini(&error); }

    zip_int64_t fail(int code) {
        zip_error_set(&error, code, 0);
        return -1;
    }
    bool start(std::string&& bytes) {
        data = std::move(bytes);
        offset = 0;
        md.reset(EVP_MD_CTX_new());
        return md && EVP_DigestInit_ex(md.get(), EVP_sha256(), nullptr) == 1;
    }
    zip_int64_t read(void* out, zip_uint64_t len) {
        const auto n = std::min<std::size_t>(static_cast<std::size_t>(len), data.size() - offset);
        std::memcpy(out, data.data() + offset, n);
        EVP_DigestUpdate(md.get(), data.data() + offset, n);
        offset += n;
        return static_cast<zip_int64_t>(n);
    }
    std::string finish() {
        unsigned char digest[EVP_MAX_MD_SIZE];
        unsigned int size = 0;
        EVP_DigestFinal_ex(md.get(), digest, &size);
        md.reset();
        data.clear();
        data.shrink_to_fit();
        return hex(std::string_view(reinterpret_cast<const char*>(digest), size));
    }
    zip_int64_t stat(void* out, std::int64_t size) {
        auto* st = static_cast<zip_stat_t*>(out);
        zip_stat_init(st);
        st->size = static_cast<zip_uint64_t>(size);
        st->mtime = mtime;
        st->valid |= ZIP_STAT_SIZE | ZIP_STAT_MTIME;
        return sizeof(*st);
    }
};

zip_int64_t supported() {
    return zip_source_make_command_bitmap(
        ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR,
        ZIP_SOURCE_FREE, -1
    );
}

// One message: fetched at open, hashed while read, released at close.
struct BodySource {
    SourceState state;
    const FetchBody* fetch = nullptr;
    const ArchiveMessage* message = nullptr;
    FileRecord* record = nullptr;
};

zip_int64_t body_callback(void* opaque, void* data, zip_uint64_t len, zip_source_cmd_t cmd) {
    auto* source = static_cast<BodySource*>(opaque);
    auto& s = source->state;
    switch (cmd) {
        case ZIP_SOURCE_OPEN: {
            auto bytes = (*source->fetch)(source->message->body_id);
            if (!bytes) {
                return s.fail(ZIP_ER_READ);
            }
            if (static_cast<std::int64_t>(bytes->size()) != source->message->size) {
                return s.fail(ZIP_ER_INCONS);
            }
            return s.start(std::move(*bytes)) ? 0 : s.fail(ZIP_ER_INTERNAL);
        }
        case ZIP_SOURCE_READ:
            return s.read(data, len);
        case ZIP_SOURCE_CLOSE:
            source->record->size = static_cast<std::int64_t>(s.offset);
            source->record->sha256 = s.finish();
            return 0;
        case ZIP_SOURCE_STAT:
            return s.stat(data, source->message->size);
        case ZIP_SOURCE_ERROR:
            return zip_error_to_data(&s.error, data, len);
        case ZIP_SOURCE_FREE:
            delete source;
            return 0;
        case ZIP_SOURCE_SUPPORTS:
            return supported();
        default:
            return s.fail(ZIP_ER_OPNOTSUPP);
    }
}

// manifest.json, written last: built at open from what the message sources recorded.
struct ManifestSource {
    SourceState state;
    const Json* header = nullptr;
    const std::vector<ArchiveFolder>* folders = nullptr;
    const std::vector<ArchiveMessage>* messages = nullptr;
    const std::vector<FileRecord>* records = nullptr;
    std::optional<std::string> text;  // built once, so STAT and OPEN agree

    const std::string& build() {
        if (text) {
            return *text;
        }
        std::vector<Json> boxes(folders->size());
        for (std::size_t i = 0; i < folders->size(); ++i) {
            boxes[i] = Json{
                {"mailbox", (*folders)[i].mailbox},
                {"folder", (*folders)[i].folder},
                {"messages", 0},
                {"bytes", 0}};
        }
        Json files = Json::array();
        std::int64_t total = 0;
        for (std::size_t i = 0; i < records->size(); ++i) {
            const auto& r = (*records)[i];
            auto& box = boxes[(*messages)[i].folder];
            box["messages"] = box["messages"].get<std::int64_t>() + 1;
            box["bytes"] = box["bytes"].get<std::int64_t>() + r.size;
            total += r.size;
            files.push_back(Json{{"path", r.path}, {"size", r.size}, {"sha256", r.sha256}});
        }
        Json manifest = *header;
        manifest["messages"] = records->size();
        manifest["bytes"] = total;
        manifest["mailboxes"] = boxes;
        manifest["files"] = std::move(files);
        text = manifest.dump(2) + "\n";
        return *text;
    }
};

zip_int64_t manifest_callback(void* opaque, void* data, zip_uint64_t len, zip_source_cmd_t cmd) {
    auto* source = static_cast<ManifestSource*>(opaque);
    auto& s = source->state;
    switch (cmd) {
        case ZIP_SOURCE_OPEN:
            for (const auto& r : *source->records) {
                if (r.size < 0) {
                    return s.fail(ZIP_ER_INTERNAL);  // a message was not written first
                }
            }
            return s.start(std::string(source->build())) ? 0 : s.fail(ZIP_ER_INTERNAL);
        case ZIP_SOURCE_READ:
            return s.read(data, len);
        case ZIP_SOURCE_CLOSE:
            s.finish();
            return 0;
        case ZIP_SOURCE_STAT: {
            // The size is known only once the messages are written; until then, none.
            auto* st = static_cast<zip_stat_t*>(data);
            zip_stat_init(st);
            st->mtime = s.mtime;
            st->valid |= ZIP_STAT_MTIME;
            return sizeof(*st);
        }
        case ZIP_SOURCE_ERROR:
            return zip_error_to_data(&s.error, data, len);
        case ZIP_SOURCE_FREE:
            delete source;
            return 0;
        case ZIP_SOURCE_SUPPORTS:
            return supported();
        default:
            return s.fail(ZIP_ER_OPNOTSUPP);
    }
}

std::string archive_error(zip_t* archive) { return zip_strerror(archive); }

// Unix permissions unzip applies: rw-r--r-- for files, rwxr-xr-x for folders, whoever
// extracts (libzip would leave them to the extracting umask, often world-writable).
constexpr zip_uint32_t kFileMode = 0100644;
constexpr zip_uint32_t kFolderMode = 040755;
constexpr zip_uint32_t kMsDosFolder = 0x10;

bool set_mode(zip_t* archive, zip_int64_t index, zip_uint32_t attributes) {
    return zip_file_set_external_attributes(
               archive, static_cast<zip_uint64_t>(index), 0, ZIP_OPSYS_UNIX, attributes
           ) == 0;
}

// Adds SOURCE as NAME, or frees it; false on failure.
bool add_file(zip_t* archive, const std::string& name, zip_source_t* source) {
    if (source == nullptr) {
        return false;
    }
    const auto index = zip_file_add(archive, name.c_str(), source, ZIP_FL_ENC_UTF_8);
    if (index < 0) {
        zip_source_free(source);
        return false;
    }
    const auto at = static_cast<zip_uint64_t>(index);
    return zip_set_file_compression(archive, at, ZIP_CM_DEFLATE, 1) == 0 &&
           set_mode(archive, index, kFileMode << 16);
}

}  // namespace

std::variant<ArchiveSummary, std::string> write_archive(
    const std::filesystem::path& path,
    const Json& header,
    const std::vector<ArchiveFolder>& folders,
    const std::vector<ArchiveMessage>& messages,
    const FetchBody& fetch
) {
    int code = 0;
    zip_t* archive = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &code);
    if (archive == nullptr) {
        zip_error_t error;
        zip_error_init_with_code(&error, code);
        std::string text = zip_error_strerror(&error);
        zip_error_fini(&error);
        return "cannot create " + path.string() + ": " + text;
    }
    const auto abandon = [archive](std::string text) {
        zip_discard(archive);
        return std::variant<ArchiveSummary, std::string>(std::move(text));
    };
    for (const auto& folder : folders) {
        const auto index = zip_dir_add(archive, folder.folder.c_str(), ZIP_FL_ENC_UTF_8);
        if (index < 0 || !set_mode(archive, index, (kFolderMode << 16) | kMsDosFolder)) {
            return abandon(archive_error(archive));
        }
    }
    std::vector<FileRecord> records(messages.size());
    ArchiveSummary summary;
    for (std::size_t i = 0; i < messages.size(); ++i) {
        const auto& m = messages[i];
        records[i].path = folders.at(m.folder).folder + "/" + std::to_string(m.uid) + ".eml";
        auto* body = new BodySource{};
        body->fetch = &fetch;
        body->message = &m;
        body->record = &records[i];
        zip_source_t* source = zip_source_function(archive, body_callback, body);
        if (source == nullptr) {
            delete body;
        }
        if (!add_file(archive, records[i].path, source)) {
            return abandon(archive_error(archive));
        }
        summary.messages += 1;
        summary.message_bytes += m.size;
    }
    auto* manifest = new ManifestSource{};
    manifest->header = &header;
    manifest->folders = &folders;
    manifest->messages = &messages;
    manifest->records = &records;
    zip_source_t* source = zip_source_function(archive, manifest_callback, manifest);
    if (source == nullptr) {
        delete manifest;
    }
    if (!add_file(archive, "manifest.json", source)) {
        return abandon(archive_error(archive));
    }
    if (zip_close(archive) != 0) {
        return abandon(archive_error(archive));
    }
    std::error_code ec;
    summary.archive_bytes = static_cast<std::int64_t>(std::filesystem::file_size(path, ec));
    return summary;
}

}  // namespace govmail::admin
