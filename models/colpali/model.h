#pragma once
// The ColPali network (PaliGemmaForConditionalGeneration + custom_text_proj) in libtorch:
// SigLIP vision tower at a fixed square size, linear multi-modal projector, Gemma decoder with
// (1 + w) RMSNorm, sqrt(hidden) embedding scaling, bidirectional attention over the whole
// prompt and 1-based positions, then the retrieval projection. Weights are loaded once and
// never change; forward calls keep no state. Softmax, norm statistics and the L2 norm run in
// float32 whatever the weight dtype, as the reference does.
#include <memory>
#include <vector>

#include <torch/torch.h>

#include "models/colpali/paligemma_config.h"
#include "models/siglip/siglip_tower.h"
#include "models/transformer/decoder.h"
#include "models/transformer/layers.h"

namespace patchwise::models {
class Checkpoint;
struct KeyRename;
}  // namespace patchwise::models

namespace patchwise::models::colpali {

using transformer::Trace;

// Renames that map every known ColPali key layout (colpali-engine checkpoints, transformers
// 4.5x in-memory names, ColPaliForRetrieval "-hf" files old and new) onto the engine's names:
// model.vision_tower.vision_model.*, model.multi_modal_projector.linear.*,
// model.language_model.model.*, custom_text_proj.*.
std::vector<KeyRename> weight_renames();

class Model {
 public:
  // Reads every tensor with its expected shape; throws patchwise::Error naming the missing or
  // mis-shaped tensor.
  Model(const Checkpoint& checkpoint, const Config& config, torch::ScalarType dtype);

  torch::ScalarType dtype() const { return dtype_; }
  const Config& config() const { return config_; }

  // Pixel values [n, 3, S, S] (float32) -> image features [n, image_seq_len, text hidden],
  // already divided by sqrt(text hidden) as PaliGemma does. Images are independent.
  torch::Tensor image_features(const torch::Tensor& pixels, Trace* trace = nullptr) const;

  // Token embeddings [B, L, H] with the image-token positions replaced, in order, by the rows
  // of `features` ([n, seq, H], all images of the batch in sequence order).
  torch::Tensor merge_inputs(const torch::Tensor& input_ids, const torch::Tensor& features) const;

  // Gemma decoder + head: embeddings [B, L, H] and attention_mask [B, L] (1 real, 0 padding)
  // -> unit vectors [B, L, D] in float32, zero at padding.
  torch::Tensor embed_sequence(const torch::Tensor& inputs_embeds, const torch::Tensor& attention_mask,
                               Trace* trace = nullptr) const;

 private:
  Config config_;
  torch::ScalarType dtype_;
  std::unique_ptr<siglip::SiglipTower> vision_tower_;
  transformer::Linear projector_;
  torch::Tensor embed_tokens_;
  std::vector<transformer::DecoderLayer> layers_;
  transformer::Norm final_norm_;
  transformer::Linear head_;
};

}  // namespace patchwise::models::colpali
