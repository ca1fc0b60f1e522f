#pragma once
// What a file holds, told by its first bytes (never by its extension).
#include <cstdint>
#include <filesystem>
#include <span>
#include <string_view>
#include <vector>

namespace patchwise::vision {

enum class FileKind { unknown, pdf, png, jpeg, tiff, bmp, webp };

// Name for messages: "PDF", "PNG", ...
std::string_view file_kind_name(FileKind kind);

// Looks at the leading bytes. PDF's "%PDF-" may follow up to 1024 bytes of junk, as readers
// accept (and as the PDF spec's implementation notes allow).
FileKind sniff_file_kind(std::span<const std::uint8_t> head);

// The first `max_bytes` bytes of a file. Throws patchwise::Error naming the file when it is
// missing, not a regular file, or unreadable.
std::vector<std::uint8_t> read_file_head(const std::filesystem::path& path, std::size_t max_bytes);

// The whole file, with the same errors.
std::vector<std::uint8_t> read_whole_file(const std::filesystem::path& path);

}  // namespace patchwise::vision
