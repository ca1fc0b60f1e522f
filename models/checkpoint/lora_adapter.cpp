#include "models/checkpoint/lora_adapter.h"

#include <cmath>
#include <optional>
#include <regex>

#include "core/error.h"

namespace patchwise::models::detail {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view kPrefix = "base_model.model.";

struct LoraKey {
  std::string module;  // module path at training time, e.g. model.layers.0.self_attn.q_proj
  char factor = 0;     // 'A' or 'B'; 0 for a modules_to_save tensor
};

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// "<module>.lora_A.weight" (or with PEFT's adapter name: ".lora_A.default.weight").
std::optional<LoraKey> split_lora_key(std::string_view key) {
  for (const char factor : {'A', 'B'}) {
    const std::string tag = std::string(".lora_") + factor + ".";
    const auto pos = key.rfind(tag);
    if (pos == std::string_view::npos) continue;
    const auto tail = key.substr(pos + tag.size());
    if (tail == "weight" || tail == "default.weight") return LoraKey{std::string(key.substr(0, pos)), factor};
  }
  return std::nullopt;
}

// PEFT drops ".modules_to_save.default" on save; tolerate files that kept it.
std::string strip_adapter_name(const std::string& key) {
  for (const std::string_view tag : {".modules_to_save.default.", ".modules_to_save."}) {
    if (const auto pos = key.find(tag); pos != std::string::npos) {
      return key.substr(0, pos) + "." + key.substr(pos + tag.size());
    }
  }
  return key;
}

// PEFT's rank_pattern / alpha_pattern lookup: the key matches a module path ending in it.
std::optional<double> pattern_value(const nlohmann::json& patterns, const std::string& module) {
  if (!patterns.is_object()) return std::nullopt;
  for (const auto& [pattern, value] : patterns.items()) {
    if (!value.is_number()) continue;
    try {
      if (std::regex_match(module, std::regex("(.*\\.)?(" + pattern + ")"))) return value.get<double>();
    } catch (const std::regex_error&) {
      throw Error("adapter_config.json: invalid pattern '" + pattern + "'");
    }
  }
  return std::nullopt;
}

// Whether PEFT would have adapted `module` given target_modules (list of suffixes or a regex).
bool targeted(const nlohmann::json& target_modules, const std::string& module) {
  if (target_modules.is_string()) {
    const auto& text = target_modules.get_ref<const std::string&>();
    if (text == "all-linear") return true;
    try {
      return std::regex_match(module, std::regex(text));
    } catch (const std::regex_error&) {
      throw Error("adapter_config.json: target_modules is not a valid regex: " + text);
    }
  }
  if (target_modules.is_array()) {
    for (const auto& t : target_modules) {
      if (!t.is_string()) continue;
      const auto& name = t.get_ref<const std::string&>();
      if (module == name || ends_with(module, "." + name)) return true;
    }
    return false;
  }
  return true;  // absent: nothing to check against
}

double number_field(const nlohmann::json& config, const char* field, double fallback, const fs::path& file) {
  const auto it = config.find(field);
  if (it == config.end() || it->is_null()) return fallback;
  if (!it->is_number()) throw Error(file.string() + ": \"" + field + "\" must be a number");
  return it->get<double>();
}

void reject_unsupported(const nlohmann::json& config, const fs::path& file) {
  if (!config.is_object()) throw Error(file.string() + " is not a JSON object");
  const std::string peft_type = config.value("peft_type", std::string("LORA"));
  if (peft_type != "LORA") throw Error(file.string() + ": peft_type \"" + peft_type + "\" is not supported (only LORA)");
  if (config.value("use_dora", false)) throw Error(file.string() + ": DoRA adapters (use_dora) are not supported");
  if (config.value("fan_in_fan_out", false)) {
    throw Error(file.string() + ": fan_in_fan_out adapters are not supported (weights stored transposed)");
  }
}

struct Scaling {
  double r;
  double alpha;
  bool rslora;
  double for_module(const nlohmann::json& config, const std::string& module, std::int64_t stored_rank) const {
    const double rank = pattern_value(config.value("rank_pattern", nlohmann::json()), module).value_or(r);
    const double a = pattern_value(config.value("alpha_pattern", nlohmann::json()), module).value_or(alpha);
    if (static_cast<std::int64_t>(rank) != stored_rank) {
      throw Error("adapter_config.json gives rank " + std::to_string(static_cast<std::int64_t>(rank)) + " for '" +
                  module + "' but its lora_A has " + std::to_string(stored_rank) + " rows");
    }
    return rslora ? a / std::sqrt(rank) : a / rank;
  }
};

void check_update(const fs::path& file, const std::string& target, const LoraUpdate& update,
                  const TensorSource& base) {
  const auto& a = update.a.info->shape;
  const auto& b = update.b.info->shape;
  const auto& w = base.info->shape;
  if (a.size() != 2 || b.size() != 2 || w.size() != 2 || a[0] != b[1] || b[0] != w[0] || a[1] != w[1]) {
    throw Error(file.string() + ": LoRA factors for '" + target + "' have shapes A " + shape_text(a) + ", B " +
                shape_text(b) + " that do not fit the base weight " + shape_text(w) +
                " (expected A [r, in], B [out, r])");
  }
}

}  // namespace

fs::path adapter_base_dir(const fs::path& adapter_dir, const nlohmann::json& config, const LoadOptions& options) {
  if (!options.base_model_dir.empty()) return options.base_model_dir;
  const auto file = adapter_dir / "adapter_config.json";
  const auto it = config.find("base_model_name_or_path");
  if (it == config.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) {
    throw Error(file.string() + " names no base_model_name_or_path (pass the base folder explicitly)");
  }
  const auto& base = it->get_ref<const std::string&>();
  std::error_code ec;
  if (fs::is_directory(base, ec)) return base;
  if (const fs::path beside = adapter_dir / base; fs::path(base).is_relative() && fs::is_directory(beside, ec)) {
    return beside;
  }
  if (auto cached = find_in_hf_cache(base, options.hf_cache_dir)) return *cached;
  throw Error(file.string() + ": base model '" + base +
              "' is neither a local folder nor in the Hugging Face cache (nothing is downloaded)");
}

LoraAdapter load_lora_adapter(const fs::path& dir, nlohmann::json config, const WeightFiles& base,
                              const KeyRenamer& rename) {
  const auto config_file = dir / "adapter_config.json";
  reject_unsupported(config, config_file);
  const auto weights_file = dir / "adapter_model.safetensors";
  if (!fs::exists(weights_file)) {
    throw Error(dir.string() + " has adapter_config.json but no adapter_model.safetensors" +
                (fs::exists(dir / "adapter_model.bin") ? " (adapter_model.bin is not supported)" : ""));
  }
  const double r = number_field(config, "r", 8, config_file);
  if (r <= 0) throw Error(config_file.string() + ": \"r\" must be positive");
  const Scaling scaling{r, number_field(config, "lora_alpha", 8, config_file), config.value("use_rslora", false)};
  const auto target_modules = config.value("target_modules", nlohmann::json());

  LoraAdapter adapter;
  adapter.file = std::make_unique<SafetensorsFile>(SafetensorsFile::open(weights_file));
  std::map<std::string, std::pair<std::optional<TensorSource>, std::optional<TensorSource>>> factors;
  for (const auto& info : adapter.file->tensors()) {
    const TensorSource source{adapter.file.get(), &info};
    if (!info.name.starts_with(kPrefix)) {
      throw Error(weights_file.string() + ": tensor '" + info.name + "' lacks the PEFT prefix '" +
                  std::string(kPrefix) + "'");
    }
    const std::string key = info.name.substr(kPrefix.size());
    if (key.find("lora_magnitude_vector") != std::string::npos) {
      throw Error(weights_file.string() + ": '" + info.name + "' is a DoRA magnitude; DoRA is not supported");
    }
    if (key.find(".lora_embedding_") != std::string::npos) {
      throw Error(weights_file.string() + ": '" + info.name + "': LoRA on embeddings is not supported");
    }
    if (const auto lora = split_lora_key(key)) {
      auto& slot = factors[lora->module];
      (lora->factor == 'A' ? slot.first : slot.second) = source;
      continue;
    }
    adapter.replacements.emplace(rename(strip_adapter_name(key)), source);
  }

  for (const auto& [module, pair] : factors) {
    if (!pair.first || !pair.second) {
      throw Error(weights_file.string() + ": module '" + module + "' has lora_" + (pair.first ? "A" : "B") +
                  " but no lora_" + (pair.first ? "B" : "A"));
    }
    if (!targeted(target_modules, module)) {
      throw Error(weights_file.string() + ": adapts '" + module + "', which target_modules in " +
                  config_file.string() + " does not name");
    }
    const auto target = rename(module + ".weight");
    const auto base_it = base.tensors.find(target);
    if (base_it == base.tensors.end()) {
      throw Error(weights_file.string() + ": adapted weight '" + target + "' (from module '" + module +
                  "') is not in the base checkpoint");
    }
    LoraUpdate update{*pair.first, *pair.second, 0.0};
    check_update(weights_file, target, update, base_it->second);
    update.scale = scaling.for_module(config, module, update.a.info->shape[0]);
    adapter.updates.emplace(target, update);
  }

  for (const auto& [name, source] : adapter.replacements) {
    const auto base_it = base.tensors.find(name);
    if (base_it != base.tensors.end() && base_it->second.info->shape != source.info->shape) {
      throw Error(weights_file.string() + ": modules_to_save tensor '" + name + "' has shape " +
                  shape_text(source.info->shape) + " but the base has " + shape_text(base_it->second.info->shape));
    }
  }
  adapter.config = std::move(config);
  return adapter;
}

}  // namespace patchwise::models::detail
