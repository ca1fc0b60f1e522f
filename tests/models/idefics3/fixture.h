#pragma once
// Paths and tensors of shared/fixtures/colidefics3 for the parity tests.
#include <filesystem>
#include <string>

#include <torch/torch.h>

#include "vision/page_image.h"

namespace patchwise::models::idefics3::testing {

std::filesystem::path fixture_dir();
// A tensor of a fixture safetensors file (relative path), as float32 or int64 as stored.
torch::Tensor fixture_tensor(const std::string& file, const std::string& name);
vision::PageImage fixture_page(int index);
std::string fixture_query(int index);
// Largest absolute difference; shapes must match.
double max_abs_diff(const torch::Tensor& a, const torch::Tensor& b);

}  // namespace patchwise::models::idefics3::testing
