#pragma once
// ColIdefics3 / ColSmol (colpali-engine's ColIdefics3 + ColIdefics3Processor) as a
// models::Encoder: the shared Idefics3-processor encoder (tiled_encoder.h) over the
// ColIdefics3 network (model.h).
#include <filesystem>
#include <memory>

#include "models/idefics3/idefics3_config.h"
#include "models/idefics3/model.h"
#include "models/idefics3/tiled_encoder.h"

namespace patchwise::models::idefics3 {

class ColIdefics3Encoder final : public TiledEncoder {
 public:
  // Loads config, tokenizer and weights from a checkpoint folder (or adapter folder); throws
  // patchwise::Error naming the file, field or tensor that is missing or malformed.
  explicit ColIdefics3Encoder(const std::filesystem::path& dir, EncoderOptions options = {});
  ~ColIdefics3Encoder() override;

  const Config& config() const { return config_; }
  const Model& model() const { return *model_; }

 private:
  Config config_;
  std::unique_ptr<Model> model_;
};

// The registry's factory: default options in the given dtype.
std::unique_ptr<Encoder> make_colidefics3_encoder(const std::filesystem::path& dir,
                                                torch::ScalarType dtype = torch::kFloat32);

}  // namespace patchwise::models::idefics3
