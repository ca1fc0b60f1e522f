#include "models/idefics3/colidefics3_encoder.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>

#include "core/error.h"
#include "models/checkpoint/checkpoint.h"
#include "models/idefics3/prompt.h"
#include "models/tokenizer/tokenizer.h"

namespace patchwise::models::idefics3 {
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

// Runs `fn`, turning libtorch's exceptions into patchwise::Error with context.
template <typename Fn>
auto guarded(const char* what, Fn&& fn) {
  try {
    return fn();
  } catch (const c10::Error& e) {
    throw Error(std::string("ColIdefics3 ") + what + " failed in libtorch: " + e.what_without_backtrace());
  }
}

// Left-pads id rows to one [B, L] batch; returns ids and attention mask.
std::pair<torch::Tensor, torch::Tensor> left_padded(const std::vector<std::vector<std::int64_t>>& rows,
                                                    std::int64_t pad_id) {
  std::size_t len = 0;
  for (const auto& r : rows) len = std::max(len, r.size());
  const auto b = static_cast<std::int64_t>(rows.size());
  auto ids = torch::full({b, static_cast<std::int64_t>(len)}, pad_id, torch::kInt64);
  auto mask = torch::zeros({b, static_cast<std::int64_t>(len)}, torch::kInt64);
  for (std::int64_t i = 0; i < b; ++i) {
    const auto& r = rows[i];
    const auto start = static_cast<std::int64_t>(len - r.size());
    if (r.empty()) continue;
    ids[i].narrow(0, start, static_cast<std::int64_t>(r.size()))
        .copy_(torch::from_blob(const_cast<std::int64_t*>(r.data()), {static_cast<std::int64_t>(r.size())}, torch::kInt64));
    mask[i].narrow(0, start, static_cast<std::int64_t>(r.size())).fill_(1);
  }
  return {ids, mask};
}

core::MultiVector to_multivector(const torch::Tensor& rows) {
  const auto t = rows.to(torch::kFloat32).contiguous();
  const auto* p = t.data_ptr<float>();
  return core::MultiVector(static_cast<std::size_t>(t.size(0)), static_cast<std::size_t>(t.size(1)),
                           std::vector<float>(p, p + t.numel()));
}

}  // namespace

ColIdefics3Encoder::ColIdefics3Encoder(const fs::path& dir, EncoderOptions options) : options_(options) {
  const Checkpoint checkpoint = Checkpoint::open(dir);
  config_ = load_config(checkpoint.is_adapter() ? dir : checkpoint.dir());
  tokenizer_ = Tokenizer::from_folder(checkpoint.dir());
  for (const std::string_view token : {kImageToken, kFakeImageToken, kGlobalImageToken}) {
    if (!tokenizer_->token_to_id(token)) {
      throw Error((checkpoint.dir() / "tokenizer.json").string() + " has no token " + std::string(token));
    }
  }
  if (*tokenizer_->token_to_id(kImageToken) != config_.image_token_id) {
    throw Error(checkpoint.dir().string() + ": config.json image_token_id " + std::to_string(config_.image_token_id) +
                " is not the tokenizer's <image> id " + std::to_string(*tokenizer_->token_to_id(kImageToken)));
  }
  pad_id_ = checkpoint.config().value("pad_token_id", 0);
  if (pad_id_ < 0 || pad_id_ >= config_.text.vocab) pad_id_ = 0;
  model_ = guarded("loading", [&] { return std::make_unique<Model>(checkpoint, config_, options_.dtype); });
  config_ = model_->config();

  // The compute dtype is left out on purpose: bf16 vectors stay within cosine 0.98 of float32
  // ones (a test checks), so a library ingested in one dtype is searchable in the other.
  const std::string settings = describe_settings(config_) + "\ntokenizer " +
                               std::to_string(fnv1a(file_bytes(checkpoint.dir() / "tokenizer.json")));
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx",
                static_cast<unsigned long long>(fnv1a(settings, fnv1a(checkpoint.fingerprint()))));
  info_ = {display_name(dir), "colidefics3", static_cast<std::size_t>(config_.projection_dim), hex,
           parameter_count(checkpoint), transformer::dtype_name(options_.dtype)};
}

std::optional<std::size_t> ColIdefics3Encoder::vectors_per_page(int width_px, int height_px) const {
  if (width_px <= 0 || height_px <= 0) return std::nullopt;
  const auto& pre = config_.preprocess;
  int rows = 0;
  int cols = 0;
  if (pre.split_image) {
    const Size canvas = tile_multiple_size(longest_edge_size({width_px, height_px}, pre.longest_edge), pre.tile_size);
    if (canvas.width > pre.tile_size || canvas.height > pre.tile_size) {
      rows = (canvas.height + pre.tile_size - 1) / pre.tile_size;
      cols = (canvas.width + pre.tile_size - 1) / pre.tile_size;
    }
  }
  return tokenize(document_prompt(config_.prompts, rows, cols, config_.image_seq_len)).size();
}

ColIdefics3Encoder::~ColIdefics3Encoder() = default;

std::vector<std::int64_t> ColIdefics3Encoder::tokenize(const std::string& text) const {
  const auto ids = tokenizer_->encode(text, /*add_special_tokens=*/false);
  return {ids.begin(), ids.end()};
}

PageInputs ColIdefics3Encoder::prepare_page(const vision::PageImage& page) const {
  PageInputs in;
  in.image = prepare_image(to_image8(page), config_.preprocess);
  in.input_ids = tokenize(document_prompt(config_.prompts, in.image.rows, in.image.cols, config_.image_seq_len));
  return in;
}

std::vector<std::int64_t> ColIdefics3Encoder::query_ids(const std::string& query) const {
  return tokenize(query_prompt(config_.prompts, query));
}

torch::Tensor ColIdefics3Encoder::encode_page_batch(const std::vector<PageInputs>& pages, Trace* trace) const {
  return guarded("page encoding", [&] {
    c10::InferenceMode inference;
    std::vector<torch::Tensor> tiles;
    std::vector<std::vector<std::int64_t>> ids;
    for (const auto& p : pages) {
      tiles.push_back(p.image.tiles);
      ids.push_back(p.input_ids);
    }
    const auto features = model_->image_features(torch::cat(tiles), options_.vision_chunk, trace);
    const auto [batch_ids, mask] = left_padded(ids, pad_id_);
    return model_->embed_sequence(model_->merge_inputs(batch_ids, features), mask, trace);
  });
}

torch::Tensor ColIdefics3Encoder::encode_id_batch(const std::vector<std::vector<std::int64_t>>& ids,
                                                  Trace* trace) const {
  return guarded("query encoding", [&] {
    c10::InferenceMode inference;
    const auto [batch_ids, mask] = left_padded(ids, pad_id_);
    return model_->embed_sequence(model_->merge_inputs(batch_ids, torch::empty({0, config_.text.hidden})), mask, trace);
  });
}

std::vector<core::PageEmbedding> ColIdefics3Encoder::encode_pages(std::span<const vision::PageImage> pages) {
  std::vector<core::PageEmbedding> out;
  out.reserve(pages.size());
  for (const auto& page : pages) {
    const PageInputs in = prepare_page(page);
    const auto vectors = encode_page_batch({in});
    core::PageEmbedding e;
    e.vectors = to_multivector(vectors[0]);
    e.grid = page_patch_grid(in.input_ids, config_.image_token_id, in.image.rows, in.image.cols, config_.image_seq_len);
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<core::MultiVector> ColIdefics3Encoder::encode_queries(std::span<const std::string> queries) {
  std::vector<core::MultiVector> out;
  out.reserve(queries.size());
  const auto batch = static_cast<std::size_t>(std::max(options_.query_batch, 1));
  for (std::size_t begin = 0; begin < queries.size(); begin += batch) {
    std::vector<std::vector<std::int64_t>> ids;
    for (std::size_t i = begin; i < std::min(begin + batch, queries.size()); ++i) ids.push_back(query_ids(queries[i]));
    const auto vectors = encode_id_batch(ids);
    for (std::size_t i = 0; i < ids.size(); ++i) {
      const auto n = static_cast<std::int64_t>(ids[i].size());
      out.push_back(to_multivector(vectors[static_cast<std::int64_t>(i)].narrow(0, vectors.size(1) - n, n)));
    }
  }
  return out;
}

std::unique_ptr<Encoder> make_colidefics3_encoder(const fs::path& dir) {
  return std::make_unique<ColIdefics3Encoder>(dir);
}

}  // namespace patchwise::models::idefics3
