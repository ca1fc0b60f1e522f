#include "fixture.h"

#include "tests/models/fixture_files.h"

namespace patchwise::models::idefics3::testing {

std::filesystem::path fixture_dir() { return models::testing::fixture_dir("colidefics3"); }

torch::Tensor fixture_tensor(const std::string& file, const std::string& name) {
  return models::testing::fixture_tensor(fixture_dir(), file, name);
}

vision::PageImage fixture_page(int index) { return models::testing::fixture_page(fixture_dir(), index); }

std::string fixture_query(int index) { return models::testing::fixture_query(fixture_dir(), index); }

double max_abs_diff(const torch::Tensor& a, const torch::Tensor& b) { return models::testing::max_abs_diff(a, b); }

}  // namespace patchwise::models::idefics3::testing
