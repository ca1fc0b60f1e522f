#pragma once
// The starter model's two towers (libtorch):
//   page tower  - a small CNN over a grayscale "ink" image (1 = black, 0 = white), five
//                 stride-2 stages, then a horizontal 1x5 layer so a cell sees its text line,
//                 then a 1x1 head to D; one L2-normalised vector per 32x32-pixel cell;
//   query tower - an EmbeddingBag over hashed text features (text_features.h), summed with
//                 signed weights and L2-normalised. It starts as the lexical encoder's
//                 hashing (bucket b -> unit axis b mod D), so training distils that lexical
//                 space into pixels, and may then refine it.
#include <filesystem>

#include <torch/torch.h>

#include "models/starter/starter_config.h"
#include "models/starter/text_features.h"
#include "vision/page_image.h"

namespace patchwise::models::starter {

class StarterNetImpl : public torch::nn::Module {
 public:
  explicit StarterNetImpl(const StarterConfig& config);

  // ink [B, 1, H, W] with H, W multiples of cell_px() -> [B, D, H/cell, W/cell], unit vectors.
  torch::Tensor encode_ink(const torch::Tensor& ink);
  // One unit vector per bag -> [bags, D]; a bag with no features gives a zero row.
  torch::Tensor encode_text(const FeatureBags& bags);

  const StarterConfig& config() const { return config_; }

 private:
  StarterConfig config_;
  torch::nn::Sequential page_{nullptr};
  torch::nn::EmbeddingBag text_{nullptr};
};
TORCH_MODULE(StarterNet);

// The weights file inside a model folder.
inline constexpr const char* kWeightsFile = "model.safetensors";

// Every parameter and running statistic, as float32 tensors named by module path.
void save_weights(StarterNet& net, const std::filesystem::path& file);
// Throws patchwise::Error naming the file and the tensor that is missing or has the wrong shape.
void load_weights(StarterNet& net, const std::filesystem::path& file);

// A page scaled to the model's resolution: ink [1, 1, H, W] padded with white up to
// multiples of the cell size, and the scaled page's size before padding.
struct InkPage {
  torch::Tensor ink;
  int width = 0;
  int height = 0;
};

// Grayscale, scaled (antialiased bilinear) so the longest side is config.longest_side.
// Throws patchwise::Error for an empty page or a pixel buffer of the wrong length.
InkPage page_to_ink(const vision::PageImage& page, const StarterConfig& config);

}  // namespace patchwise::models::starter
