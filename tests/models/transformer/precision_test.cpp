// bfloat16 models on CPUs without a fast bfloat16 GEMM keep bf16 weights and compute in float32.
#include <gtest/gtest.h>

#include "models/transformer/layers.h"

namespace patchwise::models::transformer {
namespace {

bool cpu_has_avx512_bf16_path() {
#if defined(__x86_64__) || defined(__i386__)
  return at::hasMKLDNN() && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl") &&
         __builtin_cpu_supports("avx512dq");
#else
  return false;
#endif
}

TEST(Precision, Float32StaysFloat32) {
  const auto p = precision_for(torch::kFloat32);
  EXPECT_EQ(p.weights, torch::kFloat32);
  EXPECT_EQ(p.compute, torch::kFloat32);
  EXPECT_EQ(precision_name(torch::kFloat32), "float32");
}

TEST(Precision, Bfloat16KeepsBf16WeightsAndComputesWhereFast) {
  const auto p = precision_for(torch::kBFloat16);
  EXPECT_EQ(p.weights, torch::kBFloat16);
  if (cpu_has_avx512_bf16_path()) {
    EXPECT_EQ(p.compute, torch::kBFloat16);
    EXPECT_EQ(precision_name(torch::kBFloat16), "bfloat16");
  } else {
    EXPECT_EQ(p.compute, torch::kFloat32);
    EXPECT_EQ(precision_name(torch::kBFloat16), "bfloat16 weights, float32 arithmetic");
  }
}

TEST(Precision, LinearWidensNarrowWeightsToTheInputDtype) {
  torch::manual_seed(3);
  const Linear narrow{torch::randn({5, 7}).to(torch::kBFloat16), torch::randn({5})};
  const auto x = torch::randn({3, 7});
  const auto y = narrow(x);
  EXPECT_EQ(y.scalar_type(), torch::kFloat32);
  // Widening bfloat16 is exact, so the result is the float32 product with the rounded weights.
  EXPECT_TRUE(torch::equal(y, torch::linear(x, narrow.weight.to(torch::kFloat32), narrow.bias)));
}

TEST(Precision, LinearOfMatchingDtypesIsPlainLinear) {
  torch::manual_seed(4);
  const Linear same{torch::randn({4, 6}), {}};
  const auto x = torch::randn({2, 6});
  EXPECT_TRUE(torch::equal(same(x), torch::linear(x, same.weight)));
}

}  // namespace
}  // namespace patchwise::models::transformer
