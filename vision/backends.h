#pragma once
// The two Document backends, kept apart from document.h so that no poppler or OpenCV type
// reaches a header other layers include.
#include <filesystem>
#include <memory>
#include <string>

#include "vision/document.h"
#include "vision/file_kind.h"

namespace patchwise::vision {

// Both throw patchwise::Error naming the file when it cannot be opened as that kind.
std::unique_ptr<Document> open_pdf(const std::filesystem::path& path);
std::unique_ptr<Document> open_image(const std::filesystem::path& path, FileKind kind);

// "file.pdf: page 3" for messages; `index` is 0-based, users read 1-based pages.
std::string page_where(const std::filesystem::path& path, int index);

// Throws patchwise::Error unless 0 <= index < count.
void check_page_index(const std::filesystem::path& path, int index, int count);

}  // namespace patchwise::vision
