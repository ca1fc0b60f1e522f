#include "models/idefics3/vision_connector.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "core/error.h"

namespace patchwise::models::idefics3 {

using torch::indexing::Slice;

VisionConnector::VisionConnector(const transformer::WeightLoader& load, const siglip::SiglipConfig& vision,
                                 int scale_factor, int text_hidden, std::string family, torch::Tensor position_ids)
    : tower_(load, "model.vision_model.", vision, std::move(position_ids)),
      projection_(load.linear("model.connector.modality_projection.proj", text_hidden,
                              static_cast<std::int64_t>(vision.hidden) * scale_factor * scale_factor, false)),
      scale_(scale_factor),
      family_(std::move(family)) {}

torch::Tensor VisionConnector::connect(const torch::Tensor& hidden) const {
  const auto n = hidden.size(0);
  const auto seq = hidden.size(1);
  const auto d = hidden.size(2);
  const std::int64_t s = scale_;
  const std::int64_t side = tower_.config().patches_per_side();
  auto x = hidden.view({n, side, side, d});
  x = x.view({n, side, side / s, d * s}).permute({0, 2, 1, 3});
  x = x.reshape({n, side / s, side / s, d * s * s}).permute({0, 2, 1, 3});
  x = x.reshape({n, seq / (s * s), d * s * s});
  return projection_(x);
}

torch::Tensor VisionConnector::features(const torch::Tensor& tiles, int chunk, transformer::Trace* trace) const {
  const int m = tower_.config().image_size;
  if (tiles.dim() != 4 || tiles.size(1) != 3 || tiles.size(2) != m || tiles.size(3) != m) {
    throw Error(family_ + ": tiles must be [n, 3, " + std::to_string(m) + ", " + std::to_string(m) + "]");
  }
  const std::int64_t step = std::max(chunk, 1);
  std::vector<torch::Tensor> parts;
  for (std::int64_t begin = 0; begin < tiles.size(0); begin += step) {
    const auto end = std::min<std::int64_t>(begin + step, tiles.size(0));
    const auto out = connect(tower_.forward(tiles.index({Slice(begin, end)}), trace));
    transformer::append(trace, "connector_out", out);
    parts.push_back(out);
  }
  return torch::cat(parts);
}

}  // namespace patchwise::models::idefics3
