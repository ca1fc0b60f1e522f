#pragma once
// ColModernVBERT (colpali-engine 0.3.13's ColModernVBert + ColModernVBertProcessor) as a
// models::Encoder: the shared Idefics3-processor encoder (idefics3/tiled_encoder.h) over the
// ModernVBERT network. The tokenizer's post-processor adds [CLS] ... [SEP] to pages and
// queries; padding is on the left, as the reference processor pads.
#include <filesystem>
#include <memory>

#include "models/idefics3/tiled_encoder.h"
#include "models/modernvbert/model.h"
#include "models/modernvbert/modernvbert_config.h"

namespace patchwise::models::modernvbert {

using idefics3::EncoderOptions;
using idefics3::PageInputs;

class ColModernVBertEncoder final : public idefics3::TiledEncoder {
 public:
  // Loads config, backbone configs, tokenizer and weights from a checkpoint folder; throws
  // patchwise::Error naming the file, field or tensor that is missing or malformed.
  explicit ColModernVBertEncoder(const std::filesystem::path& dir, EncoderOptions options = {});
  ~ColModernVBertEncoder() override;

  const Config& config() const { return config_; }

 private:
  Config config_;
  std::unique_ptr<Model> model_;
};

// The registry's factory: default options in the given dtype.
std::unique_ptr<Encoder> make_colmodernvbert_encoder(const std::filesystem::path& dir,
                                                torch::ScalarType dtype = torch::kFloat32);

}  // namespace patchwise::models::modernvbert
