#pragma once
// Reading the golden fixtures in shared/fixtures/<name>/ (MANIFEST.md in each) for the model
// parity tests: tensors, input pages and queries, and the comparisons every test makes.
// Header-only so that each tests/models/<family>/ binary can use it.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "core/multi_vector.h"
#include "models/encoder.h"
#include "models/checkpoint/safetensors.h"
#include "vision/image_file.h"
#include "vision/page_image.h"

namespace patchwise::models::testing {

inline std::filesystem::path fixture_dir(const std::string& name) {
  return std::filesystem::path(PATCHWISE_FIXTURES_DIR) / name;
}

// A tensor of a fixture safetensors file (path relative to the fixture), as int64 or float32.
inline torch::Tensor fixture_tensor(const std::filesystem::path& dir, const std::string& file, const std::string& name) {
  const auto st = SafetensorsFile::open(dir / file);
  const TensorInfo* info = st.find(name);
  if (!info) throw std::runtime_error("fixture tensor " + name + " missing in " + (dir / file).string());
  const auto type = to_scalar_type(info->dtype);
  return st.to_tensor(*info, type == torch::kInt64 ? torch::kInt64 : torch::kFloat32);
}

inline vision::PageImage fixture_page(const std::filesystem::path& dir, int index) {
  return vision::load_image_file(dir / "inputs" / ("page" + std::to_string(index) + ".png"));
}

inline std::string fixture_query(const std::filesystem::path& dir, int index) {
  std::ifstream in(dir / "inputs" / "queries.json");
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

// ColBERT MaxSim in float64 over the given rows.
inline double maxsim(const torch::Tensor& query, const torch::Tensor& page) {
  return torch::matmul(query.to(torch::kFloat64), page.to(torch::kFloat64).t()).amax(1).sum().item<double>();
}

inline const char* const kSingles = "expected/singles.safetensors";

// Each of the fixture's two pages encoded alone is within `tolerance` of the reference's
// singles (pages.I); prints the residuals and returns the embeddings for further checks.
inline std::vector<core::PageEmbedding> expect_pages_alone_match(Encoder& encoder, const std::filesystem::path& dir,
                                                                 double tolerance) {
  std::vector<core::PageEmbedding> out;
  for (int i = 0; i < 2; ++i) {
    const vision::PageImage page = fixture_page(dir, i);
    auto got = encoder.encode_pages({&page, 1});
    EXPECT_EQ(got.size(), 1u);
    if (got.size() != 1) return out;
    const auto want = fixture_tensor(dir, kSingles, "pages." + std::to_string(i));
    const auto rows = rows_of(got[0].vectors);
    EXPECT_EQ(rows.sizes(), want.sizes()) << "page " << i;
    if (rows.sizes() != want.sizes()) return out;
    const double diff = max_abs_diff(rows, want);
    std::printf("page %d alone: max |diff| vs reference single %.3g\n", i, diff);
    EXPECT_LE(diff, tolerance) << "page " << i;
    EXPECT_EQ(got[0].grid.size(), got[0].vectors.rows()) << "page " << i;
    out.push_back(std::move(got[0]));
  }
  return out;
}

// The same for the fixture's two queries (queries.J).
inline void expect_queries_alone_match(Encoder& encoder, const std::filesystem::path& dir, double tolerance) {
  for (int j = 0; j < 2; ++j) {
    const std::string q = fixture_query(dir, j);
    const auto out = encoder.encode_queries({&q, 1});
    const auto want = fixture_tensor(dir, kSingles, "queries." + std::to_string(j));
    const auto got = rows_of(out.at(0));
    EXPECT_EQ(got.sizes(), want.sizes()) << "query " << j;
    if (got.sizes() != want.sizes()) continue;
    const double diff = max_abs_diff(got, want);
    std::printf("query %d alone: max |diff| vs reference single %.3g\n", j, diff);
    EXPECT_LE(diff, tolerance) << "query " << j;
  }
}

// MaxSim of the fixture's queries against its pages, encoded two at a time, is within a relative
// 1e-4 of the reference's singles scores [query, page].
inline void expect_scores_match(Encoder& encoder, const std::filesystem::path& dir) {
  const std::vector<vision::PageImage> pages{fixture_page(dir, 0), fixture_page(dir, 1)};
  const std::vector<std::string> queries{fixture_query(dir, 0), fixture_query(dir, 1)};
  const auto docs = encoder.encode_pages(pages);
  const auto qs = encoder.encode_queries(queries);
  const auto want = fixture_tensor(dir, kSingles, "scores");
  for (int j = 0; j < 2; ++j) {
    for (int i = 0; i < 2; ++i) {
      const double ref = want[j][i].item<double>();
      const double got = maxsim(rows_of(qs[j]), rows_of(docs[i].vectors));
      std::printf("score q%d p%d: %.7f reference %.7f\n", j, i, got, ref);
      EXPECT_LE(std::abs(got - ref), 1e-4 * std::abs(ref)) << "query " << j << " page " << i;
    }
  }
}

}  // namespace patchwise::models::testing
