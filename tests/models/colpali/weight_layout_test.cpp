// Every ColPali key layout loads to the same model: the fixture's weights rewritten under the
// transformers-native ("-hf", old and new) names and the transformers 4.5x in-memory names give
// the fixture's embeddings exactly. Malformed configurations name the file and field.
#include <gtest/gtest.h>

#include <regex>

#include "core/error.h"
#include "models/checkpoint/safetensors.h"
#include "models/checkpoint/safetensors_writer.h"
#include "models/colpali/colpali_encoder.h"
#include "models/colpali/paligemma_config.h"
#include "tests/models/fixture_files.h"
#include "tests/support/temp_dir.h"

namespace patchwise::models::colpali {
namespace {

namespace fs = std::filesystem;
using namespace models::testing;
using nlohmann::json;

const fs::path kFixture = fixture_dir("colpali");

json read(const std::string& name) {
  std::ifstream in(kFixture / name);
  return json::parse(in);
}

// A copy of the fixture whose tensor names went through `renames` (regex, replacement) and
// whose config.json is `config`.
void write_variant(const fs::path& dir, const std::vector<std::pair<std::string, std::string>>& renames,
                   const json& config) {
  fs::create_directories(dir);
  for (const char* f : {"tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "preprocessor_config.json"}) {
    fs::copy_file(kFixture / f, dir / f);
  }
  std::ofstream(dir / "config.json") << config.dump(2);
  const auto st = SafetensorsFile::open(kFixture / "model.safetensors");
  SafetensorsWriter out;
  for (const auto& info : st.tensors()) {
    std::string name = info.name;
    for (const auto& [pattern, replacement] : renames) name = std::regex_replace(name, std::regex(pattern), replacement);
    out.add(name, st.to_tensor(info));
  }
  out.write(dir / "model.safetensors");
}

json native_config() { return {{"model_type", "colpali"}, {"vlm_config", read("config.json")}, {"embedding_dim", 128}}; }

class ColPaliWeightLayouts : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    torch::set_num_threads(1);
    ColPaliEncoder reference(kFixture);
    const std::string q = fixture_query(kFixture, 0);
    const vision::PageImage p = fixture_page(kFixture, 0);
    query_ = new torch::Tensor(rows_of(reference.encode_queries({&q, 1})[0]));
    page_ = new torch::Tensor(rows_of(reference.encode_pages({&p, 1})[0].vectors));
  }
  static void TearDownTestSuite() {
    delete query_;
    delete page_;
  }
  static void expect_same_embeddings(const fs::path& dir) {
    ColPaliEncoder encoder(dir);
    const std::string q = fixture_query(kFixture, 0);
    const vision::PageImage p = fixture_page(kFixture, 0);
    EXPECT_EQ(max_abs_diff(rows_of(encoder.encode_queries({&q, 1})[0]), *query_), 0.0);
    EXPECT_EQ(max_abs_diff(rows_of(encoder.encode_pages({&p, 1})[0].vectors), *page_), 0.0);
  }
  static torch::Tensor* query_;
  static torch::Tensor* page_;
};
torch::Tensor* ColPaliWeightLayouts::query_ = nullptr;
torch::Tensor* ColPaliWeightLayouts::page_ = nullptr;

TEST_F(ColPaliWeightLayouts, TransformersNativeHfNamesLoad) {
  test::TempDir tmp;
  write_variant(tmp.path(),
                {{"^model\\.language_model\\.model\\.", "vlm.model.language_model."},
                 {"^model\\.(vision_tower|multi_modal_projector)\\.", "vlm.model.$1."},
                 {"^custom_text_proj\\.", "embedding_proj_layer."}},
                native_config());
  ColPaliEncoder encoder(tmp.path());
  EXPECT_EQ(encoder.config().layout, WeightLayout::transformers_native);
  expect_same_embeddings(tmp.path());
}

TEST_F(ColPaliWeightLayouts, OlderHfNamesLoad) {
  test::TempDir tmp;
  write_variant(tmp.path(),
                {{"^model\\.", "vlm."}, {"^custom_text_proj\\.", "embedding_proj_layer."}}, native_config());
  expect_same_embeddings(tmp.path());
}

TEST_F(ColPaliWeightLayouts, TransformersInMemoryNamesLoad) {
  test::TempDir tmp;
  write_variant(tmp.path(),
                {{"^model\\.language_model\\.model\\.", "model.model.language_model."},
                 {"^model\\.(vision_tower|multi_modal_projector)\\.", "model.model.$1."}},
                read("config.json"));
  expect_same_embeddings(tmp.path());
}

TEST_F(ColPaliWeightLayouts, AMissingTensorIsNamed) {
  test::TempDir tmp;
  write_variant(tmp.path(), {{"^model\\.language_model\\.model\\.norm\\.", "unused."}}, read("config.json"));
  try {
    ColPaliEncoder encoder(tmp.path());
    FAIL() << "loaded without the final norm";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("model.language_model.model.norm.weight"), std::string::npos) << e.what();
  }
}

TEST_F(ColPaliWeightLayouts, PromptsComeFromPatchwisePromptsJson) {
  test::TempDir tmp;
  write_variant(tmp.path(), {}, read("config.json"));
  std::ofstream(tmp / "patchwise_prompts.json") << R"({"bos_after_image": false, "query_prefix": "<bos>Question: "})";
  ColPaliEncoder custom(tmp.path());
  ColPaliEncoder standard(kFixture);
  const auto ids = custom.prepare_page(fixture_page(kFixture, 0)).input_ids;
  ASSERT_EQ(ids.size(), 51u);  // one <bos> fewer than the fixture's 52
  EXPECT_EQ(ids[35], 512);
  EXPECT_EQ(ids[36], 2);
  EXPECT_NE(ids[37], 2);
  const std::string q = "x";
  EXPECT_NE(custom.query_ids(q), standard.query_ids(q));
  EXPECT_NE(custom.info().fingerprint, standard.info().fingerprint);
}

std::string error_of(const json& config, const json& pre = read("preprocessor_config.json")) {
  try {
    parse_config(config, pre, "ckpt");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(ColPaliConfig, NamesTheMissingOrBadField) {
  json c = read("config.json");
  c.erase("text_config");
  EXPECT_NE(error_of(c).find("ckpt/config.json: missing \"text_config\""), std::string::npos) << error_of(c);

  c = read("config.json");
  c["text_config"]["hidden_activation"] = "silu";
  EXPECT_NE(error_of(c).find("hidden_activation"), std::string::npos) << error_of(c);

  c = read("config.json");  // vocab_size only at the top level, as in some PaliGemma configs
  c["vocab_size"] = c["text_config"]["vocab_size"];
  c["text_config"].erase("vocab_size");
  EXPECT_EQ(parse_config(c, read("preprocessor_config.json"), "ckpt").text.vocab, 520);

  json pre = read("preprocessor_config.json");
  pre["image_seq_length"] = 35;
  EXPECT_NE(error_of(read("config.json"), pre).find("image_seq_length 35"), std::string::npos);

  pre = read("preprocessor_config.json");
  pre["size"] = {{"height", 48}, {"width", 64}};
  EXPECT_NE(error_of(read("config.json"), pre).find("differs from the vision tower"), std::string::npos);

  json native = native_config();
  native["vlm_config"].erase("vision_config");
  EXPECT_NE(error_of(native).find("vlm_config: missing \"vision_config\""), std::string::npos) << error_of(native);
}

}  // namespace
}  // namespace patchwise::models::colpali
