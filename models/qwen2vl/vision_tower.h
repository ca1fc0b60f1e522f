#pragma once
// The Qwen2-VL / Qwen2.5-VL vision tower with its patch merger (models.md §4.5): patch rows ->
// one feature per merge x merge block, in the processor's raster order. Images attend only
// within themselves; Qwen2.5-VL blocks outside full_attention_blocks attend only within
// windows of window_merged() x window_merged() merged tokens.
#include <vector>

#include <torch/torch.h>

#include "models/transformer/layers.h"
#include "models/qwen2vl/preprocess.h"
#include "models/qwen2vl/qwen2vl_config.h"

namespace patchwise::models::qwen2vl {

using transformer::Linear;
using transformer::Norm;
using transformer::Trace;
using transformer::WeightLoader;

struct VisionBlock {
  Norm norm1, norm2;
  Linear qkv, proj;
  Linear fc1, fc2;         // Qwen2-VL: fc2(quick_gelu(fc1(x)))
  Linear gate, up, down;   // Qwen2.5-VL: down(silu(gate(x)) * up(x))
};

// The Qwen2.5-VL window order of one batch of images (transformers' get_window_index).
struct WindowLayout {
  torch::Tensor merged_order;          // int64 [merged tokens]: window order -> raster index
  std::vector<std::int64_t> windows;   // window lengths in patches, in window order, none empty
};
WindowLayout window_layout(const std::vector<Grid>& grids, int merge, int window_merged);

class VisionTower {
 public:
  VisionTower(const WeightLoader& load, const Config& config, torch::ScalarType dtype);

  // patches [sum of grid patches, C*T*P*P] (float32, images concatenated in order) ->
  // [sum of merged tokens, text hidden] in raster order per image. Records vision_patch_embed,
  // vision_block0_out, vision_last_block_out, merger_out (window order for Qwen2.5-VL),
  // vision_out, and vision_window_index.
  torch::Tensor forward(const torch::Tensor& patches, const std::vector<Grid>& grids, Trace* trace = nullptr) const;

 private:
  torch::Tensor block(const VisionBlock& b, torch::Tensor x, const torch::Tensor& cos, const torch::Tensor& sin,
                      const std::vector<std::int64_t>& segments) const;
  torch::Tensor self_attention(const VisionBlock& b, const torch::Tensor& x, const torch::Tensor& cos,
                               const torch::Tensor& sin, const std::vector<std::int64_t>& segments) const;
  torch::Tensor norm(const Norm& n, const torch::Tensor& x) const;
  torch::Tensor rotary_angles(const std::vector<Grid>& grids) const;

  Config config_;
  torch::ScalarType dtype_;
  torch::Tensor patch_weight_;  // [hidden, C*T*P*P]
  std::vector<VisionBlock> blocks_;
  Norm merger_norm_;
  Linear merger_fc1_, merger_fc2_;
};

}  // namespace patchwise::models::qwen2vl
