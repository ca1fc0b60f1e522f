#pragma once
// Turns what the user named (files and folders) into the list of files to ingest.
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace patchwise::app {

struct Discovery {
  std::vector<std::filesystem::path> files;    // absolute, canonical, sorted, no duplicates
  std::vector<std::filesystem::path> folders;  // the folders walked (absolute, canonical)
  std::vector<std::string> errors;             // inputs that do not exist or cannot be walked
};

// Files named explicitly are always taken (Document::open decides by content); inside
// folders, walked recursively, only files with a known extension are (.pdf .png .jpg .jpeg
// .tif .tiff, any case), so a folder's other files are not reported as failures.
Discovery discover(std::span<const std::string> inputs);

bool has_document_extension(const std::filesystem::path& path);

// The form a path is stored in: absolute and canonical where it exists.
std::filesystem::path normalize_path(const std::filesystem::path& path);

}  // namespace patchwise::app
