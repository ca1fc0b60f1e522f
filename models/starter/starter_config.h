#pragma once
// The bundled starter model's settings, as stored in its config.json (model_type
// "patchwise-starter"). Everything that changes an embedding is here, so the fingerprint can
// be computed from this plus the weights.
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace patchwise::models::starter {

inline constexpr const char* kModelType = "patchwise-starter";

struct StarterConfig {
  std::size_t dim = 128;                  // Default: 128, like the ColVision models.
  int longest_side = 1280;                // Default: pages are scaled so their longest side is 1280 px (~116 dpi on Letter).
  std::vector<int> channels = {16, 32, 64, 96, 128};  // Default: one entry per stride-2 stage (5 stages: cells of 32 px).
  std::size_t text_buckets = 16384;       // Default: 2^14 hashed text features (words and character n-grams).
  std::size_t ngram = 3;                  // Default: character trigrams.
  float word_weight = 2.0f;               // Default: a whole word counts as much as two n-grams.
  float ink_threshold = 0.15f;            // Default: cells whose darkest pixel has less ink are blank and dropped.

  // Side of one output cell in model pixels (2^stages).
  int cell_px() const { return 1 << channels.size(); }
};

// Reads and validates `dir`/config.json; throws patchwise::Error naming the file and field.
StarterConfig read_config(const std::filesystem::path& dir);
void write_config(const StarterConfig& config, const std::filesystem::path& dir);

nlohmann::json to_json(const StarterConfig& config);
StarterConfig from_json(const nlohmann::json& json, const std::string& where);

}  // namespace patchwise::models::starter
