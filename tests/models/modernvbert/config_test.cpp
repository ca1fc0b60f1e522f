// ColModernVBERT configuration: the fixture's config.json with its backbone folders, the
// built-in presets for the released checkpoint's backbone names, and errors that name the
// file and field.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/error.h"
#include "models/checkpoint/checkpoint.h"
#include "models/modernvbert/modernvbert_config.h"
#include "models/registry.h"
#include "tests/support/temp_dir.h"

namespace patchwise::models::modernvbert {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path kFixture = fs::path(PATCHWISE_FIXTURES_DIR) / "colmodernvbert";

json read(const std::string& name) { return read_json_file(kFixture / name); }

// Runs `fn` with an empty Hugging Face cache, so presets are what a bare machine sees.
template <typename Fn>
void with_empty_hf_cache(Fn&& fn) {
  test::TempDir cache;
  ::setenv("HF_HUB_CACHE", cache.path().c_str(), 1);
  fn();
  ::unsetenv("HF_HUB_CACHE");
}

std::string error_of(const json& config) {
  try {
    parse_config(config, resolve_backbone(kFixture, "vision_backbone"), resolve_backbone(kFixture, "text_backbone"),
                 read("preprocessor_config.json"), read("processor_config.json"), "ckpt");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(ColModernVBertConfig, ReadsTheFixtureAndItsBackboneFolders) {
  const Config c = load_config(kFixture);
  EXPECT_EQ(c.vision.hidden, 32);
  EXPECT_EQ(c.vision.layers, 2);
  EXPECT_EQ(c.vision.heads, 4);
  EXPECT_EQ(c.vision.patch, 8);
  EXPECT_EQ(c.text.hidden, 64);
  EXPECT_EQ(c.text.layers, 4);
  EXPECT_EQ(c.text.heads, 4);
  EXPECT_EQ(c.text.intermediate, 96);
  EXPECT_EQ(c.text.vocab, 512);
  EXPECT_EQ(c.text.additional_vocab, 40);
  EXPECT_EQ(c.text.local_attention, 16);
  EXPECT_DOUBLE_EQ(c.text.global_rope_theta, 160000.0);
  EXPECT_DOUBLE_EQ(c.text.local_rope_theta, 10000.0);
  EXPECT_EQ(c.text.pad_id, 484);
  EXPECT_TRUE(c.text.is_global(0));
  EXPECT_FALSE(c.text.is_global(1));
  EXPECT_FALSE(c.text.is_global(2));
  EXPECT_TRUE(c.text.is_global(3));
  EXPECT_EQ(c.scale_factor, 2);
  EXPECT_EQ(c.image_token_id, 551);
  EXPECT_EQ(c.image_seq_len, 4);
  EXPECT_EQ(c.preprocess.longest_edge, 96);
  EXPECT_EQ(c.preprocess.tile_size, 32);
  EXPECT_EQ(c.prompts.query_prefix, "");
  EXPECT_NE(c.text_source.find("text_backbone"), std::string::npos);
}

TEST(ColModernVBertConfig, ReleasedBackboneNamesFallBackToPresets) {
  with_empty_hf_cache([] {
    const Backbone text = resolve_backbone(kFixture, "jhu-clsp/ettin-encoder-150m");
    const Backbone vision = resolve_backbone(kFixture, "google/siglip2-base-patch16-512");
    EXPECT_NE(text.source.find("preset"), std::string::npos);
    json config = read("config.json");
    config["text_config"] = {{"hidden_size", 768}, {"num_hidden_layers", 22}, {"intermediate_size", 1152},
                             {"mlp_bias", false}, {"vocab_size", 50368}, {"num_attention_heads", 12}};
    config["vision_config"] = {{"embed_dim", 768}, {"image_size", 512}, {"patch_size", 16},
                               {"num_hidden_layers", 12}, {"intermediate_size", 3072}};
    config["hidden_size"] = 768;
    config["pixel_shuffle_factor"] = config["scale_factor"] = 4;
    config["image_token_id"] = 50407;
    const json preprocessor = {{"size", {{"longest_edge", 2048}}}, {"max_image_size", {{"longest_edge", 512}}}};
    const Config c = parse_config(config, vision, text, preprocessor, json::object(), "real");
    EXPECT_EQ(c.text.layers, 22);
    EXPECT_EQ(c.text.local_attention, 128);
    EXPECT_EQ(c.vision.patches_per_side(), 32);
    EXPECT_EQ(c.image_seq_len, 64);
    EXPECT_EQ(c.text.vocab + c.text.additional_vocab, 50408);
  });
}

TEST(ColModernVBertConfig, UnknownBackboneSaysWhereItLooked) {
  with_empty_hf_cache([] {
    try {
      resolve_backbone(kFixture, "someone/unknown-encoder");
      FAIL() << "expected an error";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("someone/unknown-encoder"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("nothing is downloaded"), std::string::npos) << e.what();
    }
  });
}

TEST(ColModernVBertConfig, RepeatedSizesMustAgreeWithTheBackbone) {
  json c = read("config.json");
  c["text_config"]["hidden_size"] = 65;
  EXPECT_NE(error_of(c).find("\"hidden_size\" is 65"), std::string::npos) << error_of(c);

  c = read("config.json");
  c["vision_config"]["patch_size"] = 4;
  EXPECT_NE(error_of(c).find("vision_config: \"patch_size\" is 4"), std::string::npos) << error_of(c);

  c = read("config.json");
  c["text_config"]["mlp_bias"] = true;
  EXPECT_NE(error_of(c).find("mlp_bias"), std::string::npos) << error_of(c);

  c = read("config.json");
  c["pixel_shuffle_factor"] = c["scale_factor"] = 3;
  EXPECT_NE(error_of(c).find("does not divide"), std::string::npos) << error_of(c);

  c = read("config.json");
  c["image_token_id"] = 600;
  EXPECT_NE(error_of(c).find("past the 552 embedding rows"), std::string::npos) << error_of(c);

  EXPECT_EQ(error_of(read("config.json")), "");
}

TEST(ColModernVBertRegistry, TheFixtureLoadsAsColModernVBert) {
  const auto encoder = load_encoder(kFixture.string());
  EXPECT_EQ(encoder->info().family, "colmodernvbert");
  EXPECT_EQ(encoder->info().name, "colmodernvbert");
  EXPECT_EQ(encoder->info().dim, 128u);
}

}  // namespace
}  // namespace patchwise::models::modernvbert
