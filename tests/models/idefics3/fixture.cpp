#include "fixture.h"

#include "tests/models/support/fixture_files.h"

namespace patchwise::models::idefics3::testing {

namespace shared = models::testing;
constexpr const char* kFixture = "colidefics3";

std::filesystem::path fixture_dir() { return shared::fixture_dir(kFixture); }

torch::Tensor fixture_tensor(const std::string& file, const std::string& name) {
  return shared::fixture_tensor(kFixture, file, name);
}

vision::PageImage fixture_page(int index) { return shared::fixture_page(kFixture, index); }

std::string fixture_query(int index) { return shared::fixture_query(kFixture, index); }

double max_abs_diff(const torch::Tensor& a, const torch::Tensor& b) { return shared::max_abs_diff(a, b); }

}  // namespace patchwise::models::idefics3::testing
