// Checkpoint folders: single file, shards, config.json, LoRA adapters merged with the
// documented scaling, modules_to_save, Hugging Face cache lookup, errors that name the
// tensor and shape, and a fingerprint that follows the bytes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "core/error.h"
#include "models/checkpoint/checkpoint.h"
#include "models/checkpoint/safetensors_writer.h"
#include "scratch_dir.h"

namespace patchwise::models {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using testing::ScratchDir;
using testing::write_json;
using testing::write_text;

const nlohmann::json kConfig = {{"model_type", "toy"}, {"hidden_size", 4}};

struct ToyWeights {
  torch::Tensor q = torch::randn({4, 3});
  torch::Tensor v = torch::randn({4, 3});
  torch::Tensor head = torch::randn({2, 4});
  torch::Tensor head_bias = torch::randn({2});
};

void write_base(const std::filesystem::path& dir, const ToyWeights& w) {
  write_json(dir / "config.json", kConfig);
  SafetensorsWriter writer;
  writer.add("model.layers.0.q_proj.weight", w.q);
  writer.add("model.layers.0.v_proj.weight", w.v.to(torch::kBFloat16));
  writer.add("custom_text_proj.weight", w.head);
  writer.add("custom_text_proj.bias", w.head_bias);
  writer.write(dir / "model.safetensors");
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(Checkpoint, SingleFileFolder) {
  ScratchDir dir;
  torch::manual_seed(1);
  ToyWeights w;
  write_base(dir.path(), w);
  const auto ckpt = Checkpoint::open(dir.path());
  EXPECT_EQ(ckpt.config().at("model_type"), "toy");
  EXPECT_FALSE(ckpt.is_adapter());
  EXPECT_TRUE(ckpt.has("custom_text_proj.bias"));
  EXPECT_FALSE(ckpt.has("lm_head.weight"));
  EXPECT_EQ(ckpt.names().size(), 4u);
  EXPECT_TRUE(torch::equal(ckpt.get("model.layers.0.q_proj.weight", {4, 3}), w.q));
  const auto v = ckpt.get("model.layers.0.v_proj.weight", {4, 3}, torch::kBFloat16);
  EXPECT_EQ(v.scalar_type(), torch::kBFloat16);
  EXPECT_TRUE(torch::equal(v, w.v.to(torch::kBFloat16)));
  EXPECT_EQ(ckpt.shape("custom_text_proj.weight"), (std::vector<std::int64_t>{2, 4}));
}

TEST(Checkpoint, MissingAndMisshapedTensorsAreNamed) {
  ScratchDir dir;
  write_base(dir.path(), ToyWeights{});
  const auto ckpt = Checkpoint::open(dir.path());
  EXPECT_THAT(error_of([&] { ckpt.get("model.layers.0.k_proj.weight", {4, 3}); }),
              AllOf(HasSubstr("no tensor 'model.layers.0.k_proj.weight'"), HasSubstr("expected shape [4, 3]")));
  EXPECT_THAT(error_of([&] { ckpt.get("model.layers.0.q_proj.weight", {3, 4}); }),
              AllOf(HasSubstr("'model.layers.0.q_proj.weight' has shape [4, 3], expected [3, 4]")));
  // A key layout from another class: the error shows a near name.
  EXPECT_THAT(error_of([&] { ckpt.get("language_model.layers.0.q_proj.weight"); }),
              HasSubstr("it has e.g. 'model.layers.0.q_proj.weight'"));
}

TEST(Checkpoint, KeyRenamesApplyToEveryKey) {
  ScratchDir dir;
  write_base(dir.path(), ToyWeights{});
  LoadOptions options;
  options.key_renames = {{"^model\\.", "text_model."}, {"^custom_text_proj\\.", "linear."}};
  const auto ckpt = Checkpoint::open(dir.path(), options);
  EXPECT_TRUE(ckpt.has("text_model.layers.0.q_proj.weight"));
  EXPECT_TRUE(ckpt.has("linear.bias"));
  EXPECT_FALSE(ckpt.has("model.layers.0.q_proj.weight"));
  options.key_renames = {{"_proj", ""}, {"^model\\.layers\\.0\\.[qv]", "same"}};
  EXPECT_THAT(error_of([&] { Checkpoint::open(dir.path(), options); }), HasSubstr("already provides"));
}

TEST(Checkpoint, ShardedFolderViaIndex) {
  ScratchDir dir;
  torch::manual_seed(2);
  const auto a = torch::randn({3});
  const auto b = torch::randn({2, 2});
  SafetensorsWriter s1, s2;
  s1.add("a", a);
  s2.add("b", b);
  s1.write(dir / "model-00001-of-00002.safetensors");
  s2.write(dir / "model-00002-of-00002.safetensors");
  write_json(dir / "config.json", kConfig);
  write_json(dir / "model.safetensors.index.json",
             {{"metadata", {{"total_size", 28}}},
              {"weight_map", {{"a", "model-00001-of-00002.safetensors"}, {"b", "model-00002-of-00002.safetensors"}}}});
  const auto ckpt = Checkpoint::open(dir.path());
  EXPECT_TRUE(torch::equal(ckpt.get("a"), a));
  EXPECT_TRUE(torch::equal(ckpt.get("b", {2, 2}), b));

  write_json(dir / "model.safetensors.index.json", {{"weight_map", {{"a", "model-00002-of-00002.safetensors"}}}});
  EXPECT_THAT(error_of([&] { Checkpoint::open(dir.path()); }), HasSubstr("has no such tensor"));
  write_json(dir / "model.safetensors.index.json", {{"weight_map", {{"a", "../elsewhere.safetensors"}}}});
  EXPECT_THAT(error_of([&] { Checkpoint::open(dir.path()); }), HasSubstr("not a file name"));
  write_json(dir / "model.safetensors.index.json", {{"weight_map", {{"a", "missing.safetensors"}}}});
  EXPECT_THAT(error_of([&] { Checkpoint::open(dir.path()); }), HasSubstr("missing.safetensors"));
}

TEST(CheckpointMalformed, ConfigJsonErrorsNameTheFile) {
  ScratchDir dir;
  write_base(dir.path(), ToyWeights{});
  write_text(dir / "config.json", "{\"model_type\": \"toy\",");
  EXPECT_THAT(error_of([&] { Checkpoint::open(dir.path()); }), AllOf(HasSubstr("config.json"), HasSubstr("not valid JSON")));
  write_text(dir / "config.json", "[1]");
  EXPECT_THAT(error_of([&] { Checkpoint::open(dir.path()); }), HasSubstr("config.json is not a JSON object"));
  std::filesystem::remove(dir / "config.json");
  EXPECT_THAT(error_of([&] { Checkpoint::open(dir.path()); }), HasSubstr("has no config.json"));
  EXPECT_THAT(error_of([&] { Checkpoint::open(dir / "absent"); }), HasSubstr("does not exist"));
  write_json(dir / "config.json", kConfig);
  std::filesystem::remove(dir / "model.safetensors");
  EXPECT_THAT(error_of([&] { Checkpoint::open(dir.path()); }), HasSubstr("neither model.safetensors"));
}

// Writes a PEFT adapter for the toy base: LoRA on q_proj and v_proj, modules_to_save head.
struct ToyAdapter {
  torch::Tensor qa = torch::randn({2, 3}), qb = torch::randn({4, 2});
  torch::Tensor va = torch::randn({2, 3}), vb = torch::randn({4, 2});
  torch::Tensor head = torch::randn({2, 4});
  void write(const std::filesystem::path& dir, nlohmann::json config) const {
    write_json(dir / "adapter_config.json", config);
    SafetensorsWriter writer;
    writer.add("base_model.model.model.layers.0.q_proj.lora_A.weight", qa);
    writer.add("base_model.model.model.layers.0.q_proj.lora_B.weight", qb);
    writer.add("base_model.model.model.layers.0.v_proj.lora_A.weight", va);
    writer.add("base_model.model.model.layers.0.v_proj.lora_B.weight", vb);
    writer.add("base_model.model.custom_text_proj.weight", head);
    writer.write(dir / "adapter_model.safetensors");
  }
};

nlohmann::json adapter_config(const std::string& base) {
  return {{"peft_type", "LORA"},
          {"base_model_name_or_path", base},
          {"r", 2},
          {"lora_alpha", 8},
          {"target_modules", "(.*(model).*(q_proj|v_proj).*$|.*(custom_text_proj).*$)"},
          {"modules_to_save", {"custom_text_proj"}},
          {"use_rslora", false},
          {"use_dora", false}};
}

TEST(CheckpointLora, MergesWithAlphaOverRAndHonoursModulesToSave) {
  ScratchDir base, adapter;
  torch::manual_seed(3);
  ToyWeights w;
  write_base(base.path(), w);
  ToyAdapter lora;
  lora.write(adapter.path(), adapter_config(base.path().string()));

  const auto ckpt = Checkpoint::open(adapter.path());
  EXPECT_TRUE(ckpt.is_adapter());
  EXPECT_EQ(ckpt.config().at("model_type"), "toy");  // the base model's config
  const double s = 8.0 / 2.0;
  EXPECT_TRUE(torch::allclose(ckpt.get("model.layers.0.q_proj.weight"), w.q + s * torch::mm(lora.qb, lora.qa)));
  // Merged in f32 from the bf16 base, then cast.
  const auto v = ckpt.get("model.layers.0.v_proj.weight", {4, 3}, torch::kBFloat16);
  const auto expected_v = (w.v.to(torch::kBFloat16).to(torch::kFloat32) + s * torch::mm(lora.vb, lora.va)).to(torch::kBFloat16);
  EXPECT_TRUE(torch::allclose(v.to(torch::kFloat32), expected_v.to(torch::kFloat32), 1e-2, 1e-2));
  EXPECT_TRUE(torch::equal(ckpt.get("custom_text_proj.weight"), lora.head));     // replaced
  EXPECT_TRUE(torch::equal(ckpt.get("custom_text_proj.bias"), w.head_bias));     // kept from base
  const auto factors = ckpt.lora("model.layers.0.q_proj.weight");
  ASSERT_TRUE(factors.has_value());
  EXPECT_DOUBLE_EQ(factors->scale, s);
  EXPECT_FALSE(ckpt.lora("custom_text_proj.weight").has_value());

  LoadOptions unmerged;
  unmerged.merge_lora = false;
  const auto raw = Checkpoint::open(adapter.path(), unmerged);
  EXPECT_TRUE(torch::equal(raw.get("model.layers.0.q_proj.weight"), w.q));
  EXPECT_NE(ckpt.fingerprint(), Checkpoint::open(base.path()).fingerprint());
}

TEST(CheckpointLora, RsLoraScalesByAlphaOverSqrtR) {
  ScratchDir base, adapter;
  torch::manual_seed(4);
  ToyWeights w;
  write_base(base.path(), w);
  ToyAdapter lora;
  auto config = adapter_config(base.path().string());
  config["use_rslora"] = true;
  lora.write(adapter.path(), config);
  const auto ckpt = Checkpoint::open(adapter.path());
  const double s = 8.0 / std::sqrt(2.0);
  EXPECT_TRUE(torch::allclose(ckpt.get("model.layers.0.q_proj.weight"), w.q + s * torch::mm(lora.qb, lora.qa)));
}

TEST(CheckpointLora, BaseFoundInTheHuggingFaceCache) {
  ScratchDir cache, adapter;
  const auto snapshot = cache / "models--org--toy-base" / "snapshots" / "abc123";
  std::filesystem::create_directories(snapshot);
  write_text(cache / "models--org--toy-base" / "refs" / "main", "abc123");
  write_base(snapshot, ToyWeights{});
  ToyAdapter{}.write(adapter.path(), adapter_config("org/toy-base"));
  LoadOptions options;
  options.hf_cache_dir = cache.path();
  EXPECT_TRUE(Checkpoint::open(adapter.path(), options).is_adapter());
  EXPECT_EQ(find_in_hf_cache("org/toy-base", cache.path()), snapshot);
  EXPECT_FALSE(find_in_hf_cache("org/other", cache.path()).has_value());
  EXPECT_FALSE(find_in_hf_cache("../../etc", cache.path()).has_value());
  options.hf_cache_dir = cache / "empty";
  EXPECT_THAT(error_of([&] { Checkpoint::open(adapter.path(), options); }),
              AllOf(HasSubstr("org/toy-base"), HasSubstr("Hugging Face cache")));
}

TEST(CheckpointLora, RejectsUnsupportedAndInconsistentAdapters) {
  ScratchDir base, adapter;
  write_base(base.path(), ToyWeights{});
  ToyAdapter lora;
  auto config = adapter_config(base.path().string());
  config["use_dora"] = true;
  lora.write(adapter.path(), config);
  EXPECT_THAT(error_of([&] { Checkpoint::open(adapter.path()); }), HasSubstr("DoRA"));

  config = adapter_config(base.path().string());
  config["target_modules"] = nlohmann::json::array({"k_proj"});
  lora.write(adapter.path(), config);
  EXPECT_THAT(error_of([&] { Checkpoint::open(adapter.path()); }), HasSubstr("target_modules"));

  config = adapter_config(base.path().string());
  config["r"] = 4;  // the factors have rank 2
  lora.write(adapter.path(), config);
  EXPECT_THAT(error_of([&] { Checkpoint::open(adapter.path()); }), HasSubstr("rank 4"));

  ToyAdapter wrong_shape;
  wrong_shape.qb = torch::randn({5, 2});
  wrong_shape.write(adapter.path(), adapter_config(base.path().string()));
  EXPECT_THAT(error_of([&] { Checkpoint::open(adapter.path()); }),
              AllOf(HasSubstr("model.layers.0.q_proj.weight"), HasSubstr("do not fit the base weight [4, 3]")));

  write_json(adapter / "adapter_config.json", {{"r", 2}});
  EXPECT_THAT(error_of([&] { Checkpoint::open(adapter.path()); }), HasSubstr("base_model_name_or_path"));
}

TEST(CheckpointFingerprint, StableAndSensitiveToBytesAndConfig) {
  ScratchDir a, b;
  torch::manual_seed(5);
  ToyWeights w;
  write_base(a.path(), w);
  write_base(b.path(), w);
  const auto fa = Checkpoint::open(a.path()).fingerprint();
  EXPECT_EQ(fa.size(), 32u);
  EXPECT_EQ(fa, Checkpoint::open(a.path()).fingerprint());
  EXPECT_EQ(fa, Checkpoint::open(b.path()).fingerprint());  // same bytes elsewhere
  ToyWeights changed = w;
  changed.q = w.q.clone();
  changed.q[0][0] += 1e-3;
  write_base(b.path(), changed);
  EXPECT_NE(fa, Checkpoint::open(b.path()).fingerprint());
  write_base(b.path(), w);
  write_json(b / "config.json", {{"model_type", "toy"}, {"hidden_size", 5}});
  EXPECT_NE(fa, Checkpoint::open(b.path()).fingerprint());
}

TEST(Checkpoint, OpensTheIdefics3Fixture) {
  const auto ckpt = Checkpoint::open(std::filesystem::path(PATCHWISE_FIXTURES_DIR) / "colidefics3");
  EXPECT_FALSE(ckpt.names().empty());
  EXPECT_TRUE(ckpt.config().contains("text_config") || ckpt.config().contains("model_type"));
  EXPECT_EQ(ckpt.fingerprint(), Checkpoint::open(std::filesystem::path(PATCHWISE_FIXTURES_DIR) / "colidefics3").fingerprint());
}

}  // namespace
}  // namespace patchwise::models
