// transformer::attention computes scores a few heads at a time; it must equal the textbook
// softmax(q k^T * scale + mask) v whatever the chunking.
#include <gtest/gtest.h>

#include "models/transformer/layers.h"

namespace patchwise::models::transformer {
namespace {

torch::Tensor textbook(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                       const torch::Tensor& mask, double scale) {
  auto scores = torch::matmul(q.to(torch::kFloat64), k.to(torch::kFloat64).transpose(-2, -1)) * scale;
  if (mask.defined()) scores = scores + mask.to(torch::kFloat64);
  return torch::matmul(torch::softmax(scores, -1), v.to(torch::kFloat64)).to(torch::kFloat32);
}

// 600 x 600 scores: two heads per chunk, so five heads take three chunks, the last one short.
TEST(Attention, ChunkedOverHeadsEqualsTheTextbookFormulaWithAMaskPerBatchItem) {
  torch::manual_seed(11);
  const auto q = torch::randn({2, 5, 600, 16}), k = torch::randn({2, 5, 600, 16}), v = torch::randn({2, 5, 600, 16});
  auto mask = torch::zeros({2, 1, 600, 600});
  mask[1].slice(2, 550, 600).fill_(-1e9);  // the second item's last 50 keys are padding
  const auto got = attention(q, k, v, mask, 0.3);
  EXPECT_LT((got - textbook(q, k, v, mask, 0.3)).abs().max().item<float>(), 1e-5F);
}

// 3-D [heads, L, d] input with a mask per head; 600 x 500 scores put two heads in a chunk, so
// the mask is sliced across chunks.
TEST(Attention, ThreeDimensionalHeadsFirstInputAndPerHeadMaskAcrossChunks) {
  torch::manual_seed(12);
  const auto q = torch::randn({3, 600, 8}), k = torch::randn({3, 500, 8}), v = torch::randn({3, 500, 4});
  const auto mask = torch::randn({3, 600, 500});
  const auto got = attention(q, k, v, mask, 0.5);
  ASSERT_EQ(got.sizes(), (std::vector<std::int64_t>{3, 600, 4}));
  EXPECT_LT((got - textbook(q, k, v, mask, 0.5)).abs().max().item<float>(), 1e-5F);
}

TEST(Attention, Bfloat16InputsGiveBfloat16Output) {
  torch::manual_seed(13);
  const auto q = torch::randn({1, 2, 10, 8}).to(torch::kBFloat16);
  const auto got = attention(q, q, q, {}, 0.25);
  EXPECT_EQ(got.scalar_type(), torch::kBFloat16);
  EXPECT_LT((got.to(torch::kFloat32) - textbook(q, q, q, {}, 0.25)).abs().max().item<float>(), 0.05F);
}

}  // namespace
}  // namespace patchwise::models::transformer
