#include "models/starter/starter_net.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.h"
#include "models/checkpoint/safetensors.h"
#include "models/checkpoint/safetensors_writer.h"

namespace patchwise::models::starter {
namespace {

namespace nn = torch::nn;
namespace F = torch::nn::functional;

void add_conv(nn::Sequential& seq, int in, int out, torch::ExpandingArray<2> kernel, int stride,
              torch::ExpandingArray<2> padding) {
  seq->push_back(nn::Conv2d(nn::Conv2dOptions(in, out, kernel).stride(stride).padding(padding).bias(false)));
  seq->push_back(nn::BatchNorm2d(out));
  seq->push_back(nn::ReLU(nn::ReLUOptions(true)));
}

nn::Sequential make_page_tower(const StarterConfig& c) {
  nn::Sequential seq;
  int in = 1;
  for (std::size_t i = 0; i < c.channels.size(); ++i) {
    const int out = c.channels[i];
    add_conv(seq, in, out, 3, 2, 1);
    // Full-resolution stages stay single-layer: they dominate the cost per page.
    if (i >= 2) add_conv(seq, out, out, 3, 1, 1);
    in = out;
  }
  add_conv(seq, in, in, {1, 5}, 1, {0, 2});
  seq->push_back(nn::Conv2d(nn::Conv2dOptions(in, int64_t(c.dim), 1)));
  return seq;
}

// Bucket b starts as the unit axis b mod D: exactly the lexical encoder's signed hashing.
torch::Tensor lexical_init(const StarterConfig& c) {
  auto table = torch::zeros({int64_t(c.text_buckets), int64_t(c.dim)});
  auto rows = torch::arange(int64_t(c.text_buckets));
  table.index_put_({rows, rows.remainder(int64_t(c.dim))}, 1.0f);
  return table;
}

bool is_counter(const std::string& name) { return name.ends_with("num_batches_tracked"); }

std::string shape_of(c10::IntArrayRef shape) {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

}  // namespace

StarterNetImpl::StarterNetImpl(const StarterConfig& config) : config_(config) {
  page_ = register_module("page", make_page_tower(config));
  text_ = register_module(
      "text", nn::EmbeddingBag(nn::EmbeddingBagOptions(int64_t(config.text_buckets), int64_t(config.dim))
                                   .mode(torch::kSum)
                                   ._weight(lexical_init(config))));
}

torch::Tensor StarterNetImpl::encode_ink(const torch::Tensor& ink) {
  return F::normalize(page_->forward(ink), F::NormalizeFuncOptions().dim(1).eps(1e-6));
}

torch::Tensor StarterNetImpl::encode_text(const FeatureBags& bags) {
  const auto n = int64_t(bags.bags());
  if (n == 0) return torch::zeros({0, int64_t(config_.dim)});
  auto ids = torch::tensor(bags.ids, torch::kInt64);
  auto weights = torch::tensor(bags.weights, torch::kFloat32);
  auto offsets = torch::tensor(std::vector<std::int64_t>(bags.offsets.begin(), bags.offsets.end() - 1), torch::kInt64);
  auto sums = text_->forward(ids, offsets, weights);
  return F::normalize(sums, F::NormalizeFuncOptions().dim(1).eps(1e-6));
}

void save_weights(StarterNet& net, const std::filesystem::path& file) {
  torch::NoGradGuard no_grad;
  SafetensorsWriter writer;
  writer.set_metadata("format", "pt");
  writer.set_metadata("model_type", kModelType);
  for (const auto& p : net->named_parameters()) writer.add(p.key(), p.value().detach().to(torch::kFloat32).contiguous());
  for (const auto& b : net->named_buffers()) {
    if (!is_counter(b.key())) writer.add(b.key(), b.value().detach().to(torch::kFloat32).contiguous());
  }
  writer.write(file);
}

void load_weights(StarterNet& net, const std::filesystem::path& file) {
  const auto weights = SafetensorsFile::open(file);
  torch::NoGradGuard no_grad;
  auto load = [&](const std::string& name, torch::Tensor& target) {
    const TensorInfo* info = weights.find(name);
    if (!info) throw Error(file.string() + ": tensor '" + name + "' is missing");
    auto value = weights.to_tensor(*info, torch::kFloat32);
    if (value.sizes() != target.sizes()) {
      throw Error(file.string() + ": tensor '" + name + "' has shape " + shape_of(value.sizes()) +
                  ", the config expects " + shape_of(target.sizes()));
    }
    target.copy_(value);
  };
  for (auto& p : net->named_parameters()) load(p.key(), p.value());
  for (auto& b : net->named_buffers()) {
    if (!is_counter(b.key())) load(b.key(), b.value());
  }
}

InkPage page_to_ink(const vision::PageImage& page, const StarterConfig& config) {
  if (page.empty()) throw Error("the page image is empty (0 pixels)");
  const std::size_t expected = std::size_t(page.width) * std::size_t(page.height) * 3;
  if (page.rgb.size() != expected) {
    throw Error("the page image has " + std::to_string(page.rgb.size()) + " bytes, expected " +
                std::to_string(expected) + " for " + std::to_string(page.width) + "x" +
                std::to_string(page.height) + " RGB8");
  }
  auto rgb = torch::from_blob(const_cast<std::uint8_t*>(page.rgb.data()), {page.height, page.width, 3}, torch::kUInt8)
                 .to(torch::kFloat32);
  auto coeffs = torch::tensor({0.299f, 0.587f, 0.114f});
  auto ink = (1.0f - rgb.matmul(coeffs) / 255.0f).clamp(0.0f, 1.0f).view({1, 1, page.height, page.width});

  const double scale = double(config.longest_side) / double(std::max(page.width, page.height));
  const int w = std::max(1, int(std::lround(page.width * scale)));
  const int h = std::max(1, int(std::lround(page.height * scale)));
  if (w != page.width || h != page.height) {
    ink = F::interpolate(ink, F::InterpolateFuncOptions()
                                  .size(std::vector<int64_t>{h, w})
                                  .mode(torch::kBilinear)
                                  .align_corners(false)
                                  .antialias(true));
  }
  const int cell = config.cell_px();
  const int padded_w = (w + cell - 1) / cell * cell;
  const int padded_h = (h + cell - 1) / cell * cell;
  ink = F::pad(ink, F::PadFuncOptions({0, padded_w - w, 0, padded_h - h}));
  return {ink.contiguous(), w, h};
}

}  // namespace patchwise::models::starter
