#pragma once
// tokenizer.json "decoder": token strings back to text (ByteLevel, Replace, ByteFallback,
// Fuse, Strip, Metaspace, Sequence).
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace patchwise::models {

class Decoder {
 public:
  virtual ~Decoder() = default;
  virtual std::vector<std::string> apply(std::vector<std::string> tokens) const = 0;
};

// nullptr for JSON null (tokens are then joined with spaces).
std::unique_ptr<Decoder> make_decoder(const nlohmann::json& spec);

}  // namespace patchwise::models
