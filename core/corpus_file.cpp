#include "core/corpus_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cstring>
#include <memory>
#include <string>

#include "core/error.h"
#include "core/quantize.h"

namespace patchwise::core {
namespace {

constexpr std::array<char, 8> kMagic = {'P', 'W', 'C', 'O', 'R', 'P', 'U', 'S'};
constexpr std::uint32_t kVersion = 1;
constexpr std::uint64_t kHeaderBytes = 64;

struct Header {
  std::array<char, 8> magic{};
  std::uint32_t version = 0;
  std::uint32_t form = 0;
  std::uint64_t dim = 0;
  std::uint64_t pages = 0;
  std::uint64_t rows = 0;
  std::uint64_t arena_offset = 0;
  std::uint64_t meta_offset = 0;
  std::uint64_t reserved = 0;
};
static_assert(sizeof(Header) == kHeaderBytes);

// The page table follows the arena at an 8-byte boundary so it can be read in place.
constexpr std::uint64_t align8(std::uint64_t n) { return (n + 7) / 8 * 8; }

class Mapping {
 public:
  Mapping(void* data, std::size_t size) : data_(data), size_(size) {}
  ~Mapping() { munmap(data_, size_); }
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;
  const std::byte* bytes() const { return static_cast<const std::byte*>(data_); }
  std::size_t size() const { return size_; }

 private:
  void* data_;
  std::size_t size_;
};

}  // namespace

CorpusFileWriter::CorpusFileWriter(std::filesystem::path path, std::size_t dim, VectorForm form)
    : path_(std::move(path)), dim_(dim), form_(form), out_(path_, std::ios::binary | std::ios::trunc),
      row_buffer_(row_bytes(form, dim)) {
  if (!out_) throw Error("corpus file " + path_.string() + ": cannot create it");
  const std::array<char, kHeaderBytes> zeros{};
  out_.write(zeros.data(), zeros.size());
  check_stream("writing the header");
}

void CorpusFileWriter::check_stream(const char* what) const {
  if (!out_) throw Error("corpus file " + path_.string() + ": I/O error " + what + " (disk full?)");
}

void CorpusFileWriter::add_page(std::int64_t page_id, std::span<const float> values) {
  if (finished_ || dim_ == 0 || values.size() % dim_ != 0) {
    throw Error("corpus file " + path_.string() + ": page " + std::to_string(page_id) + " has " +
                std::to_string(values.size()) + " values, not rows of dim " + std::to_string(dim_) +
                (finished_ ? " (or the file is already finished)" : ""));
  }
  const std::size_t rows = values.size() / dim_;
  for (std::size_t r = 0; r < rows; ++r) {
    const float scale = encode_row(form_, values.subspan(r * dim_, dim_), row_buffer_.data());
    if (form_ == VectorForm::int8) scales_.push_back(scale);
    out_.write(reinterpret_cast<const char*>(row_buffer_.data()), std::streamsize(row_buffer_.size()));
  }
  check_stream("writing a page");
  ids_.push_back(page_id);
  offsets_.push_back(offsets_.back() + rows);
}

void CorpusFileWriter::add_encoded_page(std::int64_t page_id, std::size_t rows,
                                        std::span<const std::byte> encoded, std::span<const float> scales) {
  if (finished_ || encoded.size() != rows * row_buffer_.size() ||
      scales.size() != (form_ == VectorForm::int8 ? rows : 0)) {
    throw Error("corpus file " + path_.string() + ": encoded page " + std::to_string(page_id) +
                " does not hold " + std::to_string(rows) + " " + std::string(form_name(form_)) + " rows");
  }
  out_.write(reinterpret_cast<const char*>(encoded.data()), std::streamsize(encoded.size()));
  check_stream("writing a page");
  scales_.insert(scales_.end(), scales.begin(), scales.end());
  ids_.push_back(page_id);
  offsets_.push_back(offsets_.back() + rows);
}

void CorpusFileWriter::finish() {
  if (finished_) return;
  Header h;
  h.version = kVersion;
  h.form = static_cast<std::uint32_t>(form_);
  h.dim = dim_;
  h.pages = ids_.size();
  h.rows = offsets_.back();
  h.arena_offset = kHeaderBytes;
  h.meta_offset = align8(kHeaderBytes + h.rows * row_buffer_.size());
  const std::array<char, 8> zeros{};
  out_.write(zeros.data(), std::streamsize(h.meta_offset - kHeaderBytes - h.rows * row_buffer_.size()));
  out_.write(reinterpret_cast<const char*>(ids_.data()), std::streamsize(ids_.size() * 8));
  out_.write(reinterpret_cast<const char*>(offsets_.data()), std::streamsize(offsets_.size() * 8));
  out_.write(reinterpret_cast<const char*>(scales_.data()), std::streamsize(scales_.size() * 4));
  check_stream("writing the page table");
  out_.seekp(0);
  h.magic = kMagic;
  out_.write(reinterpret_cast<const char*>(&h), sizeof h);
  out_.flush();
  check_stream("writing the header");
  out_.close();
  finished_ = true;
}

void save_corpus(const Corpus& corpus, const std::filesystem::path& path) {
  CorpusFileWriter writer(path, corpus.dim(), corpus.form());
  for (std::size_t i = 0; i < corpus.page_count(); ++i) {
    writer.add_encoded_page(corpus.page_id(i), corpus.rows(i), corpus.page_bytes(i), corpus.page_scales(i));
  }
  writer.finish();
}

Corpus map_corpus(const std::filesystem::path& path) {
  const std::string name = "corpus file " + path.string();
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error(name + ": cannot open it (" + std::strerror(errno) + ")");
  struct stat st{};
  if (::fstat(fd, &st) != 0 || std::uint64_t(st.st_size) < kHeaderBytes) {
    ::close(fd);
    throw Error(name + ": too short to be a corpus file");
  }
  void* data = ::mmap(nullptr, std::size_t(st.st_size), PROT_READ, MAP_SHARED, fd, 0);
  ::close(fd);
  if (data == MAP_FAILED) throw Error(name + ": cannot map it (" + std::strerror(errno) + ")");
  auto mapping = std::make_shared<Mapping>(data, std::size_t(st.st_size));

  Header h;
  std::memcpy(&h, mapping->bytes(), sizeof h);
  if (h.magic != kMagic) throw Error(name + ": not a corpus file, or an interrupted write");
  if (h.version != kVersion || h.form > static_cast<std::uint32_t>(VectorForm::bit1) || h.dim == 0) {
    throw Error(name + ": unsupported version " + std::to_string(h.version) + " or form " + std::to_string(h.form));
  }
  const auto form = static_cast<VectorForm>(h.form);
  const std::uint64_t arena_bytes = h.rows * row_bytes(form, h.dim);
  const std::uint64_t scale_count = form == VectorForm::int8 ? h.rows : 0;
  const std::uint64_t need = h.meta_offset + h.pages * 8 + (h.pages + 1) * 8 + scale_count * 4;
  if (h.arena_offset != kHeaderBytes || h.meta_offset != align8(h.arena_offset + arena_bytes) || need != mapping->size()) {
    throw Error(name + ": truncated or inconsistent (" + std::to_string(mapping->size()) + " bytes, header implies " +
                std::to_string(need) + ")");
  }
  const std::byte* base = mapping->bytes();
  const std::byte* meta = base + h.meta_offset;
  Corpus::External external{
      {reinterpret_cast<const std::int64_t*>(meta), h.pages},
      {reinterpret_cast<const std::uint64_t*>(meta + h.pages * 8), h.pages + 1},
      {reinterpret_cast<const float*>(meta + h.pages * 16 + 8), scale_count},
      {base + h.arena_offset, arena_bytes},
      mapping};
  return Corpus::view(h.dim, form, std::move(external));
}

}  // namespace patchwise::core
