#include "fixture.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <stdexcept>

#include "models/checkpoint/safetensors.h"
#include "vision/image_file.h"

namespace patchwise::models::idefics3::testing {

std::filesystem::path fixture_dir() { return std::filesystem::path(PATCHWISE_FIXTURES_DIR) / "colidefics3"; }

torch::Tensor fixture_tensor(const std::string& file, const std::string& name) {
  const auto st = SafetensorsFile::open(fixture_dir() / file);
  const TensorInfo* info = st.find(name);
  if (!info) throw std::runtime_error("fixture tensor " + name + " missing in " + file);
  const auto type = to_scalar_type(info->dtype);
  return st.to_tensor(*info, type == torch::kInt64 ? torch::kInt64 : torch::kFloat32);
}

vision::PageImage fixture_page(int index) {
  return vision::load_image_file(fixture_dir() / "inputs" / ("page" + std::to_string(index) + ".png"));
}

std::string fixture_query(int index) {
  std::ifstream in(fixture_dir() / "inputs" / "queries.json");
  return nlohmann::json::parse(in).at("queries").at(index).get<std::string>();
}

double max_abs_diff(const torch::Tensor& a, const torch::Tensor& b) {
  if (a.sizes() != b.sizes()) throw std::runtime_error("shape mismatch in comparison");
  if (a.numel() == 0) return 0.0;
  return (a.to(torch::kFloat64) - b.to(torch::kFloat64)).abs().max().item<double>();
}

}  // namespace patchwise::models::idefics3::testing
