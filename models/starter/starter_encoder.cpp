#include "models/starter/starter_encoder.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>

#include "core/error.h"
#include "models/checkpoint/content_hash.h"
#include "models/lexical/lexical_encoder.h"

namespace patchwise::models::starter {
namespace {

StarterNet load_net(const std::filesystem::path& dir) {
  StarterNet net(read_config(dir));
  load_weights(net, dir / kWeightsFile);
  return net;
}

std::string display_name(const std::filesystem::path& dir) {
  std::string name = "starter (";
  return name.append(dir.filename().string()).append(")");
}

}  // namespace

std::string fingerprint_of(StarterNet& net) {
  ContentHash hash;
  hash.update("patchwise-starter/v1 ");
  hash.update(to_json(net->config()).dump());
  auto add = [&](const std::string& name, const torch::Tensor& t) {
    const auto values = t.detach().to(torch::kFloat32).contiguous();
    hash.update(name);
    hash.update(std::span(reinterpret_cast<const std::byte*>(values.data_ptr<float>()),
                          std::size_t(values.numel()) * sizeof(float)));
  };
  for (const auto& p : net->named_parameters()) add(p.key(), p.value());
  for (const auto& b : net->named_buffers()) {
    if (b.value().is_floating_point()) add(b.key(), b.value());
  }
  std::string fingerprint = "starter-";
  return fingerprint.append(hash.hex_digest());
}

StarterEncoder::StarterEncoder(const std::filesystem::path& dir)
    : StarterEncoder(load_net(dir), display_name(dir)) {}

StarterEncoder::StarterEncoder(StarterNet net, std::string name)
    : net_(std::move(net)), featurizer_(net_->config()) {
  info_.name = std::move(name);
  info_.family = kModelType;
  info_.dim = net_->config().dim;
  info_.fingerprint = fingerprint_of(net_);
  for (const auto& parameter : net_->parameters()) info_.parameters += static_cast<std::size_t>(parameter.numel());
  info_.dtype = "float32";
}

core::PageEmbedding StarterEncoder::encode_page(const vision::PageImage& page) {
  const auto& config = net_->config();
  const InkPage scaled = page_to_ink(page, config);
  const int cell = config.cell_px();
  // [gh, gw, D]: one row per cell, row-major over the grid.
  const auto vectors = net_->encode_ink(scaled.ink)[0].permute({1, 2, 0}).contiguous();
  const auto inked = torch::nn::functional::max_pool2d(
                         scaled.ink, torch::nn::functional::MaxPool2dFuncOptions(cell).stride(cell))[0][0] >
                     config.ink_threshold;
  const auto rows = vectors.size(0);
  const auto cols = vectors.size(1);
  const auto dim = std::size_t(config.dim);
  const auto keep = inked.nonzero().contiguous();  // [n, 2] (row, col); nonzero() may return a strided view
  const auto n = std::size_t(keep.size(0));
  core::PageEmbedding out;
  out.vectors = core::MultiVector(n, dim);
  const auto* values = vectors.data_ptr<float>();
  const auto* where = keep.data_ptr<std::int64_t>();
  for (std::size_t i = 0; i < n; ++i) {
    const auto r = where[2 * i];
    const auto c = where[2 * i + 1];
    std::memcpy(out.vectors.row(i).data(), values + (r * cols + c) * std::int64_t(dim), dim * sizeof(float));
    const float w = float(scaled.width);
    const float h = float(scaled.height);
    out.grid.add({float(c * cell) / w, float(r * cell) / h, std::min(1.0f, float((c + 1) * cell) / w),
                  std::min(1.0f, float((r + 1) * cell) / h)});
  }
  (void)rows;
  out.vectors.normalize_rows();
  return out;
}

std::vector<core::PageEmbedding> StarterEncoder::encode_pages(std::span<const vision::PageImage> pages) {
  c10::InferenceMode inference;
  net_->eval();
  std::vector<core::PageEmbedding> out;
  out.reserve(pages.size());
  try {
    for (const auto& page : pages) out.push_back(encode_page(page));
  } catch (const c10::Error& e) {
    std::string message = "starter model: encoding a page failed in libtorch: ";
    throw Error(message.append(e.what_without_backtrace()));
  }
  return out;
}

std::vector<core::MultiVector> StarterEncoder::encode_queries(std::span<const std::string> queries) {
  c10::InferenceMode inference;
  net_->eval();
  std::vector<core::MultiVector> out;
  out.reserve(queries.size());
  for (const auto& query : queries) {
    const FeatureBags bags = featurizer_.featurize(query);
    if (bags.bags() == 0) {
      std::string message = "the query \"";
      throw Error(message.append(query).append("\" has no words to search for"));
    }
    const auto vectors = net_->encode_text(bags).contiguous();
    const auto* data = vectors.data_ptr<float>();
    core::MultiVector m(bags.bags(), info_.dim, std::vector<float>(data, data + vectors.numel()));
    m.normalize_rows();
    out.push_back(std::move(m));
  }
  return out;
}

std::vector<std::string> StarterEncoder::query_token_labels(const std::string& query, std::size_t rows) {
  auto labels = LexicalEncoder::split_words(query);
  labels.resize(rows);
  return labels;
}

}  // namespace patchwise::models::starter
