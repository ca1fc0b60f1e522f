#include "models/qwen2vl/vision_tower.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.h"
#include "models/transformer/decoder.h"

namespace patchwise::models::qwen2vl {
namespace {

using transformer::apply_rotary;
using transformer::record;

bool is_qwen25(const Config& c) { return c.variant == Variant::qwen2_5_vl; }

std::vector<std::int64_t> image_segments(const std::vector<Grid>& grids) {
  std::vector<std::int64_t> lengths;
  for (const auto& g : grids) lengths.push_back(g.patches());
  return lengths;
}

// Per image, (row, col) of each patch in the processor's merge-block order.
torch::Tensor patch_positions(const Grid& g, int merge) {
  const std::int64_t h = g.rows;
  const std::int64_t w = g.cols;
  auto blocks = [&](const torch::Tensor& t) {
    return t.reshape({h / merge, merge, w / merge, merge}).permute({0, 2, 1, 3}).flatten();
  };
  const auto rows = blocks(torch::arange(h).unsqueeze(1).expand({h, w}));
  const auto cols = blocks(torch::arange(w).unsqueeze(0).expand({h, w}));
  return torch::stack({rows, cols}, 1);
}

}  // namespace

WindowLayout window_layout(const std::vector<Grid>& grids, int merge, int window_merged) {
  WindowLayout layout;
  std::vector<std::int64_t> order;
  std::int64_t offset = 0;
  const int ws = window_merged;
  for (const auto& g : grids) {
    const int h = g.rows / merge;
    const int w = g.cols / merge;
    // Like the reference, each side is padded by ws - side % ws (a whole empty window when
    // already a multiple); empty windows are skipped.
    const int windows_h = (h + ws - h % ws) / ws;
    const int windows_w = (w + ws - w % ws) / ws;
    for (int wy = 0; wy < windows_h; ++wy) {
      for (int wx = 0; wx < windows_w; ++wx) {
        std::int64_t count = 0;
        for (int y = wy * ws; y < std::min((wy + 1) * ws, h); ++y) {
          for (int x = wx * ws; x < std::min((wx + 1) * ws, w); ++x) {
            order.push_back(offset + static_cast<std::int64_t>(y) * w + x);
            ++count;
          }
        }
        if (count > 0) layout.windows.push_back(count * merge * merge);
      }
    }
    offset += static_cast<std::int64_t>(h) * w;
  }
  layout.merged_order = torch::tensor(order, torch::kInt64);
  return layout;
}

VisionTower::VisionTower(const WeightLoader& load, const Config& config, torch::ScalarType dtype)
    : config_(config), dtype_(dtype) {
  const auto& v = config.vision;
  const bool q25 = is_qwen25(config);
  const std::string vp = "visual.";
  patch_weight_ =
      load.get(vp + "patch_embed.proj.weight", {v.hidden, v.in_channels, v.temporal_patch, v.patch, v.patch})
          .reshape({v.hidden, v.patch_values()});
  for (int i = 0; i < v.layers; ++i) {
    const std::string p = vp + "blocks." + std::to_string(i) + ".";
    VisionBlock b;
    b.norm1 = load.norm(p + "norm1", v.hidden, !q25);
    b.norm2 = load.norm(p + "norm2", v.hidden, !q25);
    b.qkv = load.linear(p + "attn.qkv", 3 * v.hidden, v.hidden, true);
    b.proj = load.linear(p + "attn.proj", v.hidden, v.hidden, true);
    if (q25) {
      b.gate = load.linear(p + "mlp.gate_proj", v.intermediate, v.hidden, true);
      b.up = load.linear(p + "mlp.up_proj", v.intermediate, v.hidden, true);
      b.down = load.linear(p + "mlp.down_proj", v.hidden, v.intermediate, true);
    } else {
      b.fc1 = load.linear(p + "mlp.fc1", v.intermediate, v.hidden, true);
      b.fc2 = load.linear(p + "mlp.fc2", v.hidden, v.intermediate, true);
    }
    blocks_.push_back(std::move(b));
  }
  const int merged = v.hidden * v.merge * v.merge;
  merger_norm_ = load.norm(vp + "merger.ln_q", v.hidden, !q25);
  merger_fc1_ = load.linear(vp + "merger.mlp.0", merged, merged, true);
  merger_fc2_ = load.linear(vp + "merger.mlp.2", v.out_hidden, merged, true);
}

torch::Tensor VisionTower::norm(const Norm& n, const torch::Tensor& x) const {
  return is_qwen25(config_) ? transformer::rms_norm(n, x, config_.vision.norm_eps, dtype_)
                            : transformer::layer_norm(n, x, config_.vision.norm_eps, dtype_);
}

// [patches, head_dim / 2] float32: the row angles, then the column angles.
torch::Tensor VisionTower::rotary_angles(const std::vector<Grid>& grids) const {
  const auto inv_freq = transformer::rope_inv_freq(10000.0, config_.vision.head_dim() / 2);
  std::vector<torch::Tensor> parts;
  for (const auto& g : grids) {
    const auto pos = patch_positions(g, config_.vision.merge).to(torch::kFloat32);
    const auto rows = pos.select(1, 0).unsqueeze(1) * inv_freq.unsqueeze(0);
    const auto cols = pos.select(1, 1).unsqueeze(1) * inv_freq.unsqueeze(0);
    parts.push_back(torch::cat({rows, cols}, 1));
  }
  return torch::cat(parts);
}

torch::Tensor VisionTower::self_attention(const VisionBlock& b, const torch::Tensor& x, const torch::Tensor& cos,
                                          const torch::Tensor& sin, const std::vector<std::int64_t>& segments) const {
  const auto seq = x.size(0);
  const int heads = config_.vision.heads;
  const int head_dim = config_.vision.head_dim();
  const auto qkv = b.qkv(x).reshape({seq, 3, heads, head_dim}).permute({1, 2, 0, 3});  // [3, heads, seq, d]
  // The rotary is applied in float32 and cast back, as the reference does.
  const auto q = apply_rotary(qkv[0].to(torch::kFloat32), cos, sin).to(dtype_);
  const auto k = apply_rotary(qkv[1].to(torch::kFloat32), cos, sin).to(dtype_);
  const auto v = qkv[2];
  const double scale = std::pow(static_cast<double>(head_dim), -0.5);
  std::vector<torch::Tensor> outs;
  std::int64_t begin = 0;
  for (const auto len : segments) {
    outs.push_back(transformer::attention(q.narrow(1, begin, len), k.narrow(1, begin, len), v.narrow(1, begin, len),
                                         {}, scale));
    begin += len;
  }
  return b.proj(torch::cat(outs, 1).transpose(0, 1).reshape({seq, heads * head_dim}));
}

torch::Tensor VisionTower::block(const VisionBlock& b, torch::Tensor x, const torch::Tensor& cos,
                                 const torch::Tensor& sin, const std::vector<std::int64_t>& segments) const {
  x = x + self_attention(b, norm(b.norm1, x), cos, sin, segments);
  const auto h = norm(b.norm2, x);
  if (is_qwen25(config_)) return x + b.down(torch::silu(b.gate(h)) * b.up(h));
  const auto a = b.fc1(h);
  return x + b.fc2(a * torch::sigmoid(1.702 * a));  // quick_gelu
}

torch::Tensor VisionTower::forward(const torch::Tensor& patches, const std::vector<Grid>& grids, Trace* trace) const {
  const auto& v = config_.vision;
  const auto unit = static_cast<std::int64_t>(v.merge) * v.merge;
  std::int64_t total = 0;
  for (const auto& g : grids) {
    if (g.rows % v.merge != 0 || g.cols % v.merge != 0 || g.patches() == 0) {
      throw Error("Qwen2-VL: an image grid of " + std::to_string(g.rows) + "x" + std::to_string(g.cols) +
                  " patches is not a positive multiple of the merge size");
    }
    total += g.patches();
  }
  if (patches.dim() != 2 || patches.size(0) != total || patches.size(1) != v.patch_values()) {
    throw Error("Qwen2-VL: pixel patches must be [" + std::to_string(total) + ", " + std::to_string(v.patch_values()) +
                "]");
  }
  auto x = torch::linear(patches.to(dtype_), patch_weight_);
  record(trace, "vision_patch_embed", x);
  auto angles = rotary_angles(grids);

  const auto image_parts = image_segments(grids);
  std::vector<std::int64_t> window_parts = image_parts;
  torch::Tensor order;
  if (is_qwen25(config_)) {
    // Reorder whole merge units into window order; rotary angles move with their patches.
    const WindowLayout layout = window_layout(grids, v.merge, v.window_merged());
    order = layout.merged_order;
    window_parts = layout.windows;
    record(trace, "vision_window_index", order);
    auto permute = [&](const torch::Tensor& t) {
      return t.view({total / unit, unit, t.size(1)}).index_select(0, order).reshape({total, t.size(1)});
    };
    x = permute(x);
    angles = permute(angles);
  }
  const auto doubled = torch::cat({angles, angles}, 1).unsqueeze(0);  // broadcast over heads
  const auto cos = doubled.cos();
  const auto sin = doubled.sin();
  const auto& full = v.full_attention_blocks;
  for (std::size_t i = 0; i < blocks_.size(); ++i) {
    const bool whole_image =
        !is_qwen25(config_) || std::find(full.begin(), full.end(), static_cast<int>(i)) != full.end();
    x = block(blocks_[i], x, cos, sin, whole_image ? image_parts : window_parts);
    if (i == 0) record(trace, "vision_block0_out", x);
  }
  record(trace, "vision_last_block_out", x);
  auto merged = norm(merger_norm_, x).reshape({total / unit, v.hidden * unit});
  merged = merger_fc2_(torch::gelu(merger_fc1_(merged)));
  record(trace, "merger_out", merged);
  if (order.defined()) merged = merged.index_select(0, torch::argsort(order));
  record(trace, "vision_out", merged);
  return merged;
}

}  // namespace patchwise::models::qwen2vl
