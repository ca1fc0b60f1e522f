#include "models/qwen2vl/model.h"

#include <algorithm>
#include <string>

#include "core/error.h"

namespace patchwise::models::qwen2vl {
namespace {

using transformer::record;

}  // namespace

std::vector<KeyRename> checkpoint_key_renames() {
  return {
      {"^vlm\\.", ""},                                  // ColQwen2ForRetrieval wraps the backbone in vlm
      {"^embedding_proj_layer\\.", "custom_text_proj."},
      {"^model\\.visual\\.", "visual."},                // transformers >= 4.52 *Model layout
      {"^model\\.language_model\\.", "model."},
      {"^language_model\\.", "model."},
  };
}

torch::Tensor mrope_positions(const torch::Tensor& input_ids, const torch::Tensor& attention_mask,
                              const std::vector<Grid>& grids, std::int64_t image_token_id, int merge) {
  const auto b = input_ids.size(0);
  const auto len = input_ids.size(1);
  auto positions = torch::ones({3, b, len}, torch::kInt64);
  const auto ids = input_ids.contiguous();
  const auto mask = attention_mask.contiguous();
  const auto* id = ids.data_ptr<std::int64_t>();
  const auto* real = mask.data_ptr<std::int64_t>();
  auto* pos = positions.data_ptr<std::int64_t>();
  const auto plane = b * len;
  std::size_t image = 0;
  for (std::int64_t row = 0; row < b; ++row) {
    std::int64_t next = 0;  // the position the next token starts at
    for (std::int64_t i = 0; i < len; ++i) {
      const auto at = row * len + i;
      if (!real[at]) continue;
      if (id[at] != image_token_id) {
        for (int c = 0; c < 3; ++c) pos[c * plane + at] = next;
        ++next;
        continue;
      }
      if (image >= grids.size()) throw Error("Qwen2-VL: the prompt has more image token runs than images");
      const std::int64_t h = grids[image].rows / merge;
      const std::int64_t w = grids[image].cols / merge;
      ++image;
      for (std::int64_t k = 0; k < h * w; ++k, ++i) {
        const auto slot = row * len + i;
        if (i >= len || !real[slot] || id[slot] != image_token_id) {
          throw Error("Qwen2-VL: an image has " + std::to_string(h * w) + " features but fewer image tokens");
        }
        pos[slot] = next;
        pos[plane + slot] = next + k / w;
        pos[2 * plane + slot] = next + k % w;
      }
      --i;
      next += std::max(h, w);
    }
  }
  if (image != grids.size()) throw Error("Qwen2-VL: more images than image token runs in the prompts");
  return positions;
}

Model::Model(const Checkpoint& checkpoint, const Config& config, torch::ScalarType dtype)
    : config_(config), dtype_(transformer::precision_for(dtype).compute) {
  if (dtype != torch::kFloat32 && dtype != torch::kBFloat16) throw Error("ColQwen2 runs in float32 or bfloat16 only");
  const WeightLoader load(checkpoint, dtype);
  vision_ = std::make_unique<VisionTower>(load, config, load.dtype());
  const auto& t = config.text;
  embed_tokens_ = load.get_table("model.embed_tokens.weight", {t.vocab, t.hidden});
  for (int i = 0; i < t.layers; ++i) {
    text_layers_.push_back(transformer::load_decoder_layer(load, "model.layers." + std::to_string(i) + ".", t, true));
  }
  final_norm_ = load.norm("model.norm", t.hidden, false);
  const auto head_shape = checkpoint.shape("custom_text_proj.weight");
  if (head_shape.size() != 2 || head_shape[1] != t.hidden) {
    throw Error(checkpoint.dir().string() + ": tensor custom_text_proj.weight should be [dim, " +
                std::to_string(t.hidden) + "]");
  }
  config_.projection_dim = static_cast<int>(head_shape[0]);
  head_ = load.linear("custom_text_proj", head_shape[0], t.hidden, true);
}

torch::Tensor Model::image_features(const torch::Tensor& patches, const std::vector<Grid>& grids, Trace* trace) const {
  return vision_->forward(patches, grids, trace);
}

torch::Tensor Model::merge_inputs(const torch::Tensor& input_ids, const torch::Tensor& features) const {
  return transformer::merge_image_features(embed_tokens_, input_ids, config_.image_token_id, features, "ColQwen2");
}

// cos and sin [B, 1, L, head_dim] in the activation dtype: each frequency band of the
// half-split layout (mrope_section, repeated for both halves) takes the angle of its
// component: t, h, w, t, h, w.
std::pair<torch::Tensor, torch::Tensor> Model::rotary_tables(const torch::Tensor& positions) const {
  const auto& t = config_.text;
  const auto freqs = positions.to(torch::kFloat32).unsqueeze(-1) * transformer::rope_inv_freq(t.rope_theta, t.head_dim);
  const auto angles = torch::cat({freqs, freqs}, -1);  // [3, B, L, head_dim]
  std::vector<std::int64_t> sizes;
  for (int half = 0; half < 2; ++half) sizes.insert(sizes.end(), t.mrope_section.begin(), t.mrope_section.end());
  auto pick = [&](const torch::Tensor& table) {
    const auto chunks = table.split_with_sizes(sizes, -1);
    std::vector<torch::Tensor> parts;
    for (std::size_t i = 0; i < chunks.size(); ++i) parts.push_back(chunks[i][static_cast<std::int64_t>(i % 3)]);
    return torch::cat(parts, -1).unsqueeze(1);
  };
  return {pick(angles.cos().to(dtype_)), pick(angles.sin().to(dtype_))};
}

torch::Tensor Model::embed_sequence(const torch::Tensor& input_ids, const torch::Tensor& attention_mask,
                                    const torch::Tensor& features, const std::vector<Grid>& grids, Trace* trace) const {
  auto x = merge_inputs(input_ids, features).to(dtype_);
  record(trace, "text_inputs_embeds", x);
  const auto positions = mrope_positions(input_ids, attention_mask, grids, config_.image_token_id, config_.vision.merge);
  record(trace, "mrope_position_ids", positions);
  const auto [cos, sin] = rotary_tables(positions);
  const auto mask = transformer::additive_attention_mask(attention_mask, /*causal=*/true);
  x = transformer::run_decoder(text_layers_, config_.text, x, cos, sin, mask, dtype_, trace);
  x = transformer::rms_norm(final_norm_, x, config_.text.rms_norm_eps, dtype_);
  record(trace, "text_last_hidden_state", x);
  return transformer::retrieval_head(head_, x, attention_mask, trace);
}

}  // namespace patchwise::models::qwen2vl
