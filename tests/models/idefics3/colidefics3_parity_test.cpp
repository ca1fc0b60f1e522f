// Parity with shared/fixtures/colidefics3 (the reference ColIdefics3 + processor, float32):
// preprocessing, token ids, intermediates, embeddings of single items, scores, batch invariance.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <memory>

#include "fixture.h"
#include "tests/models/fixture_files.h"
#include "models/idefics3/colidefics3_encoder.h"
#include "models/idefics3/prompt.h"

namespace patchwise::models::idefics3 {
namespace {

using namespace testing;
using torch::indexing::Slice;

constexpr double kEmbeddingTolerance = 1e-4;

class ColIdefics3Parity : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    torch::set_num_threads(1);
    encoder_ = std::make_unique<ColIdefics3Encoder>(fixture_dir());
  }
  static void TearDownTestSuite() { encoder_.reset(); }
  static std::unique_ptr<ColIdefics3Encoder> encoder_;
};
std::unique_ptr<ColIdefics3Encoder> ColIdefics3Parity::encoder_;

torch::Tensor ids_tensor(const std::vector<std::int64_t>& ids) {
  return torch::tensor(ids, torch::kInt64);
}

using models::testing::maxsim;
using models::testing::rows_of;

TEST_F(ColIdefics3Parity, ReadsTheFixtureConfiguration) {
  const auto& c = encoder_->config();
  EXPECT_EQ(c.image_seq_len, 4);
  EXPECT_EQ(c.preprocess.longest_edge, 96);
  EXPECT_EQ(c.preprocess.tile_size, 32);
  EXPECT_EQ(c.image_token_id, 473);
  EXPECT_EQ(encoder_->info().family, "colidefics3");
  EXPECT_EQ(encoder_->info().dim, 128u);
  EXPECT_EQ(encoder_->info().fingerprint.size(), 16u);
}

TEST_F(ColIdefics3Parity, ResizeRulesGiveTheObservedSizes) {
  EXPECT_EQ(longest_edge_size({850, 1100}, 96), (Size{74, 96}));
  EXPECT_EQ(tile_multiple_size({74, 96}, 32), (Size{96, 96}));
  EXPECT_EQ(longest_edge_size({847, 500}, 96), (Size{96, 56}));
  EXPECT_EQ(tile_multiple_size({96, 56}, 32), (Size{96, 64}));
  // models.md §2.3: A4 at 200 dpi (1700x2200) -> 1582x2048 -> 2048x2048 (4x4 tiles).
  EXPECT_EQ(longest_edge_size({1700, 2200}, 2048), (Size{1582, 2048}));
  EXPECT_EQ(tile_multiple_size({1582, 2048}, 512), (Size{2048, 2048}));
  EXPECT_EQ(longest_edge_size({16, 32}, 2048), (Size{1024, 2048}));
}

TEST_F(ColIdefics3Parity, PixelValuesAndPageIdsMatchTheReference) {
  for (int i = 0; i < 2; ++i) {
    SCOPED_TRACE("page " + std::to_string(i));
    const PageInputs in = encoder_->prepare_page(fixture_page(i));
    const auto p = "pages." + std::to_string(i);
    const auto expected_pixels = fixture_tensor("expected/singles.safetensors", p + ".pixel_values");
    ASSERT_EQ(in.image.tiles.sizes(), expected_pixels.sizes());
    EXPECT_LE(max_abs_diff(in.image.tiles, expected_pixels), 1e-5);
    EXPECT_EQ(max_abs_diff(in.image.tiles, expected_pixels), 0.0) << "expected bit-exact pixels";
    const auto expected_ids = fixture_tensor("expected/singles.safetensors", p + ".input_ids");
    EXPECT_TRUE(torch::equal(ids_tensor(in.input_ids), expected_ids));
  }
}

TEST_F(ColIdefics3Parity, QueryIdsMatchTheReference) {
  for (int j = 0; j < 2; ++j) {
    const auto expected = fixture_tensor("expected/singles.safetensors", "queries." + std::to_string(j) + ".input_ids");
    EXPECT_TRUE(torch::equal(ids_tensor(encoder_->query_ids(fixture_query(j))), expected)) << "query " << j;
  }
}

TEST_F(ColIdefics3Parity, EachPageAloneMatchesTheReferenceSingles) {
  for (int i = 0; i < 2; ++i) {
    const vision::PageImage page = fixture_page(i);
    const auto out = encoder_->encode_pages({&page, 1});
    ASSERT_EQ(out.size(), 1u);
    const auto expected = fixture_tensor("expected/singles.safetensors", "pages." + std::to_string(i));
    const auto got = rows_of(out[0].vectors);
    ASSERT_EQ(got.sizes(), expected.sizes());
    const double diff = max_abs_diff(got, expected);
    std::printf("page %d alone: max |diff| vs reference single %.3g\n", i, diff);
    EXPECT_LE(diff, kEmbeddingTolerance) << "page " << i;
    EXPECT_EQ(out[0].grid.size(), out[0].vectors.rows());
  }
}

TEST_F(ColIdefics3Parity, EachQueryAloneMatchesTheReferenceSingles) {
  for (int j = 0; j < 2; ++j) {
    const std::string q = fixture_query(j);
    const auto out = encoder_->encode_queries({&q, 1});
    const auto expected = fixture_tensor("expected/singles.safetensors", "queries." + std::to_string(j));
    const auto got = rows_of(out.at(0));
    ASSERT_EQ(got.sizes(), expected.sizes());
    const double diff = max_abs_diff(got, expected);
    std::printf("query %d alone: max |diff| vs reference single %.3g\n", j, diff);
    EXPECT_LE(diff, kEmbeddingTolerance) << "query " << j;
  }
}

TEST_F(ColIdefics3Parity, ScoresMatchTheReferenceSingles) {
  const std::vector<vision::PageImage> pages{fixture_page(0), fixture_page(1)};
  const std::vector<std::string> queries{fixture_query(0), fixture_query(1)};
  const auto docs = encoder_->encode_pages(pages);
  const auto qs = encoder_->encode_queries(queries);
  const auto expected = fixture_tensor("expected/singles.safetensors", "scores");
  for (int j = 0; j < 2; ++j) {
    for (int i = 0; i < 2; ++i) {
      const double want = expected[j][i].item<double>();
      const double got = maxsim(rows_of(qs[j]), rows_of(docs[i].vectors));
      std::printf("score q%d p%d: %.7f reference %.7f\n", j, i, got, want);
      EXPECT_LE(std::abs(got - want), 1e-4 * std::abs(want)) << "query " << j << " page " << i;
    }
  }
}

// The reference's batch of two pages and two queries, with its intermediates. Intermediates
// are compared only where attention_mask is 1 (MANIFEST: padded positions are unspecified).
TEST_F(ColIdefics3Parity, PaddedBatchesMatchTheReferenceIntermediates) {
  const std::string out = "expected/outputs.safetensors";
  const auto mask = fixture_tensor("inputs/image_inputs.safetensors", "attention_mask").to(torch::kBool);
  std::vector<PageInputs> pages{encoder_->prepare_page(fixture_page(0)), encoder_->prepare_page(fixture_page(1))};
  Trace trace;
  const auto got = encoder_->encode_page_batch(pages, &trace);
  EXPECT_TRUE(torch::equal(
      ids_tensor(pages[1].input_ids),
      fixture_tensor("inputs/image_inputs.safetensors", "input_ids")[1].masked_select(mask[1])));
  for (const char* name : {"vision_embeddings", "vision_layer0_out", "vision_last_hidden_state", "connector_out"}) {
    EXPECT_LE(max_abs_diff(trace.tensors.at(name), fixture_tensor(out, std::string("image.") + name)), 1e-4) << name;
  }
  auto real = [&](const torch::Tensor& t) { return t.index({mask}); };
  for (const char* name : {"text_inputs_embeds", "text_layer0_out", "text_last_hidden_state", "proj_unnormalized"}) {
    EXPECT_LE(max_abs_diff(real(trace.tensors.at(name)), real(fixture_tensor(out, std::string("image.") + name))), 1e-4)
        << name;
  }
  EXPECT_LE(max_abs_diff(got, fixture_tensor(out, "image_embeddings")), kEmbeddingTolerance);

  const auto qmask = fixture_tensor("inputs/query_inputs.safetensors", "attention_mask").to(torch::kBool);
  Trace qtrace;
  const auto qgot = encoder_->encode_id_batch({encoder_->query_ids(fixture_query(0)), encoder_->query_ids(fixture_query(1))},
                                              &qtrace);
  for (const char* name : {"text_inputs_embeds", "text_layer0_out", "text_last_hidden_state", "proj_unnormalized"}) {
    EXPECT_LE(max_abs_diff(qtrace.tensors.at(name).index({qmask}),
                           fixture_tensor(out, std::string("query.") + name).index({qmask})),
              1e-4)
        << name;
  }
  EXPECT_LE(max_abs_diff(qgot, fixture_tensor(out, "query_embeddings")), kEmbeddingTolerance);
}

TEST_F(ColIdefics3Parity, EmbeddingsDoNotDependOnTheBatch) {
  const std::vector<PageInputs> pages{encoder_->prepare_page(fixture_page(0)), encoder_->prepare_page(fixture_page(1))};
  const auto batch = encoder_->encode_page_batch(pages);  // page 1 is left-padded here
  for (int i = 0; i < 2; ++i) {
    const auto alone = encoder_->encode_page_batch({pages[i]})[0];
    const auto n = alone.size(0);
    EXPECT_LE(max_abs_diff(batch[i].narrow(0, batch.size(1) - n, n), alone), 1e-5) << "page " << i;
  }
  const std::vector<std::string> queries{fixture_query(0), fixture_query(1)};
  const auto together = encoder_->encode_queries(queries);
  for (int j = 0; j < 2; ++j) {
    const auto alone = encoder_->encode_queries({&queries[j], 1});
    EXPECT_LE(max_abs_diff(rows_of(together[j]), rows_of(alone[0])), 1e-5) << "query " << j;
  }
}

TEST_F(ColIdefics3Parity, PatchGridPlacesTilesAndTheGlobalImage) {
  const vision::PageImage page = fixture_page(1);  // 2 x 3 tiles + global
  const PageInputs in = encoder_->prepare_page(page);
  ASSERT_EQ(in.image.rows, 2);
  ASSERT_EQ(in.image.cols, 3);
  const auto grid = page_patch_grid(in.input_ids, 473, 2, 3, 4);
  ASSERT_EQ(grid.size(), in.input_ids.size());
  std::vector<core::NormRect> tile1, global;
  for (std::size_t k = 0; k < grid.size(); ++k) {
    if (in.input_ids[k] != 473) {
      EXPECT_TRUE(grid.cells[k].empty());
      continue;
    }
    if (grid.source[k] == 0) global.push_back(grid.cells[k]);
    if (grid.source[k] == 2) tile1.push_back(grid.cells[k]);  // row 0, col 1
  }
  ASSERT_EQ(global.size(), 4u);
  ASSERT_EQ(tile1.size(), 4u);
  // Global tile: 2x2 cells over the whole page, row-major.
  EXPECT_EQ(global[0], (core::NormRect{0.0F, 0.0F, 0.5F, 0.5F}));
  EXPECT_EQ(global[3], (core::NormRect{0.5F, 0.5F, 1.0F, 1.0F}));
  // Tile (0, 1): x in [1/3, 2/3], y in [0, 1/2]; its 2x2 cells split that.
  EXPECT_NEAR(tile1[0].x0, 1.0F / 3, 1e-6);
  EXPECT_NEAR(tile1[0].x1, 0.5F, 1e-6);
  EXPECT_NEAR(tile1[3].x1, 2.0F / 3, 1e-6);
  EXPECT_NEAR(tile1[3].y0, 0.25F, 1e-6);
  EXPECT_NEAR(tile1[3].y1, 0.5F, 1e-6);
}

TEST(ColIdefics3Bf16, StaysCloseToFloat32) {
  torch::set_num_threads(1);
  ColIdefics3Encoder f32(fixture_dir());
  ColIdefics3Encoder bf16(fixture_dir(), EncoderOptions{.dtype = torch::kBFloat16});
  const std::string q = fixture_query(0);
  const auto a = rows_of(f32.encode_queries({&q, 1})[0]);
  const auto b = rows_of(bf16.encode_queries({&q, 1})[0]);
  ASSERT_EQ(a.sizes(), b.sizes());
  const auto cosine = (a * b).sum(1);
  EXPECT_GT(cosine.min().item<float>(), 0.98F);
  // One vector space: a library ingested in float32 is searchable with bf16 queries.
  EXPECT_EQ(f32.info().fingerprint, bf16.info().fingerprint);
}

}  // namespace
}  // namespace patchwise::models::idefics3
