#pragma once
// Baseline (a) of `patchwise bench`: what colpali-engine's `score_multi_vector` computes,
// re-created with libtorch. For each batch of 128 pages: pad the page tensors to the
// longest page (pad_sequence), einsum("bnd,csd->bcns") materialising the full token x patch
// similarity tensor, max over patches, sum over tokens. Pages are torch views over the
// corpus arena (as a Python user holds a list of tensors); the padding copy per batch is
// part of what that code does, so it is timed.
#include <torch/torch.h>

#include <cstddef>
#include <string>
#include <vector>

#include "core/corpus.h"
#include "core/multi_vector.h"
#include "core/error.h"

namespace patchwise::app::bench {

class TorchBaseline {
 public:
  static constexpr std::int64_t kBatch = 128;

  explicit TorchBaseline(const core::Corpus& corpus) : dim_(std::int64_t(corpus.dim())) {
    if (corpus.form() != core::VectorForm::f32) {
      throw Error("bench: the libtorch baseline needs the f32 corpus");
    }
    pages_.reserve(corpus.page_count());
    for (std::size_t i = 0; i < corpus.page_count(); ++i) {
      const auto values = corpus.page_values(i);
      pages_.push_back(torch::from_blob(const_cast<float*>(values.data()),
                                        {std::int64_t(corpus.rows(i)), dim_}, torch::kFloat32));
    }
  }

  // One score per page, in page order.
  std::vector<float> score(const core::MultiVector& query) const {
    const torch::InferenceMode inference;
    const auto q = torch::from_blob(const_cast<float*>(query.values().data()),
                                    {1, std::int64_t(query.rows()), dim_}, torch::kFloat32);
    std::vector<torch::Tensor> batches;
    for (std::size_t j = 0; j < pages_.size(); j += kBatch) {
      const std::size_t end = std::min(pages_.size(), j + std::size_t(kBatch));
      const std::vector<torch::Tensor> slice(pages_.begin() + std::ptrdiff_t(j),
                                             pages_.begin() + std::ptrdiff_t(end));
      const auto padded = torch::nn::utils::rnn::pad_sequence(slice, /*batch_first=*/true, 0.0);
      batches.push_back(
          std::get<0>(torch::einsum("bnd,csd->bcns", {q, padded}).max(3)).sum(2));
    }
    const auto all = torch::cat(batches, 1).contiguous();
    const float* data = all.data_ptr<float>();
    return {data, data + all.numel()};
  }

 private:
  std::int64_t dim_;
  std::vector<torch::Tensor> pages_;
};

}  // namespace patchwise::app::bench
