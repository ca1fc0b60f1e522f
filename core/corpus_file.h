#pragma once
// A Corpus on disk, searched through a read-only memory mapping: the operating system pages
// vectors in on demand, so a corpus larger than RAM can back the exact rerank of tiered
// search (which touches only the candidate pages) while a compact first-pass index stays
// resident.
//
// Layout (little-endian, version 1): a 64-byte header (magic "PWCORPUS", version, form,
// dim, page count, total rows, arena offset, metadata offset), the arena (rows in the
// stored form, as in Corpus), then page ids (int64), row offsets (uint64, pages + 1) and,
// for int8, one fp32 scale per row. The magic is written last, so an interrupted write is
// never mistaken for a corpus.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <span>
#include <vector>

#include "core/corpus.h"
#include "core/vector_form.h"

namespace patchwise::core {

// Writes pages one at a time (memory use does not grow with the corpus).
class CorpusFileWriter {
 public:
  CorpusFileWriter(std::filesystem::path path, std::size_t dim, VectorForm form);
  CorpusFileWriter(const CorpusFileWriter&) = delete;
  CorpusFileWriter& operator=(const CorpusFileWriter&) = delete;

  // rows x dim fp32, encoded into the file's form.
  void add_page(std::int64_t page_id, std::span<const float> values);
  // Rows already in the file's form (and their int8 scales).
  void add_encoded_page(std::int64_t page_id, std::size_t rows, std::span<const std::byte> encoded,
                        std::span<const float> scales);
  // Writes the metadata and header. Throws Error on any I/O failure.
  void finish();

 private:
  void check_stream(const char* what) const;

  std::filesystem::path path_;
  std::size_t dim_;
  VectorForm form_;
  std::ofstream out_;
  std::vector<std::int64_t> ids_;
  std::vector<std::uint64_t> offsets_{0};
  std::vector<float> scales_;
  std::vector<std::byte> row_buffer_;
  bool finished_ = false;
};

// Writes a whole corpus.
void save_corpus(const Corpus& corpus, const std::filesystem::path& path);

// Maps a corpus file read-only. Throws Error naming the file if it is missing, truncated
// or not a corpus file.
Corpus map_corpus(const std::filesystem::path& path);

}  // namespace patchwise::core
