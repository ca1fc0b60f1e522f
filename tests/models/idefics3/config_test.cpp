// Malformed or unsupported ColIdefics3 configurations give errors that name the file and field.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "core/error.h"
#include "fixture.h"
#include "models/idefics3/colidefics3_encoder.h"
#include "models/idefics3/idefics3_config.h"
#include "models/registry.h"

namespace patchwise::models::idefics3 {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

json read(const std::string& name) {
  std::ifstream in(testing::fixture_dir() / name);
  return json::parse(in);
}

std::string error_of(const json& config, const json& pre = read("preprocessor_config.json"),
                     const json& proc = read("processor_config.json")) {
  try {
    parse_config(config, pre, proc, "ckpt");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(ColIdefics3Config, ParsesTheFixture) {
  const Config c = parse_config(read("config.json"), read("preprocessor_config.json"), read("processor_config.json"), "x");
  EXPECT_EQ(c.vision.hidden, 32);
  EXPECT_EQ(c.text.kv_heads, 2);
  EXPECT_EQ(c.connector_in(), 128);
  EXPECT_EQ(c.preprocess.filter, vision::ResampleFilter::lanczos);
}

TEST(ColIdefics3Config, NamesTheMissingOrBadField) {
  json c = read("config.json");
  c.erase("vision_config");
  EXPECT_NE(error_of(c).find("ckpt/config.json: missing \"vision_config\""), std::string::npos) << error_of(c);

  c = read("config.json");
  c["text_config"]["num_key_value_heads"] = 3;
  EXPECT_NE(error_of(c).find("num_key_value_heads"), std::string::npos) << error_of(c);

  c = read("config.json");
  c["scale_factor"] = "two";
  EXPECT_NE(error_of(c).find("\"scale_factor\" must be a positive integer"), std::string::npos) << error_of(c);

  c = read("config.json");
  c["scale_factor"] = 3;
  EXPECT_NE(error_of(c).find("does not divide"), std::string::npos) << error_of(c);

  c = read("config.json");
  c["vision_config"]["hidden_act"] = "relu";
  EXPECT_NE(error_of(c).find("gelu_pytorch_tanh"), std::string::npos) << error_of(c);

  json proc = read("processor_config.json");
  proc["image_seq_len"] = 64;
  EXPECT_NE(error_of(read("config.json"), read("preprocessor_config.json"), proc).find("image_seq_len 64"),
            std::string::npos);

  json pre = read("preprocessor_config.json");
  pre["resample"] = 4;  // BOX: not implemented
  EXPECT_NE(error_of(read("config.json"), pre).find("resample filter 4"), std::string::npos);
}

TEST(ColIdefics3Config, BrokenFolderFailsWithAClearError) {
  const fs::path dir = fs::temp_directory_path() / ("pw_idefics3_bad_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  for (const auto& entry : fs::directory_iterator(testing::fixture_dir())) {
    if (entry.is_regular_file()) fs::copy_file(entry.path(), dir / entry.path().filename());
  }
  std::ofstream(dir / "config.json", std::ios::trunc) << "{ \"model_type\": \"idefics3\", ";
  try {
    ColIdefics3Encoder encoder(dir);
    ADD_FAILURE() << "a truncated config.json was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("config.json"), std::string::npos) << e.what();
  }
  json c = read("config.json");
  c["text_config"]["hidden_size"] = 48;  // weights are 64 wide
  c["text_config"]["head_dim"] = 12;
  std::ofstream(dir / "config.json", std::ios::trunc) << c.dump();
  try {
    ColIdefics3Encoder encoder(dir);
    ADD_FAILURE() << "mis-shaped weights were accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("model.connector.modality_projection.proj.weight"), std::string::npos)
        << e.what();
  }
  fs::remove_all(dir);
}

TEST(ColIdefics3Config, RegistryPicksThisEncoderFromModelType) {
  const auto encoder = load_encoder(testing::fixture_dir().string());
  EXPECT_EQ(encoder->info().family, "colidefics3");
  EXPECT_EQ(encoder->info().name, "colidefics3");
}

}  // namespace
}  // namespace patchwise::models::idefics3
