#pragma once
// Hyper-parameters of a SigLIP vision tower (read by each family's config loader).

namespace patchwise::models {
class ConfigFields;
}

namespace patchwise::models::siglip {

struct SiglipConfig {
  int hidden = 0;
  int layers = 0;
  int heads = 0;
  int intermediate = 0;
  int patch = 0;
  int image_size = 0;  // tile side in pixels
  double layer_norm_eps = 1e-6;

  int patches_per_side() const { return image_size / patch; }
};

// Reads a `vision_config` object (hidden_size, num_hidden_layers, num_attention_heads,
// intermediate_size, patch_size, image_size, layer_norm_eps, hidden_act); throws
// patchwise::Error naming the field that is missing or inconsistent.
SiglipConfig parse_siglip_config(const ConfigFields& f);

}  // namespace patchwise::models::siglip
