// Parity of the Idefics3-processor families with their fixtures (the reference ColIdefics3 and
// ColModernVBert with their processors, float32): preprocessing, token ids, intermediates,
// embeddings of single items, scores, batch invariance, PatchGrid, bf16.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>

#include "tests/models/fixture_files.h"
#include "models/idefics3/colidefics3_encoder.h"
#include "models/idefics3/prompt.h"
#include "models/modernvbert/colmodernvbert_encoder.h"
#include "models/transformer/layers.h"

namespace patchwise::models::idefics3 {
namespace {

using models::testing::fixture_dir;
using models::testing::max_abs_diff;
using models::testing::rows_of;

constexpr double kEmbeddingTolerance = 1e-4;

struct Family {
  std::string fixture;  // folder under shared/fixtures, also the EncoderInfo family
  std::function<std::unique_ptr<TiledEncoder>(const std::filesystem::path&, EncoderOptions)> make;
  std::int64_t image_token_id;
  std::vector<std::string> text_intermediates;  // what the fixture's MANIFEST records
};

// Names the parameter in test listings (CTest shows it) instead of dumping its bytes.
void PrintTo(const Family& family, std::ostream* os) { *os << family.fixture; }

const Family kColIdefics3{
    "colidefics3",
    [](const std::filesystem::path& dir, EncoderOptions o) { return std::make_unique<ColIdefics3Encoder>(dir, o); },
    473,
    {"text_inputs_embeds", "text_layer0_out", "text_last_hidden_state", "proj_unnormalized"}};

const Family kColModernVBert{
    "colmodernvbert",
    [](const std::filesystem::path& dir, EncoderOptions o) {
      return std::make_unique<modernvbert::ColModernVBertEncoder>(dir, o);
    },
    551,
    {"text_inputs_embeds", "text_embeddings_out", "text_layer0_out", "text_layer1_out", "text_last_hidden_state",
     "proj_unnormalized"}};

class TiledParity : public ::testing::TestWithParam<Family> {
 protected:
  void SetUp() override {
    torch::set_num_threads(1);
    auto& slot = encoders()[fixture()];
    if (!slot) slot = GetParam().make(dir(), {});
    encoder_ = slot.get();
  }
  static void TearDownTestSuite() { encoders().clear(); }
  static std::map<std::string, std::unique_ptr<TiledEncoder>>& encoders() {
    static std::map<std::string, std::unique_ptr<TiledEncoder>> loaded;
    return loaded;
  }
  const std::string& fixture() const { return GetParam().fixture; }
  std::filesystem::path dir() const { return fixture_dir(fixture()); }
  torch::Tensor ref(const std::string& file, const std::string& name) const {
    return models::testing::fixture_tensor(dir(), file, name);
  }
  vision::PageImage page(int i) const { return models::testing::fixture_page(dir(), i); }
  std::string query(int j) const { return models::testing::fixture_query(dir(), j); }

  TiledEncoder* encoder_ = nullptr;
};

torch::Tensor ids_tensor(const std::vector<std::int64_t>& ids) {
  return torch::tensor(ids, torch::kInt64);
}

TEST(ColIdefics3Parity, ReadsTheFixtureConfiguration) {
  const ColIdefics3Encoder encoder(fixture_dir("colidefics3"));
  const auto& c = encoder.config();
  EXPECT_EQ(c.image_seq_len, 4);
  EXPECT_EQ(c.preprocess.longest_edge, 96);
  EXPECT_EQ(c.preprocess.tile_size, 32);
  EXPECT_EQ(c.image_token_id, 473);
}

TEST_P(TiledParity, ReportsItsFamily) {
  EXPECT_EQ(encoder_->info().family, fixture());
  EXPECT_EQ(encoder_->info().dim, 128u);
  EXPECT_EQ(encoder_->info().fingerprint.size(), 16u);
  EXPECT_EQ(encoder_->info().dtype, "float32");
  EXPECT_GT(encoder_->info().parameters, 0u);
}

TEST(ColIdefics3Parity, ResizeRulesGiveTheObservedSizes) {
  EXPECT_EQ(longest_edge_size({850, 1100}, 96), (Size{74, 96}));
  EXPECT_EQ(tile_multiple_size({74, 96}, 32), (Size{96, 96}));
  EXPECT_EQ(longest_edge_size({847, 500}, 96), (Size{96, 56}));
  EXPECT_EQ(tile_multiple_size({96, 56}, 32), (Size{96, 64}));
  // models.md §2.3: A4 at 200 dpi (1700x2200) -> 1582x2048 -> 2048x2048 (4x4 tiles).
  EXPECT_EQ(longest_edge_size({1700, 2200}, 2048), (Size{1582, 2048}));
  EXPECT_EQ(tile_multiple_size({1582, 2048}, 512), (Size{2048, 2048}));
  EXPECT_EQ(longest_edge_size({16, 32}, 2048), (Size{1024, 2048}));
}

TEST_P(TiledParity, PixelValuesAndPageIdsMatchTheReference) {
  for (int i = 0; i < 2; ++i) {
    SCOPED_TRACE("page " + std::to_string(i));
    const PageInputs in = encoder_->prepare_page(page(i));
    const auto p = "pages." + std::to_string(i);
    const auto expected_pixels = ref("expected/singles.safetensors", p + ".pixel_values");
    ASSERT_EQ(in.image.tiles.sizes(), expected_pixels.sizes());
    EXPECT_LE(max_abs_diff(in.image.tiles, expected_pixels), 1e-5);
    EXPECT_EQ(max_abs_diff(in.image.tiles, expected_pixels), 0.0) << "expected bit-exact pixels";
    const auto expected_ids = ref("expected/singles.safetensors", p + ".input_ids");
    EXPECT_TRUE(torch::equal(ids_tensor(in.input_ids), expected_ids));
  }
}

TEST_P(TiledParity, QueryIdsMatchTheReference) {
  for (int j = 0; j < 2; ++j) {
    const auto want = ref("expected/singles.safetensors", "queries." + std::to_string(j) + ".input_ids");
    EXPECT_TRUE(torch::equal(ids_tensor(encoder_->query_ids(query(j))), want)) << "query " << j;
  }
}

TEST_P(TiledParity, EachPageAloneMatchesTheReferenceSingles) {
  const auto out = models::testing::expect_pages_alone_match(*encoder_, dir(), kEmbeddingTolerance);
  ASSERT_EQ(out.size(), 2u);
  for (int i = 0; i < 2; ++i) {
    const vision::PageImage image = page(i);
    EXPECT_EQ(encoder_->vectors_per_page(image.width, image.height), out[i].vectors.rows()) << "page " << i;
  }
}

TEST_P(TiledParity, EachQueryAloneMatchesTheReferenceSingles) {
  models::testing::expect_queries_alone_match(*encoder_, dir(), kEmbeddingTolerance);
}

TEST_P(TiledParity, ScoresMatchTheReferenceSingles) { models::testing::expect_scores_match(*encoder_, dir()); }

// The reference's batch of two pages and two queries, with its intermediates. Intermediates
// are compared only where attention_mask is 1 (MANIFEST: padded positions are unspecified).
TEST_P(TiledParity, PaddedBatchesMatchTheReferenceIntermediates) {
  const std::string out = "expected/outputs.safetensors";
  const auto mask = ref("inputs/image_inputs.safetensors", "attention_mask").to(torch::kBool);
  std::vector<PageInputs> pages{encoder_->prepare_page(page(0)), encoder_->prepare_page(page(1))};
  Trace trace;
  const auto got = encoder_->encode_page_batch(pages, &trace);
  EXPECT_TRUE(torch::equal(
      ids_tensor(pages[1].input_ids),
      ref("inputs/image_inputs.safetensors", "input_ids")[1].masked_select(mask[1])));
  for (const char* name : {"vision_embeddings", "vision_layer0_out", "vision_last_hidden_state", "connector_out"}) {
    EXPECT_LE(max_abs_diff(trace.tensors.at(name), ref(out, std::string("image.") + name)), 1e-4) << name;
  }
  auto real = [&](const torch::Tensor& t) { return t.index({mask}); };
  for (const std::string& name : GetParam().text_intermediates) {
    EXPECT_LE(max_abs_diff(real(trace.tensors.at(name)), real(ref(out, std::string("image.") + name))), 1e-4)
        << name;
  }
  const double page_diff = max_abs_diff(got, ref(out, "image_embeddings"));
  std::printf("page batch: max |diff| vs reference outputs %.3g\n", page_diff);
  EXPECT_LE(page_diff, kEmbeddingTolerance);

  const auto qmask = ref("inputs/query_inputs.safetensors", "attention_mask").to(torch::kBool);
  Trace qtrace;
  const auto qgot = encoder_->encode_id_batch({encoder_->query_ids(query(0)), encoder_->query_ids(query(1))},
                                              &qtrace);
  for (const std::string& name : GetParam().text_intermediates) {
    EXPECT_LE(max_abs_diff(qtrace.tensors.at(name).index({qmask}),
                           ref(out, "query." + name).index({qmask})),
              1e-4)
        << name;
  }
  const double query_diff = max_abs_diff(qgot, ref(out, "query_embeddings"));
  std::printf("query batch: max |diff| vs reference outputs %.3g\n", query_diff);
  EXPECT_LE(query_diff, kEmbeddingTolerance);
}

TEST_P(TiledParity, EmbeddingsDoNotDependOnTheBatch) {
  const std::vector<PageInputs> pages{encoder_->prepare_page(page(0)), encoder_->prepare_page(page(1))};
  const auto batch = encoder_->encode_page_batch(pages);  // page 1 is left-padded here
  for (int i = 0; i < 2; ++i) {
    const auto alone = encoder_->encode_page_batch({pages[i]})[0];
    const auto n = alone.size(0);
    EXPECT_LE(max_abs_diff(batch[i].narrow(0, batch.size(1) - n, n), alone), 1e-5) << "page " << i;
  }
  const std::vector<std::string> queries{query(0), query(1)};
  const auto together = encoder_->encode_queries(queries);
  for (int j = 0; j < 2; ++j) {
    const auto alone = encoder_->encode_queries({&queries[j], 1});
    EXPECT_LE(max_abs_diff(rows_of(together[j]), rows_of(alone[0])), 1e-5) << "query " << j;
  }
}

TEST_P(TiledParity, PatchGridPlacesTilesAndTheGlobalImage) {
  const vision::PageImage image = page(1);  // 2 x 3 tiles + global
  const PageInputs in = encoder_->prepare_page(image);
  ASSERT_EQ(in.image.rows, 2);
  ASSERT_EQ(in.image.cols, 3);
  const std::int64_t image_token = GetParam().image_token_id;
  const auto grid = page_patch_grid(in.input_ids, image_token, 2, 3, 4);
  EXPECT_EQ(encoder_->encode_pages({&image, 1}).at(0).grid.cells, grid.cells);
  ASSERT_EQ(grid.size(), in.input_ids.size());
  std::vector<core::NormRect> tile1, global;
  for (std::size_t k = 0; k < grid.size(); ++k) {
    if (in.input_ids[k] != image_token) {
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

TEST_P(TiledParity, Bf16StaysCloseToFloat32) {
  const auto bf16 = GetParam().make(dir(), EncoderOptions{.dtype = torch::kBFloat16});
  const std::string q = query(0);
  const auto a = rows_of(encoder_->encode_queries({&q, 1})[0]);
  const auto b = rows_of(bf16->encode_queries({&q, 1})[0]);
  ASSERT_EQ(a.sizes(), b.sizes());
  const auto cosine = (a * b).sum(1);
  EXPECT_GT(cosine.min().item<float>(), 0.98F);
  // Pages too: there the bf16 token table meets float32 image features.
  const vision::PageImage image = page(0);
  const auto pa = rows_of(encoder_->encode_pages({&image, 1})[0].vectors);
  const auto pb = rows_of(bf16->encode_pages({&image, 1})[0].vectors);
  ASSERT_EQ(pa.sizes(), pb.sizes());
  EXPECT_GT((pa * pb).sum(1).min().item<float>(), 0.98F);
  // One vector space: a library ingested in float32 is searchable with bf16 queries.
  EXPECT_EQ(encoder_->info().fingerprint, bf16->info().fingerprint);
  EXPECT_EQ(bf16->info().dtype, transformer::precision_name(torch::kBFloat16));
}

INSTANTIATE_TEST_SUITE_P(Fixtures, TiledParity, ::testing::Values(kColIdefics3, kColModernVBert),
                         [](const auto& info) { return info.param.fixture; });

}  // namespace
}  // namespace patchwise::models::idefics3
