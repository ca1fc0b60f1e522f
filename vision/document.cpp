#include "vision/document.h"

#include "core/error.h"
#include "vision/backends.h"
#include "vision/file_kind.h"

namespace patchwise::vision {

std::unique_ptr<Document> Document::open(const std::filesystem::path& path) {
  const auto head = read_file_head(path, 2048);
  if (head.empty()) {
    throw Error(path.string() + ": the file is empty (0 bytes)");
  }
  const FileKind kind = sniff_file_kind(head);
  switch (kind) {
    case FileKind::pdf:
      return open_pdf(path);
    case FileKind::unknown:
      throw Error(path.string() +
                  ": not a PDF or a PNG, JPEG, TIFF, BMP or WebP image (unrecognised content)");
    default:
      return open_image(path, kind);
  }
}

std::string page_where(const std::filesystem::path& path, int index) {
  return path.string() + ": page " + std::to_string(index + 1);
}

void check_page_index(const std::filesystem::path& path, int index, int count) {
  if (index < 0 || index >= count) {
    throw Error(path.string() + ": page " + std::to_string(index + 1) + " does not exist (the document has " +
                std::to_string(count) + (count == 1 ? " page)" : " pages)"));
  }
}

}  // namespace patchwise::vision
