#include "models/modernvbert/colmodernvbert_encoder.h"

#include <utility>

#include "models/checkpoint/checkpoint.h"
#include "models/common/encoder_support.h"
#include "models/tokenizer/tokenizer.h"

namespace patchwise::models::modernvbert {
namespace fs = std::filesystem;

ColModernVBertEncoder::ColModernVBertEncoder(const fs::path& dir, EncoderOptions options)
    : idefics3::TiledEncoder(options) {
  // colpali-engine >= 0.3.14 renames the head saved under the PEFT wrapper's prefix.
  LoadOptions load_options;
  load_options.key_renames.push_back({"^base_model\\.model\\.custom_text_proj\\.", "custom_text_proj."});
  const Checkpoint checkpoint = Checkpoint::open(dir, load_options);
  config_ = load_config(checkpoint.is_adapter() ? dir : checkpoint.dir());
  auto tokenizer = Tokenizer::from_folder(checkpoint.dir());
  model_ = guarded("ColModernVBERT", "loading",
                   [&] { return std::make_unique<Model>(checkpoint, config_, options.dtype); });
  idefics3::TiledSetup setup{"colmodernvbert",    "ColModernVBERT",      config_.preprocess,
                             config_.prompts,     config_.image_seq_len, config_.image_token_id,
                             config_.text.pad_id, /*add_special_tokens=*/true};
  finish_setup(dir, checkpoint, std::move(tokenizer), *model_, std::move(setup), describe_settings(config_));
}

ColModernVBertEncoder::~ColModernVBertEncoder() = default;

std::unique_ptr<Encoder> make_colmodernvbert_encoder(const fs::path& dir, torch::ScalarType dtype) {
  EncoderOptions options;
  options.dtype = dtype;
  return std::make_unique<ColModernVBertEncoder>(dir, options);
}

}  // namespace patchwise::models::modernvbert
