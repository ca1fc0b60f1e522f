#include "vision/file_kind.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <system_error>

#include "core/error.h"

namespace patchwise::vision {
namespace {

bool starts_with(std::span<const std::uint8_t> bytes, std::string_view magic) {
  return bytes.size() >= magic.size() && std::memcmp(bytes.data(), magic.data(), magic.size()) == 0;
}

void check_regular_file(const std::filesystem::path& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) {
    throw Error(path.string() + ": no such file");
  }
  if (std::filesystem::is_directory(status)) {
    throw Error(path.string() + ": is a folder, not a document");
  }
  if (!std::filesystem::is_regular_file(status)) {
    throw Error(path.string() + ": not a regular file");
  }
}

std::vector<std::uint8_t> read_bytes(const std::filesystem::path& path, std::size_t max_bytes) {
  check_regular_file(path);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw Error(path.string() + ": cannot be opened for reading (check its permissions)");
  }
  std::vector<std::uint8_t> bytes;
  constexpr std::size_t kChunk = 1 << 16;
  while (bytes.size() < max_bytes) {
    const std::size_t want = std::min(kChunk, max_bytes - bytes.size());
    const std::size_t old = bytes.size();
    bytes.resize(old + want);
    in.read(reinterpret_cast<char*>(bytes.data() + old), std::streamsize(want));
    bytes.resize(old + std::size_t(in.gcount()));
    if (!in) break;
  }
  if (in.bad()) {
    throw Error(path.string() + ": read error");
  }
  return bytes;
}

}  // namespace

std::string_view file_kind_name(FileKind kind) {
  switch (kind) {
    case FileKind::pdf: return "PDF";
    case FileKind::png: return "PNG";
    case FileKind::jpeg: return "JPEG";
    case FileKind::tiff: return "TIFF";
    case FileKind::bmp: return "BMP";
    case FileKind::webp: return "WebP";
    case FileKind::unknown: break;
  }
  return "unknown";
}

FileKind sniff_file_kind(std::span<const std::uint8_t> head) {
  if (starts_with(head, "\x89PNG\r\n\x1a\n")) return FileKind::png;
  if (starts_with(head, "\xFF\xD8\xFF")) return FileKind::jpeg;
  if (starts_with(head, std::string_view("II*\0", 4)) || starts_with(head, std::string_view("MM\0*", 4))) {
    return FileKind::tiff;
  }
  if (starts_with(head, "BM") && head.size() >= 26) return FileKind::bmp;
  if (starts_with(head, "RIFF") && head.size() >= 12 && std::memcmp(head.data() + 8, "WEBP", 4) == 0) {
    return FileKind::webp;
  }
  const auto window = head.first(std::min<std::size_t>(head.size(), 1024 + 5));
  constexpr std::string_view kPdf = "%PDF-";
  if (std::search(window.begin(), window.end(), kPdf.begin(), kPdf.end()) != window.end()) {
    return FileKind::pdf;
  }
  return FileKind::unknown;
}

std::vector<std::uint8_t> read_file_head(const std::filesystem::path& path, std::size_t max_bytes) {
  return read_bytes(path, max_bytes);
}

std::vector<std::uint8_t> read_whole_file(const std::filesystem::path& path) {
  return read_bytes(path, std::size_t(-1));
}

}  // namespace patchwise::vision
