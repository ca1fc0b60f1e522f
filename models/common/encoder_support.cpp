#include "models/common/encoder_support.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>

#include "models/checkpoint/checkpoint.h"

namespace patchwise::models {
namespace fs = std::filesystem;
namespace {

// FNV-1a, 64 bit: only needs to tell settings apart, not resist attacks.
std::uint64_t fnv1a(std::string_view bytes, std::uint64_t h = 1469598103934665603ULL) {
  for (const unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

std::string file_bytes(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

}  // namespace

std::string display_name(const fs::path& dir) {
  const fs::path clean = dir.lexically_normal();
  fs::path p = clean.filename().empty() ? clean.parent_path() : clean;
  // Hugging Face cache layout: models--ORG--NAME/snapshots/REV -> ORG/NAME.
  if (p.parent_path().filename() == "snapshots") {
    std::string repo = p.parent_path().parent_path().filename().string();
    if (repo.rfind("models--", 0) == 0) {
      repo = repo.substr(8);
      if (const auto sep = repo.find("--"); sep != std::string::npos) repo.replace(sep, 2, "/");
      return repo;
    }
  }
  return p.filename().string();
}

std::string encoder_fingerprint(const Checkpoint& checkpoint, const std::string& settings,
                                const std::filesystem::path& tokenizer_json) {
  const auto tokenizer = tokenizer_json.empty() ? checkpoint.dir() / "tokenizer.json" : tokenizer_json;
  const std::string all = settings + "\ntokenizer " + std::to_string(fnv1a(file_bytes(tokenizer)));
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(fnv1a(all, fnv1a(checkpoint.fingerprint()))));
  return hex;
}

std::pair<torch::Tensor, torch::Tensor> padded_batch(const std::vector<std::vector<std::int64_t>>& rows,
                                                     std::int64_t pad_id, PaddingSide side) {
  std::size_t len = 0;
  for (const auto& r : rows) len = std::max(len, r.size());
  const auto b = static_cast<std::int64_t>(rows.size());
  auto ids = torch::full({b, static_cast<std::int64_t>(len)}, pad_id, torch::kInt64);
  auto mask = torch::zeros({b, static_cast<std::int64_t>(len)}, torch::kInt64);
  for (std::int64_t i = 0; i < b; ++i) {
    const auto& r = rows[i];
    if (r.empty()) continue;
    const auto n = static_cast<std::int64_t>(r.size());
    const auto start = side == PaddingSide::left ? static_cast<std::int64_t>(len) - n : 0;
    ids[i].narrow(0, start, n).copy_(torch::tensor(r, torch::kInt64));
    mask[i].narrow(0, start, n).fill_(1);
  }
  return {ids, mask};
}

std::vector<core::MultiVector> encode_queries_in_batches(
    std::span<const std::string> queries, int batch,
    const std::function<std::vector<std::int64_t>(const std::string&)>& ids_of,
    const std::function<torch::Tensor(const std::vector<std::vector<std::int64_t>>&)>& encode, PaddingSide side) {
  std::vector<core::MultiVector> out;
  out.reserve(queries.size());
  const auto step = static_cast<std::size_t>(std::max(batch, 1));
  for (std::size_t begin = 0; begin < queries.size(); begin += step) {
    std::vector<std::vector<std::int64_t>> ids;
    for (std::size_t i = begin; i < std::min(begin + step, queries.size()); ++i) ids.push_back(ids_of(queries[i]));
    const auto vectors = encode(ids);
    for (std::size_t i = 0; i < ids.size(); ++i) {
      const auto n = static_cast<std::int64_t>(ids[i].size());
      const auto start = side == PaddingSide::left ? vectors.size(1) - n : 0;
      out.push_back(to_multivector(vectors[static_cast<std::int64_t>(i)].narrow(0, start, n)));
    }
  }
  return out;
}

core::MultiVector to_multivector(const torch::Tensor& rows) {
  const auto t = rows.to(torch::kFloat32).contiguous();
  const auto* p = t.data_ptr<float>();
  return core::MultiVector(static_cast<std::size_t>(t.size(0)), static_cast<std::size_t>(t.size(1)),
                           std::vector<float>(p, p + t.numel()));
}

vision::Image8 to_image8(const vision::PageImage& page) {
  if (page.empty()) throw Error("cannot encode an empty page image");
  const auto expected = static_cast<std::size_t>(page.width) * page.height * 3;
  if (page.rgb.size() != expected) {
    throw Error("page image of " + std::to_string(page.width) + "x" + std::to_string(page.height) + " needs " +
                std::to_string(expected) + " RGB bytes, found " + std::to_string(page.rgb.size()));
  }
  return vision::Image8{page.width, page.height, 3, page.rgb};
}

void normalize_into(const vision::Image8& img, double rescale_factor, const std::array<float, 3>& mean,
                    const std::array<float, 3>& std, float* out) {
  const std::size_t plane = static_cast<std::size_t>(img.width) * img.height;
  for (int c = 0; c < 3; ++c) {
    float* dst = out + c * plane;
    for (std::size_t i = 0; i < plane; ++i) {
      const auto v = static_cast<float>(static_cast<double>(img.pixels[i * 3 + c]) * rescale_factor);
      dst[i] = (v - mean[c]) / std[c];
    }
  }
}

}  // namespace patchwise::models
