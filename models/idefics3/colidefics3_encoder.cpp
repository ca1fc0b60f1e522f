#include "models/idefics3/colidefics3_encoder.h"

#include <utility>

#include "models/checkpoint/checkpoint.h"
#include "models/common/encoder_support.h"
#include "models/tokenizer/tokenizer.h"

namespace patchwise::models::idefics3 {
namespace fs = std::filesystem;

ColIdefics3Encoder::ColIdefics3Encoder(const fs::path& dir, EncoderOptions options) : TiledEncoder(options) {
  const Checkpoint checkpoint = Checkpoint::open(dir);
  config_ = load_config(checkpoint.is_adapter() ? dir : checkpoint.dir());
  auto tokenizer = Tokenizer::from_folder(checkpoint.dir());
  std::int64_t pad_id = checkpoint.config().value("pad_token_id", 0);
  if (pad_id < 0 || pad_id >= config_.text.vocab) pad_id = 0;
  model_ = guarded("ColIdefics3", "loading",
                   [&] { return std::make_unique<Model>(checkpoint, config_, options.dtype); });
  config_ = model_->config();
  TiledSetup setup{"colidefics3", "ColIdefics3", config_.preprocess, config_.prompts, config_.image_seq_len,
                   config_.image_token_id, pad_id, /*add_special_tokens=*/false};
  finish_setup(dir, checkpoint, std::move(tokenizer), *model_, std::move(setup), describe_settings(config_));
}

ColIdefics3Encoder::~ColIdefics3Encoder() = default;

std::unique_ptr<Encoder> make_colidefics3_encoder(const fs::path& dir, torch::ScalarType dtype) {
  EncoderOptions options;
  options.dtype = dtype;
  return std::make_unique<ColIdefics3Encoder>(dir, options);
}

}  // namespace patchwise::models::idefics3
