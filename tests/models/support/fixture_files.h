#pragma once
// Reading shared/fixtures/<name> (reference checkpoints with inputs and expected outputs) in
// the models parity tests. Header-only: each test folder is its own binary.
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include <torch/torch.h>

#include "core/multi_vector.h"
#include "models/checkpoint/safetensors.h"
#include "vision/image_file.h"
#include "vision/page_image.h"

namespace patchwise::models::testing {

inline std::filesystem::path fixture_dir(const std::string& name) {
  return std::filesystem::path(PATCHWISE_FIXTURES_DIR) / name;
}

// A tensor of a fixture safetensors file (path relative to the fixture), float32 or int64.
inline torch::Tensor fixture_tensor(const std::string& fixture, const std::string& file, const std::string& name) {
  const auto st = SafetensorsFile::open(fixture_dir(fixture) / file);
  const TensorInfo* info = st.find(name);
  if (!info) throw std::runtime_error("fixture tensor " + name + " missing in " + file);
  const auto type = to_scalar_type(info->dtype);
  return st.to_tensor(*info, type == torch::kInt64 ? torch::kInt64 : torch::kFloat32);
}

inline vision::PageImage fixture_page(const std::string& fixture, int index) {
  return vision::load_image_file(fixture_dir(fixture) / "inputs" / ("page" + std::to_string(index) + ".png"));
}

inline std::string fixture_query(const std::string& fixture, int index) {
  std::ifstream in(fixture_dir(fixture) / "inputs" / "queries.json");
  return nlohmann::json::parse(in).at("queries").at(index).get<std::string>();
}

// Largest absolute difference; shapes must match.
inline double max_abs_diff(const torch::Tensor& a, const torch::Tensor& b) {
  if (a.sizes() != b.sizes()) throw std::runtime_error("shape mismatch in comparison");
  if (a.numel() == 0) return 0.0;
  return (a.to(torch::kFloat64) - b.to(torch::kFloat64)).abs().max().item<double>();
}

inline torch::Tensor rows_of(const core::MultiVector& mv) {
  return torch::tensor(std::vector<float>(mv.values().begin(), mv.values().end()))
      .view({static_cast<long>(mv.rows()), static_cast<long>(mv.dim())});
}

// ColBERT MaxSim in float64: sum over query rows of the best dot product with a page row.
inline double maxsim(const torch::Tensor& q, const torch::Tensor& d) {
  return torch::matmul(q.to(torch::kFloat64), d.to(torch::kFloat64).t()).amax(1).sum().item<double>();
}

}  // namespace patchwise::models::testing
