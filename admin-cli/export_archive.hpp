#pragma once

// Writing a mailbox export as a zip archive (libzip): one folder per mailbox, one .eml per
// message with the bytes as stored, and manifest.json last with counts, sizes and the
// SHA-256 of every file. Bodies are fetched one at a time while the archive is written, so
// memory holds one message and the list of names, whatever the mailbox's size; libzip adds
// ZIP64 records where sizes or offsets need them, and marks names as UTF-8.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "admin-cli/outcome.hpp"

namespace govmail::admin {

struct ArchiveFolder {
    std::string mailbox;  // the IMAP name
    std::string folder;   // the safe path inside the archive (export_names.hpp)
};

struct ArchiveMessage {
    std::size_t folder = 0;  // index into the folders
    std::int64_t uid = 0;
    std::string body_id;
    std::int64_t size = 0;
};

struct ArchiveSummary {
    std::int64_t messages = 0;
    std::int64_t message_bytes = 0;
    std::int64_t archive_bytes = 0;
};

// The bytes of BODY_ID, or nullopt when they cannot be read.
using FetchBody = std::function<std::optional<std::string>(const std::string& body_id)>;

// Writes the archive to PATH (libzip writes a temporary file and renames it at the end, so
// PATH appears complete or not at all). HEADER goes into the manifest as given. Returns
// the summary, or what went wrong.
std::variant<ArchiveSummary, std::string> write_archive(
    const std::filesystem::path& path,
    const Json& header,
    const std::vector<ArchiveFolder>& folders,
    const std::vector<ArchiveMessage>& messages,
    const FetchBody& fetch
);

}  // namespace govmail::admin
