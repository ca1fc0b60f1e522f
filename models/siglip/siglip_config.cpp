#include "models/siglip/siglip_config.h"

#include "core/error.h"
#include "models/common/config_fields.h"

namespace patchwise::models::siglip {

SiglipConfig parse_siglip_config(const ConfigFields& f) {
  SiglipConfig v;
  v.hidden = f.positive_int("hidden_size");
  v.layers = f.positive_int("num_hidden_layers");
  v.heads = f.positive_int("num_attention_heads");
  v.intermediate = f.positive_int("intermediate_size");
  v.patch = f.positive_int("patch_size");
  v.image_size = f.positive_int("image_size");
  v.layer_norm_eps = f.positive_number_or("layer_norm_eps", 1e-6);
  if (v.hidden % v.heads != 0) throw Error(f.where() + ": hidden_size is not a multiple of num_attention_heads");
  if (v.image_size % v.patch != 0) throw Error(f.where() + ": image_size is not a multiple of patch_size");
  if (f.string_or("hidden_act", "gelu_pytorch_tanh") != "gelu_pytorch_tanh") {
    throw Error(f.where() + ": only hidden_act \"gelu_pytorch_tanh\" is supported");
  }
  return v;
}

}  // namespace patchwise::models::siglip
