#include "core/tiered_index.h"

#include <algorithm>
#include <memory>
#include <vector>

#include "core/parallel.h"
#include "core/quantize.h"
#include "core/token_pooling.h"

namespace patchwise::core {

Corpus build_first_pass(const Corpus& corpus, const FirstPassOptions& options) {
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
  run_parts(parts, split_pages_by_rows(corpus, parts), [&](int, std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
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
