// Parity with shared/fixtures/colpali (colpali-engine 0.3.12 ColPali + ColPaliProcessor on
// transformers 4.53, float32): preprocessing, token ids, intermediates, embeddings of single
// items, scores, batch invariance, the patch grid.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <memory>

#include "core/error.h"
#include "models/colpali/colpali_encoder.h"
#include "models/colpali/prompt.h"
#include "models/transformer/layers.h"
#include "tests/models/fixture_files.h"

namespace patchwise::models::colpali {
namespace {

using namespace models::testing;

constexpr double kEmbeddingTolerance = 1e-4;
constexpr int kImageToken = 512;
const std::string kFixture = "colpali";
const std::string kOutputs = "expected/outputs.safetensors";

torch::Tensor expected(const std::string& file, const std::string& name) { return fixture_tensor(fixture_dir(kFixture), file, name); }
vision::PageImage page(int i) { return fixture_page(fixture_dir(kFixture), i); }
std::string query(int j) { return fixture_query(fixture_dir(kFixture), j); }
torch::Tensor ids_tensor(const std::vector<std::int64_t>& ids) { return torch::tensor(ids, torch::kInt64); }

class ColPaliParity : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    torch::set_num_threads(1);
    encoder_ = std::make_unique<ColPaliEncoder>(fixture_dir(kFixture));
  }
  static void TearDownTestSuite() { encoder_.reset(); }
  static std::unique_ptr<ColPaliEncoder> encoder_;
};
std::unique_ptr<ColPaliEncoder> ColPaliParity::encoder_;

TEST_F(ColPaliParity, ReadsTheFixtureConfiguration) {
  const auto& c = encoder_->config();
  EXPECT_EQ(c.image_seq_len, 36);
  EXPECT_EQ(c.image_token_id, kImageToken);
  EXPECT_EQ(c.preprocess.width, 48);
  EXPECT_EQ(c.preprocess.filter, vision::ResampleFilter::bicubic);
  EXPECT_EQ(c.text.head_dim, 32);  // not hidden / heads
  EXPECT_EQ(c.text.kv_heads, 2);
  EXPECT_EQ(c.layout, WeightLayout::colpali_engine);
  EXPECT_EQ(encoder_->info().family, "colpali");
  EXPECT_EQ(encoder_->info().dim, 128u);
  EXPECT_EQ(encoder_->info().fingerprint.size(), 16u);
  EXPECT_EQ(encoder_->info().parameters, 166816u);  // MANIFEST: 61 tensors, 166816 parameters
  EXPECT_EQ(encoder_->info().dtype, "float32");
}

TEST_F(ColPaliParity, VectorsPerPageIsThePromptLengthForAnySize) {
  for (const auto& [w, h] : {std::pair{850, 1100}, std::pair{847, 500}, std::pair{1, 1}}) {
    EXPECT_EQ(encoder_->vectors_per_page(w, h), std::optional<std::size_t>(52)) << w << "x" << h;
  }
  EXPECT_EQ(encoder_->vectors_per_page(0, 10), std::nullopt);
  const vision::PageImage p = page(1);
  EXPECT_EQ(encoder_->encode_pages({&p, 1})[0].vectors.rows(), 52u);
}

TEST_F(ColPaliParity, PixelValuesAndPageIdsMatchTheReference) {
  for (int i = 0; i < 2; ++i) {
    SCOPED_TRACE("page " + std::to_string(i));
    const PageInputs in = encoder_->prepare_page(page(i));
    const auto p = "pages." + std::to_string(i);
    EXPECT_EQ(max_abs_diff(in.pixels, expected(kSingles, p + ".pixel_values")), 0.0) << "expected bit-exact pixels";
    EXPECT_TRUE(torch::equal(ids_tensor(in.input_ids), expected(kSingles, p + ".input_ids")));
  }
}

TEST_F(ColPaliParity, PagePromptHasTwoBosAfterTheImageTokens) {
  const auto ids = encoder_->prepare_page(page(0)).input_ids;
  ASSERT_GT(ids.size(), 38u);
  for (int k = 0; k < 36; ++k) EXPECT_EQ(ids[k], kImageToken) << k;
  EXPECT_EQ(ids[36], 2);
  EXPECT_EQ(ids[37], 2);
  EXPECT_EQ(ids.back(), 17);  // "\n" as the byte piece <0x0A>
}

TEST_F(ColPaliParity, QueryIdsMatchTheReference) {
  for (int j = 0; j < 2; ++j) {
    const auto want = expected(kSingles, "queries." + std::to_string(j) + ".input_ids");
    const auto got = encoder_->query_ids(query(j));
    EXPECT_TRUE(torch::equal(ids_tensor(got), want)) << "query " << j;
    EXPECT_EQ(got.front(), 2);  // one <bos>
    EXPECT_EQ(std::count(got.end() - 10, got.end(), 0), 10);  // 10 <pad> augmentation tokens
  }
}

TEST_F(ColPaliParity, EachPageAloneMatchesTheReferenceSingles) {
  expect_pages_alone_match(*encoder_, fixture_dir(kFixture), kEmbeddingTolerance);
}

TEST_F(ColPaliParity, EachQueryAloneMatchesTheReferenceSingles) {
  expect_queries_alone_match(*encoder_, fixture_dir(kFixture), kEmbeddingTolerance);
}

TEST_F(ColPaliParity, ScoresMatchTheReferenceSingles) { expect_scores_match(*encoder_, fixture_dir(kFixture)); }

// The reference's batches of two pages and two queries with their intermediates, compared
// where attention_mask is 1 (MANIFEST: padded positions are unspecified).
TEST_F(ColPaliParity, BatchesMatchTheReferenceIntermediates) {
  const std::vector<PageInputs> pages{encoder_->prepare_page(page(0)), encoder_->prepare_page(page(1))};
  Trace trace;
  const auto got = encoder_->encode_page_batch(pages, &trace);
  EXPECT_TRUE(torch::equal(torch::stack({ids_tensor(pages[0].input_ids), ids_tensor(pages[1].input_ids)}),
                           expected("inputs/image_inputs.safetensors", "input_ids")));
  for (const char* name : {"vision_embeddings", "vision_layer0_out", "vision_last_hidden_state", "projector_out",
                           "text_layer0_in", "text_layer0_out", "text_last_hidden_state", "proj_unnormalized"}) {
    const auto want = expected(kOutputs, std::string("image.") + name);
    EXPECT_LE(max_abs_diff(trace.tensors.at(name).view(want.sizes()), want), 1e-4) << name;
  }
  EXPECT_LE(max_abs_diff(got, expected(kOutputs, "image_embeddings")), kEmbeddingTolerance);

  const auto qmask = expected("inputs/query_inputs.safetensors", "attention_mask");
  Trace qtrace;
  const std::vector<std::vector<std::int64_t>> ids{encoder_->query_ids(query(0)), encoder_->query_ids(query(1))};
  const auto qgot = encoder_->encode_id_batch(ids, &qtrace);
  const auto real = qmask.to(torch::kBool);
  for (const char* name : {"text_layer0_in", "text_layer0_out", "text_last_hidden_state", "proj_unnormalized"}) {
    EXPECT_LE(max_abs_diff(qtrace.tensors.at(name).index({real}),
                           expected(kOutputs, std::string("query.") + name).index({real})),
              1e-4)
        << name;
  }
  EXPECT_LE(max_abs_diff(qgot, expected(kOutputs, "query_embeddings")), kEmbeddingTolerance);
}

TEST_F(ColPaliParity, EmbeddingsDoNotDependOnTheBatch) {
  const std::vector<std::string> queries{query(0), query(1)};  // query 0 is right-padded together
  const auto together = encoder_->encode_queries(queries);
  for (int j = 0; j < 2; ++j) {
    const auto alone = encoder_->encode_queries({&queries[j], 1});
    EXPECT_LE(max_abs_diff(rows_of(together[j]), rows_of(alone[0])), 1e-5) << "query " << j;
  }
  const std::vector<PageInputs> pages{encoder_->prepare_page(page(0)), encoder_->prepare_page(page(1))};
  const auto batch = encoder_->encode_page_batch(pages);
  for (int i = 0; i < 2; ++i) {
    EXPECT_LE(max_abs_diff(batch[i], encoder_->encode_page_batch({pages[i]})[0]), 1e-5) << "page " << i;
  }
}

TEST_F(ColPaliParity, PatchGridCoversThePageRowMajor) {
  const PageInputs in = encoder_->prepare_page(page(1));  // not square: still a uniform 6x6 grid
  const auto grid = page_patch_grid(in.input_ids, kImageToken, 6);
  ASSERT_EQ(grid.size(), in.input_ids.size());
  EXPECT_EQ(grid.cells[0], (core::NormRect{0.0F, 0.0F, 1.0F / 6, 1.0F / 6}));
  EXPECT_NEAR(grid.cells[7].x0, 1.0F / 6, 1e-6);  // token 7: column 1, row 1
  EXPECT_NEAR(grid.cells[7].y0, 1.0F / 6, 1e-6);
  EXPECT_NEAR(grid.cells[35].x1, 1.0F, 1e-6);
  EXPECT_NEAR(grid.cells[35].y1, 1.0F, 1e-6);
  for (std::size_t k = 36; k < grid.size(); ++k) EXPECT_TRUE(grid.cells[k].empty()) << k;
  EXPECT_THROW(page_patch_grid(in.input_ids, kImageToken, 5), Error);
}

TEST(ColPaliBf16, StaysCloseToFloat32) {
  torch::set_num_threads(1);
  ColPaliEncoder f32(fixture_dir(kFixture));
  ColPaliEncoder bf16(fixture_dir(kFixture), EncoderOptions{.dtype = torch::kBFloat16});
  const vision::PageImage p = page(0);
  const auto a = rows_of(f32.encode_pages({&p, 1})[0].vectors);
  const auto b = rows_of(bf16.encode_pages({&p, 1})[0].vectors);
  ASSERT_EQ(a.sizes(), b.sizes());
  EXPECT_GT((a * b).sum(1).min().item<float>(), 0.98F);
  // One vector space whatever the compute dtype (as ColIdefics3 and ColQwen2).
  EXPECT_EQ(f32.info().fingerprint, bf16.info().fingerprint);
  EXPECT_EQ(bf16.info().dtype, transformer::precision_name(torch::kBFloat16));
}

}  // namespace
}  // namespace patchwise::models::colpali
