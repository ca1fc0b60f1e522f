// Parity with shared/fixtures/colqwen2 and colqwen2_5 (the reference ColQwen2 / ColQwen2_5 +
// processors, float32): preprocessing, token ids, intermediates, embeddings of single items,
// scores, batch invariance, the patch grid.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <memory>

#include "core/error.h"
#include "models/qwen2vl/colqwen2_encoder.h"
#include "models/qwen2vl/prompt.h"
#include "models/transformer/layers.h"
#include "tests/models/fixture_files.h"

namespace patchwise::models::qwen2vl {
namespace {

using namespace models::testing;

constexpr double kEmbeddingTolerance = 1e-4;
constexpr std::int64_t kImageTokenId = 494;  // <|image_pad|> in both fixtures' tokenizers

torch::Tensor ids_tensor(const std::vector<std::int64_t>& ids) { return torch::tensor(ids, torch::kInt64); }

class ColQwen2Parity : public ::testing::TestWithParam<std::string> {
 protected:
  static void SetUpTestSuite() { torch::set_num_threads(1); }
  static void TearDownTestSuite() { encoders_.clear(); }

  std::filesystem::path dir() const { return fixture_dir(GetParam()); }
  ColQwen2Encoder& encoder() {
    auto& e = encoders_[GetParam()];
    if (!e) e = std::make_unique<ColQwen2Encoder>(dir());
    return *e;
  }
  torch::Tensor singles(const std::string& name) const { return fixture_tensor(dir(), "expected/singles.safetensors", name); }
  torch::Tensor outputs(const std::string& name) const { return fixture_tensor(dir(), "expected/outputs.safetensors", name); }
  bool is_qwen25() const { return GetParam() == "colqwen2_5"; }

  static std::map<std::string, std::unique_ptr<ColQwen2Encoder>> encoders_;
};
std::map<std::string, std::unique_ptr<ColQwen2Encoder>> ColQwen2Parity::encoders_;

TEST_P(ColQwen2Parity, ReadsTheFixtureConfiguration) {
  const auto& c = encoder().config();
  EXPECT_EQ(c.variant, is_qwen25() ? Variant::qwen2_5_vl : Variant::qwen2_vl);
  EXPECT_EQ(c.preprocess.min_pixels, 256);
  EXPECT_EQ(c.preprocess.max_pixels, 3072);
  EXPECT_EQ(c.preprocess.factor(), 8);
  EXPECT_EQ(c.image_token_id, kImageTokenId);
  EXPECT_EQ(c.text.mrope_section, (std::array<int, 3>{2, 3, 3}));
  EXPECT_EQ(c.vision.layers, is_qwen25() ? 3 : 2);
  if (is_qwen25()) {
    EXPECT_EQ(c.vision.window_merged(), 2);
    EXPECT_EQ(c.vision.full_attention_blocks, std::vector<int>{1});
  }
  EXPECT_EQ(encoder().info().family, is_qwen25() ? "colqwen2.5" : "colqwen2");
  EXPECT_EQ(encoder().info().dim, 128u);
  EXPECT_EQ(encoder().info().fingerprint.size(), 16u);
  EXPECT_EQ(encoder().info().dtype, "float32");
  EXPECT_EQ(encoder().info().parameters, is_qwen25() ? 170336u : 168704u);  // MANIFEST: weights table
}

TEST_P(ColQwen2Parity, VectorsPerPageFollowFromTheSize) {
  for (int i = 0; i < 2; ++i) {
    const vision::PageImage page = fixture_page(dir(), i);
    EXPECT_EQ(encoder().vectors_per_page(page.width, page.height),
              static_cast<std::size_t>(singles("pages." + std::to_string(i)).size(0)));
  }
  EXPECT_EQ(encoder().vectors_per_page(0, 10), std::nullopt);
}

TEST_P(ColQwen2Parity, PixelPatchesAndPageIdsMatchTheReference) {
  for (int i = 0; i < 2; ++i) {
    SCOPED_TRACE("page " + std::to_string(i));
    const PageInputs in = encoder().prepare_page(fixture_page(dir(), i));
    const auto p = "pages." + std::to_string(i);
    const auto grid = singles(p + ".image_grid_thw");
    EXPECT_EQ(grid[0].item<std::int64_t>(), 1);
    EXPECT_EQ(grid[1].item<std::int64_t>(), in.image.grid.rows);
    EXPECT_EQ(grid[2].item<std::int64_t>(), in.image.grid.cols);
    const auto expected_pixels = singles(p + ".pixel_values");
    ASSERT_EQ(in.image.patches.sizes(), expected_pixels.sizes());
    EXPECT_EQ(max_abs_diff(in.image.patches, expected_pixels), 0.0) << "expected bit-exact pixel patches";
    EXPECT_TRUE(torch::equal(ids_tensor(in.input_ids), singles(p + ".input_ids")));
  }
}

TEST_P(ColQwen2Parity, QueryIdsMatchTheReference) {
  for (int j = 0; j < 2; ++j) {
    const auto expected = singles("queries." + std::to_string(j) + ".input_ids");
    EXPECT_TRUE(torch::equal(ids_tensor(encoder().query_ids(fixture_query(dir(), j))), expected)) << "query " << j;
  }
}

TEST_P(ColQwen2Parity, EachPageAloneMatchesTheReferenceSingles) {
  for (int i = 0; i < 2; ++i) {
    const vision::PageImage page = fixture_page(dir(), i);
    const auto out = encoder().encode_pages({&page, 1});
    ASSERT_EQ(out.size(), 1u);
    const auto expected = singles("pages." + std::to_string(i));
    const auto got = rows_of(out[0].vectors);
    ASSERT_EQ(got.sizes(), expected.sizes());
    const double diff = max_abs_diff(got, expected);
    std::printf("%s page %d alone: max |diff| vs reference single %.3g\n", GetParam().c_str(), i, diff);
    EXPECT_LE(diff, kEmbeddingTolerance) << "page " << i;
    EXPECT_EQ(out[0].grid.size(), out[0].vectors.rows());
  }
}

TEST_P(ColQwen2Parity, EachQueryAloneMatchesTheReferenceSingles) {
  for (int j = 0; j < 2; ++j) {
    const std::string q = fixture_query(dir(), j);
    const auto out = encoder().encode_queries({&q, 1});
    const auto expected = singles("queries." + std::to_string(j));
    const auto got = rows_of(out.at(0));
    ASSERT_EQ(got.sizes(), expected.sizes());
    const double diff = max_abs_diff(got, expected);
    std::printf("%s query %d alone: max |diff| vs reference single %.3g\n", GetParam().c_str(), j, diff);
    EXPECT_LE(diff, kEmbeddingTolerance) << "query " << j;
  }
}

TEST_P(ColQwen2Parity, ScoresMatchTheReferenceSingles) {
  const std::vector<vision::PageImage> pages{fixture_page(dir(), 0), fixture_page(dir(), 1)};
  const std::vector<std::string> queries{fixture_query(dir(), 0), fixture_query(dir(), 1)};
  const auto docs = encoder().encode_pages(pages);
  const auto qs = encoder().encode_queries(queries);
  const auto expected = singles("scores");
  for (int j = 0; j < 2; ++j) {
    for (int i = 0; i < 2; ++i) {
      const double want = expected[j][i].item<double>();
      const double got = maxsim(rows_of(qs[j]), rows_of(docs[i].vectors));
      EXPECT_LE(std::abs(got - want), 1e-4 * std::abs(want)) << "query " << j << " page " << i;
    }
  }
}

// The reference's batch of two pages and two queries with its intermediates, compared only
// where attention_mask is 1 (MANIFEST: padded positions are unspecified).
TEST_P(ColQwen2Parity, PaddedBatchesMatchTheReferenceIntermediates) {
  const auto mask = fixture_tensor(dir(), "inputs/image_inputs.safetensors", "attention_mask").to(torch::kBool);
  const std::vector<PageInputs> pages{encoder().prepare_page(fixture_page(dir(), 0)),
                                      encoder().prepare_page(fixture_page(dir(), 1))};
  Trace trace;
  const auto got = encoder().encode_page_batch(pages, &trace);
  for (const char* name : {"vision_patch_embed", "vision_block0_out", "vision_last_block_out", "merger_out", "vision_out"}) {
    EXPECT_LE(max_abs_diff(trace.tensors.at(name), outputs(std::string("image.") + name)), 1e-4) << name;
  }
  if (is_qwen25()) {
    EXPECT_TRUE(torch::equal(trace.tensors.at("vision_window_index").to(torch::kInt64),
                             outputs("image.vision_window_index")));
  }
  auto real = [](const torch::Tensor& t, const torch::Tensor& m) { return t.index({m}); };
  const auto positions = trace.tensors.at("mrope_position_ids").to(torch::kInt64);
  const auto expected_positions = outputs("image.mrope_position_ids");
  for (int c = 0; c < 3; ++c) {
    EXPECT_TRUE(torch::equal(real(positions[c], mask), real(expected_positions[c], mask))) << "component " << c;
  }
  for (const char* name : {"text_layer0_in", "text_layer0_out", "text_last_hidden_state", "proj_unnormalized"}) {
    const std::string ours = std::string(name) == "text_layer0_in" ? "text_inputs_embeds" : name;
    EXPECT_LE(max_abs_diff(real(trace.tensors.at(ours), mask), real(outputs(std::string("image.") + name), mask)), 1e-4)
        << name;
  }
  EXPECT_LE(max_abs_diff(got, outputs("image_embeddings")), kEmbeddingTolerance);

  const auto qmask = fixture_tensor(dir(), "inputs/query_inputs.safetensors", "attention_mask").to(torch::kBool);
  Trace qtrace;
  const auto qgot = encoder().encode_id_batch(
      {encoder().query_ids(fixture_query(dir(), 0)), encoder().query_ids(fixture_query(dir(), 1))}, &qtrace);
  for (const char* name : {"text_layer0_out", "text_last_hidden_state", "proj_unnormalized"}) {
    EXPECT_LE(max_abs_diff(real(qtrace.tensors.at(name), qmask), real(outputs(std::string("query.") + name), qmask)), 1e-4)
        << name;
  }
  EXPECT_LE(max_abs_diff(qgot, outputs("query_embeddings")), kEmbeddingTolerance);
}

TEST_P(ColQwen2Parity, EmbeddingsDoNotDependOnTheBatch) {
  const std::vector<PageInputs> pages{encoder().prepare_page(fixture_page(dir(), 0)),
                                      encoder().prepare_page(fixture_page(dir(), 1))};
  const auto batch = encoder().encode_page_batch(pages);  // page 0 is left-padded here
  for (int i = 0; i < 2; ++i) {
    const auto alone = encoder().encode_page_batch({pages[i]})[0];
    const auto n = alone.size(0);
    EXPECT_LE(max_abs_diff(batch[i].narrow(0, batch.size(1) - n, n), alone), 1e-5) << "page " << i;
  }
  const std::vector<std::string> queries{fixture_query(dir(), 0), fixture_query(dir(), 1)};
  const auto together = encoder().encode_queries(queries);  // query 0 is left-padded here
  for (int j = 0; j < 2; ++j) {
    const auto alone = encoder().encode_queries({&queries[j], 1});
    EXPECT_LE(max_abs_diff(rows_of(together[j]), rows_of(alone[0])), 1e-5) << "query " << j;
  }
}

TEST_P(ColQwen2Parity, PatchGridCoversThePageWithMergedCellsInRasterOrder) {
  const PageInputs in = encoder().prepare_page(fixture_page(dir(), 1));  // 5 x 9 merged cells
  ASSERT_EQ(in.image.grid.rows, 10);
  ASSERT_EQ(in.image.grid.cols, 18);
  const auto grid = page_patch_grid(in.input_ids, kImageTokenId, 5, 9);
  ASSERT_EQ(grid.size(), in.input_ids.size());
  std::vector<core::NormRect> cells;
  for (std::size_t k = 0; k < grid.size(); ++k) {
    if (in.input_ids[k] == kImageTokenId) {
      cells.push_back(grid.cells[k]);
    } else {
      EXPECT_TRUE(grid.cells[k].empty());
    }
  }
  ASSERT_EQ(cells.size(), 45u);
  EXPECT_EQ(cells[0], (core::NormRect{0.0F, 0.0F, 1.0F / 9, 0.2F}));
  EXPECT_NEAR(cells[10].x0, 1.0F / 9, 1e-6);  // row 1, column 1
  EXPECT_NEAR(cells[10].y0, 0.2F, 1e-6);
  EXPECT_NEAR(cells[44].x1, 1.0F, 1e-6);
  EXPECT_NEAR(cells[44].y1, 1.0F, 1e-6);
  EXPECT_THROW(page_patch_grid(in.input_ids, kImageTokenId, 5, 8), Error);
}

TEST_P(ColQwen2Parity, Bf16StaysCloseToFloat32) {
  EncoderOptions options;
  options.dtype = torch::kBFloat16;
  ColQwen2Encoder bf16(dir(), options);
  const vision::PageImage page = fixture_page(dir(), 0);
  const auto a = rows_of(encoder().encode_pages({&page, 1})[0].vectors);
  const auto b = rows_of(bf16.encode_pages({&page, 1})[0].vectors);
  ASSERT_EQ(a.sizes(), b.sizes());
  EXPECT_GT((a * b).sum(1).min().item<float>(), 0.98F);
  EXPECT_EQ(encoder().info().fingerprint, bf16.info().fingerprint);  // one vector space
  EXPECT_EQ(bf16.info().dtype, transformer::precision_name(torch::kBFloat16));
}

INSTANTIATE_TEST_SUITE_P(Fixtures, ColQwen2Parity, ::testing::Values("colqwen2", "colqwen2_5"));

TEST(ColQwen2SmartResize, GivesTheReferenceSizes) {
  // Fixture pages (MANIFEST: 1100x850 -> 56x48, 500x847 -> 40x72, as height x width).
  EXPECT_EQ(smart_resize({850, 1100}, 8, 256, 3072), (Size{48, 56}));
  EXPECT_EQ(smart_resize({847, 500}, 8, 256, 3072), (Size{72, 40}));
  // models.md §4.3: 1700x2200 (w x h) with max 602112 -> 672x868.
  EXPECT_EQ(smart_resize({1700, 2200}, 28, 3136, 602112), (Size{672, 868}));
  // Python rounds half to even: 140/28 = 5 -> 140, 154/28 = 5.5 -> 6 * 28 = 168, 98/28 = 3.5 -> 4 * 28.
  EXPECT_EQ(smart_resize({154, 98}, 28, 3136, 1 << 24), (Size{168, 112}));
  // Tiny images are scaled up to min_pixels.
  EXPECT_EQ(smart_resize({10, 10}, 28, 3136, 602112), (Size{56, 56}));
  EXPECT_THROW(smart_resize({2010, 10}, 28, 3136, 602112), Error);
}

}  // namespace
}  // namespace patchwise::models::qwen2vl
