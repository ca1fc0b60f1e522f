#pragma once
// The ColQwen2 / ColQwen2.5 network (Qwen2VLModel / Qwen2_5_VLModel + custom_text_proj) in
// libtorch: vision tower and merger, image features scattered into the <|image_pad|> slots,
// 3-D M-RoPE positions, the Qwen2 decoder (GQA, biased q/k/v), the retrieval projection.
// Weights are loaded once and never change; forward calls keep no state. Norms, softmax and
// the rotary tables are computed in float32 as the reference does; matmuls in the weight dtype.
#include <memory>
#include <vector>

#include <torch/torch.h>

#include "models/checkpoint/checkpoint.h"
#include "models/qwen2vl/qwen2vl_config.h"
#include "models/qwen2vl/vision_tower.h"
#include "models/transformer/decoder.h"

namespace patchwise::models::qwen2vl {

// Key renames that map the other layouts of these checkpoints onto the vidore base/merged
// names (visual.*, model.*, custom_text_proj.*): transformers >= 4.52 (model.visual,
// model.language_model) and transformers-native ColQwen2ForRetrieval (vlm.*, embedding_proj_layer).
std::vector<KeyRename> checkpoint_key_renames();

// 3-D (t, h, w) M-RoPE positions [3, B, L] (int64) of a left-padded batch: numbered over the
// real tokens only; image token runs take the images' merged grids in order (`grids`, all
// images of the batch in sequence order); padding gets 1 (transformers' get_rope_index).
torch::Tensor mrope_positions(const torch::Tensor& input_ids, const torch::Tensor& attention_mask,
                              const std::vector<Grid>& grids, std::int64_t image_token_id, int merge);

class Model {
 public:
  // Reads every tensor the architecture needs with its expected shape; throws
  // patchwise::Error naming the missing or mis-shaped tensor.
  Model(const Checkpoint& checkpoint, const Config& config, torch::ScalarType dtype);

  torch::ScalarType dtype() const { return dtype_; }
  const Config& config() const { return config_; }

  // Patch rows of all images (concatenated) -> merged features [tokens, text hidden].
  torch::Tensor image_features(const torch::Tensor& patches, const std::vector<Grid>& grids,
                               Trace* trace = nullptr) const;

  // ids and attention_mask [B, L] (left padded), the images' features and grids in sequence
  // order -> unit vectors [B, L, D] in float32, zero at padding.
  torch::Tensor embed_sequence(const torch::Tensor& input_ids, const torch::Tensor& attention_mask,
                               const torch::Tensor& features, const std::vector<Grid>& grids,
                               Trace* trace = nullptr) const;

 private:
  torch::Tensor merge_inputs(const torch::Tensor& input_ids, const torch::Tensor& features) const;
  std::pair<torch::Tensor, torch::Tensor> rotary_tables(const torch::Tensor& positions) const;

  Config config_;
  torch::ScalarType dtype_;
  std::unique_ptr<VisionTower> vision_;
  torch::Tensor embed_tokens_;
  std::vector<transformer::DecoderLayer> text_layers_;
  Norm final_norm_;
  Linear head_;
};

}  // namespace patchwise::models::qwen2vl
