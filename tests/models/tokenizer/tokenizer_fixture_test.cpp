// The tokenizer reproduces, id for id, what each fixture's reference processor fed its model:
// inputs/tokenizer_input_strings.json holds the exact strings, inputs/*_inputs.safetensors the
// (padded) input_ids with their attention_mask.
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "models/checkpoint/safetensors.h"
#include "models/tokenizer/tokenizer.h"

namespace patchwise::models {
namespace {

const std::filesystem::path kFixtures = PATCHWISE_FIXTURES_DIR;

std::vector<std::int64_t> read_i64(const SafetensorsFile& file, const std::string& name,
                                   std::vector<std::int64_t>& shape) {
  const auto* info = file.find(name);
  if (!info) throw std::runtime_error(file.path().string() + " lacks " + name);
  EXPECT_EQ(info->dtype, DType::I64);
  shape = info->shape;
  std::vector<std::int64_t> values(static_cast<std::size_t>(info->numel()));
  const auto bytes = file.bytes(*info);
  std::memcpy(values.data(), bytes.data(), bytes.size());
  return values;
}

// Rows of input_ids restricted to attention_mask == 1 (padding removed, either side).
std::vector<std::vector<std::int32_t>> unpadded_rows(const std::filesystem::path& file_path) {
  const auto file = SafetensorsFile::open(file_path);
  std::vector<std::int64_t> shape, mask_shape;
  const auto ids = read_i64(file, "input_ids", shape);
  const auto mask = read_i64(file, "attention_mask", mask_shape);
  EXPECT_EQ(shape, mask_shape);
  std::vector<std::vector<std::int32_t>> rows(static_cast<std::size_t>(shape[0]));
  for (std::int64_t r = 0; r < shape[0]; ++r) {
    for (std::int64_t c = 0; c < shape[1]; ++c) {
      const auto i = static_cast<std::size_t>(r * shape[1] + c);
      if (mask[i] == 1) rows[static_cast<std::size_t>(r)].push_back(static_cast<std::int32_t>(ids[i]));
    }
  }
  return rows;
}

struct FixtureCase {
  const char* name;
  bool add_special_tokens;  // what the reference processor's tokenizer call did
};

class TokenizerFixture : public ::testing::TestWithParam<FixtureCase> {};

TEST_P(TokenizerFixture, IdsEqualTheReferenceProcessorsInputIds) {
  const auto dir = kFixtures / GetParam().name;
  const auto tokenizer = Tokenizer::from_folder(dir);
  std::ifstream in(dir / "inputs" / "tokenizer_input_strings.json");
  const auto strings = nlohmann::json::parse(in);
  const std::pair<const char*, const char*> groups[] = {{"image_prompts", "image_inputs.safetensors"},
                                                        {"query_prompts", "query_inputs.safetensors"}};
  for (const auto& [key, file] : groups) {
    const auto expected = unpadded_rows(dir / "inputs" / file);
    ASSERT_EQ(strings.at(key).size(), expected.size()) << key;
    for (std::size_t i = 0; i < expected.size(); ++i) {
      const auto text = strings.at(key)[i].get<std::string>();
      EXPECT_EQ(tokenizer->encode(text, GetParam().add_special_tokens), expected[i]) << GetParam().name << " " << key << "[" << i << "]";
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, TokenizerFixture,
                         ::testing::Values(FixtureCase{"colidefics3", false}, FixtureCase{"colqwen2", false},
                                           FixtureCase{"colqwen2_5", false}, FixtureCase{"colpali", false},
                                           FixtureCase{"colmodernvbert", true}),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace patchwise::models
