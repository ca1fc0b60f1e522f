#include "models/starter/starter_config.h"

#include <nlohmann/json.hpp>

#include <fstream>

#include "core/error.h"

namespace patchwise::models::starter {

nlohmann::json to_json(const StarterConfig& c) {
  return {{"model_type", kModelType},   {"dim", c.dim},
          {"longest_side", c.longest_side}, {"channels", c.channels},
          {"text_buckets", c.text_buckets}, {"ngram", c.ngram},
          {"word_weight", c.word_weight},   {"ink_threshold", c.ink_threshold}};
}

StarterConfig from_json(const nlohmann::json& json, const std::string& where) {
  StarterConfig c;
  try {
    if (json.value("model_type", std::string()) != kModelType) {
      throw Error(where + ": model_type must be \"" + std::string(kModelType) + "\"");
    }
    c.dim = json.value("dim", c.dim);
    c.longest_side = json.value("longest_side", c.longest_side);
    c.channels = json.value("channels", c.channels);
    c.text_buckets = json.value("text_buckets", c.text_buckets);
    c.ngram = json.value("ngram", c.ngram);
    c.word_weight = json.value("word_weight", c.word_weight);
    c.ink_threshold = json.value("ink_threshold", c.ink_threshold);
  } catch (const nlohmann::json::exception& e) {
    throw Error(where + ": " + e.what());
  }
  if (c.dim < 8 || c.dim > 1024) throw Error(where + ": dim must be 8..1024");
  if (c.channels.size() < 2 || c.channels.size() > 7) throw Error(where + ": channels must list 2..7 stages");
  for (int ch : c.channels) {
    if (ch < 1 || ch > 1024) throw Error(where + ": every channels entry must be 1..1024");
  }
  if (c.longest_side < c.cell_px() || c.longest_side > 8192) {
    throw Error(where + ": longest_side must be " + std::to_string(c.cell_px()) + "..8192");
  }
  if (c.text_buckets < c.dim || c.text_buckets > (1u << 22)) throw Error(where + ": text_buckets must be dim..4194304");
  if (c.ngram < 1 || c.ngram > 8) throw Error(where + ": ngram must be 1..8");
  return c;
}

StarterConfig read_config(const std::filesystem::path& dir) {
  const auto file = dir / "config.json";
  std::ifstream in(file);
  if (!in) throw Error("cannot read " + file.string());
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw Error(file.string() + " is not valid JSON: " + e.what());
  }
  return from_json(json, file.string());
}

void write_config(const StarterConfig& config, const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  const auto file = dir / "config.json";
  std::ofstream out(file);
  out << to_json(config).dump(2) << "\n";
  if (!out) throw Error("cannot write " + file.string());
}

}  // namespace patchwise::models::starter
