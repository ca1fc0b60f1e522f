#include "core/tiered_index.h"

#include <algorithm>
#include <memory>
#include <unordered_map>
#include <vector>

#include "core/parallel.h"
#include "core/quantize.h"
#include "core/token_pooling.h"

namespace patchwise::core {

namespace {

// Index in `reuse` of each page of `corpus` that can be copied from it, or npos.
std::vector<std::size_t> reusable_pages(const Corpus& corpus, const FirstPassOptions& options,
                                        const Corpus* reuse) {
  constexpr auto npos = static_cast<std::size_t>(-1);
  std::vector<std::size_t> from(corpus.page_count(), npos);
  if (!reuse || reuse->form() != options.form || reuse->dim() != corpus.dim()) return from;
  std::unordered_map<std::int64_t, std::size_t> index;
  index.reserve(reuse->page_count());
  for (std::size_t i = 0; i < reuse->page_count(); ++i) index.emplace(reuse->page_id(i), i);
  for (std::size_t i = 0; i < corpus.page_count(); ++i) {
    const auto it = index.find(corpus.page_id(i));
    if (it != index.end() && reuse->rows(it->second) == std::min(options.rows_per_page, corpus.rows(i))) {
      from[i] = it->second;
    }
  }
  return from;
}

}  // namespace

Corpus build_first_pass(const Corpus& corpus, const FirstPassOptions& options, const Corpus* reuse) {
  struct Storage {
    std::vector<std::int64_t> ids;
    std::vector<std::uint64_t> offsets;
    std::vector<float> scales;
    std::vector<std::byte> arena;
  };
  const std::size_t pages = corpus.page_count();
  const std::size_t dim = corpus.dim();
  const std::size_t bytes_per_row = row_bytes(options.form, dim);
  auto storage = std::make_shared<Storage>();
  storage->ids.assign(corpus.ids().begin(), corpus.ids().end());
  storage->offsets.resize(pages + 1, 0);
  for (std::size_t i = 0; i < pages; ++i) {
    storage->offsets[i + 1] = storage->offsets[i] + std::min(options.rows_per_page, corpus.rows(i));
  }
  const std::size_t rows = storage->offsets.back();
  if (options.form == VectorForm::int8) storage->scales.resize(rows);
  storage->arena.resize(rows * bytes_per_row);
  const int parts = std::max(1, std::min<int>(resolve_threads(options.threads), int(std::max<std::size_t>(pages, 1))));
  const std::vector<std::size_t> copy_from = reusable_pages(corpus, options, reuse);
  run_parts(parts, split_pages_by_rows(corpus, parts), [&](int, std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      if (copy_from[i] != static_cast<std::size_t>(-1)) {
        const std::span<const std::byte> bytes = reuse->page_bytes(copy_from[i]);
        std::copy(bytes.begin(), bytes.end(), storage->arena.begin() + std::ptrdiff_t(storage->offsets[i] * bytes_per_row));
        const std::span<const float> scales = reuse->page_scales(copy_from[i]);
        std::copy(scales.begin(), scales.end(), storage->scales.begin() + std::ptrdiff_t(storage->offsets[i]));
        continue;
      }
      const std::vector<float> values = corpus.decode_page(i);
      const MultiVector pooled = kmeans_pool(values, dim, options.rows_per_page, options.iterations);
      for (std::size_t r = 0; r < pooled.rows(); ++r) {
        const std::size_t row = storage->offsets[i] + r;
        const float scale = encode_row(options.form, pooled.row(r), storage->arena.data() + row * bytes_per_row);
        if (options.form == VectorForm::int8) storage->scales[row] = scale;
      }
    }
  });
  Corpus::External external{storage->ids, storage->offsets, storage->scales, storage->arena, storage};
  return Corpus::view(dim, options.form, std::move(external));
}

}  // namespace patchwise::core
