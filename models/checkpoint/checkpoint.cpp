#include "models/checkpoint/checkpoint.h"

#include <algorithm>
#include <mutex>

#include "core/error.h"
#include "models/checkpoint/content_hash.h"
#include "models/checkpoint/lora_adapter.h"
#include "models/checkpoint/weight_files.h"

namespace patchwise::models {
namespace fs = std::filesystem;
using detail::TensorSource;

namespace {

// "a.b.c.d" -> ".c.d" for n = 2 (the whole name when shorter).
std::string last_components(std::string_view name, int n) {
  auto pos = name.size();
  for (int i = 0; i < n; ++i) {
    if (pos == 0) return std::string(name);
    pos = name.rfind('.', pos - 1);
    if (pos == std::string_view::npos) return std::string(name);
  }
  return std::string(name.substr(pos));
}

}  // namespace

struct Checkpoint::State {
  fs::path dir;
  fs::path base_dir;  // == dir unless this is an adapter
  nlohmann::json config;
  std::optional<nlohmann::json> adapter_config;
  detail::WeightFiles base;
  std::optional<detail::LoraAdapter> adapter;
  bool merge_lora = true;
  mutable std::once_flag fingerprint_once;
  mutable std::string fingerprint;

  // The tensor get() reads before any LoRA update: a modules_to_save replacement or the base.
  const TensorSource* source(std::string_view name) const {
    if (adapter) {
      if (const auto it = adapter->replacements.find(name); it != adapter->replacements.end()) return &it->second;
    }
    const auto it = base.tensors.find(name);
    return it == base.tensors.end() ? nullptr : &it->second;
  }

  const detail::LoraUpdate* update(std::string_view name) const {
    if (!adapter) return nullptr;
    const auto it = adapter->updates.find(name);
    return it == adapter->updates.end() ? nullptr : &it->second;
  }

  [[noreturn]] void missing(std::string_view name, const std::vector<std::int64_t>& expected) const {
    std::string message = "checkpoint " + dir.string() + " has no tensor '" + std::string(name) + "'";
    if (!expected.empty()) message += " (expected shape " + detail::shape_text(expected) + ")";
    // The most common cause is a key layout from another class; show a near name if any.
    const auto leaf = last_components(name, 2);
    for (const auto& [key, _] : base.tensors) {
      if (key.ends_with(leaf)) {
        message += "; it has e.g. '" + key + "'";
        break;
      }
    }
    throw Error(message);
  }
};

namespace {

torch::Tensor read(const TensorSource& source, torch::ScalarType dtype) {
  return source.file->to_tensor(*source.info, dtype);
}

nlohmann::json read_config(const fs::path& dir) {
  const auto file = dir / "config.json";
  if (!fs::exists(file)) throw Error(dir.string() + " has no config.json");
  auto config = read_json_file(file);
  if (!config.is_object()) throw Error(file.string() + " is not a JSON object");
  return config;
}

void hash_tensor(ContentHash& hash, std::string_view name, const TensorSource& source) {
  hash.update(name);
  hash.update(dtype_name(source.info->dtype));
  hash.update_u64(source.info->shape.size());
  for (const auto d : source.info->shape) hash.update_u64(static_cast<std::uint64_t>(d));
  hash.update(source.file->bytes(*source.info));
  source.file->drop_pages(*source.info);
}

}  // namespace

Checkpoint::Checkpoint(std::unique_ptr<State> state) : state_(std::move(state)) {}
Checkpoint::Checkpoint(Checkpoint&&) noexcept = default;
Checkpoint& Checkpoint::operator=(Checkpoint&&) noexcept = default;
Checkpoint::~Checkpoint() = default;

Checkpoint Checkpoint::open(const fs::path& dir, const LoadOptions& options) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw Error("checkpoint folder " + dir.string() + " does not exist");
  auto state = std::make_unique<State>();
  state->dir = dir;
  state->merge_lora = options.merge_lora;
  const detail::KeyRenamer rename(options.key_renames);

  const auto adapter_file = dir / "adapter_config.json";
  const bool is_adapter = fs::exists(adapter_file) && !fs::exists(dir / "model.safetensors") &&
                          !fs::exists(dir / "model.safetensors.index.json");
  if (is_adapter) {
    auto adapter_config = read_json_file(adapter_file);
    if (!adapter_config.is_object()) throw Error(adapter_file.string() + " is not a JSON object");
    state->base_dir = detail::adapter_base_dir(dir, adapter_config, options);
    state->config = read_config(state->base_dir);
    state->base = detail::open_weight_files(state->base_dir, rename);
    state->adapter = detail::load_lora_adapter(dir, adapter_config, state->base, rename);
    state->adapter_config = std::move(adapter_config);
  } else {
    state->base_dir = dir;
    state->config = read_config(dir);
    state->base = detail::open_weight_files(dir, rename);
  }
  return Checkpoint(std::move(state));
}

const fs::path& Checkpoint::dir() const { return state_->dir; }
const nlohmann::json& Checkpoint::config() const { return state_->config; }
const std::optional<nlohmann::json>& Checkpoint::adapter_config() const { return state_->adapter_config; }
bool Checkpoint::is_adapter() const { return state_->adapter.has_value(); }

bool Checkpoint::has(std::string_view name) const { return state_->source(name) != nullptr; }

std::vector<std::int64_t> Checkpoint::shape(std::string_view name) const {
  const auto* source = state_->source(name);
  if (!source) state_->missing(name, {});
  return source->info->shape;
}

torch::Tensor Checkpoint::get(std::string_view name, std::vector<std::int64_t> expected_shape,
                              torch::ScalarType dtype) const {
  const auto* source = state_->source(name);
  if (!source) state_->missing(name, expected_shape);
  if (!expected_shape.empty() && source->info->shape != expected_shape) {
    throw Error("checkpoint " + state_->dir.string() + ": tensor '" + std::string(name) + "' has shape " +
                detail::shape_text(source->info->shape) + ", expected " + detail::shape_text(expected_shape) +
                " (config.json and weights disagree?)");
  }
  const auto* update = state_->merge_lora ? state_->update(name) : nullptr;
  if (!update) return read(*source, dtype);
  // Merge in float32 and cast once, as the reference merge does.
  auto weight = read(*source, torch::kFloat32);
  const auto a = read(update->a, torch::kFloat32);
  const auto b = read(update->b, torch::kFloat32);
  weight.add_(torch::mm(b, a), update->scale);
  return dtype == torch::kFloat32 ? weight : weight.to(dtype);
}

std::optional<LoraFactors> Checkpoint::lora(std::string_view name) const {
  const auto* update = state_->update(name);
  if (!update) return std::nullopt;
  return LoraFactors{read(update->a, torch::kFloat32), read(update->b, torch::kFloat32), update->scale};
}

std::vector<std::string> Checkpoint::names() const {
  std::vector<std::string> out;
  out.reserve(state_->base.tensors.size());
  for (const auto& [key, _] : state_->base.tensors) out.push_back(key);
  if (state_->adapter) {
    for (const auto& [key, _] : state_->adapter->replacements) {
      if (!state_->base.tensors.contains(key)) out.push_back(key);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string Checkpoint::fingerprint() const {
  std::call_once(state_->fingerprint_once, [this] {
    ContentHash hash;
    hash.update(state_->config.dump());
    hash.update(state_->adapter_config ? state_->adapter_config->dump() : std::string());
    for (const auto& [name, source] : state_->base.tensors) hash_tensor(hash, name, source);
    if (state_->adapter) {
      for (const auto& info : state_->adapter->file->tensors()) {
        hash_tensor(hash, info.name, TensorSource{state_->adapter->file.get(), &info});
      }
    }
    state_->fingerprint = hash.hex_digest();
  });
  return state_->fingerprint;
}

std::size_t parameter_count(const Checkpoint& checkpoint) {
  std::size_t total = 0;
  for (const auto& name : checkpoint.names()) {
    std::size_t elements = 1;
    for (const auto extent : checkpoint.shape(name)) elements *= static_cast<std::size_t>(extent);
    total += elements;
  }
  return total;
}

}  // namespace patchwise::models
