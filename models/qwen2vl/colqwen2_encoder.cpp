#include "models/qwen2vl/colqwen2_encoder.h"

#include <algorithm>
#include <utility>

#include "core/error.h"
#include "models/checkpoint/checkpoint.h"
#include "models/common/encoder_support.h"
#include "models/qwen2vl/prompt.h"
#include "models/tokenizer/tokenizer.h"

namespace patchwise::models::qwen2vl {
namespace fs = std::filesystem;
namespace {

template <typename Fn>
auto guarded(const char* what, Fn&& fn) {
  return models::guarded("ColQwen2", what, std::forward<Fn>(fn));
}

const char* family_name(Variant v) { return v == Variant::qwen2_5_vl ? "colqwen2.5" : "colqwen2"; }

}  // namespace

ColQwen2Encoder::ColQwen2Encoder(const fs::path& dir, EncoderOptions options) : options_(options) {
  LoadOptions load_options;
  load_options.key_renames = checkpoint_key_renames();
  const Checkpoint checkpoint = Checkpoint::open(dir, load_options);
  config_ = load_config(checkpoint.is_adapter() ? dir : checkpoint.dir());
  tokenizer_ = Tokenizer::from_folder(checkpoint.dir());
  const auto image_id = tokenizer_->token_to_id(kImagePadToken);
  if (!image_id) throw Error((checkpoint.dir() / "tokenizer.json").string() + " has no token <|image_pad|>");
  if (*image_id != config_.image_token_id) {
    throw Error(checkpoint.dir().string() + ": config.json image_token_id " + std::to_string(config_.image_token_id) +
                " is not the tokenizer's <|image_pad|> id " + std::to_string(*image_id));
  }
  // The processor pads with <|endoftext|> (also the query augmentation token).
  const auto pad = tokenizer_->token_to_id("<|endoftext|>");
  pad_id_ = pad ? *pad : 0;
  model_ = guarded("loading", [&] { return std::make_unique<Model>(checkpoint, config_, options_.dtype); });
  config_ = model_->config();
  info_ = {display_name(dir), family_name(config_.variant), static_cast<std::size_t>(config_.projection_dim),
           encoder_fingerprint(checkpoint, describe_settings(config_)), parameter_count(checkpoint),
           transformer::precision_name(options_.dtype)};
}

std::optional<std::size_t> ColQwen2Encoder::vectors_per_page(int width_px, int height_px) const {
  if (width_px <= 0 || height_px <= 0) return std::nullopt;
  const auto& pre = config_.preprocess;
  const Size size = smart_resize({width_px, height_px}, pre.factor(), pre.min_pixels, pre.max_pixels);
  const int image_tokens = (size.width / pre.factor()) * (size.height / pre.factor());
  return tokenize(document_prompt(config_.prompts, image_tokens)).size();
}

ColQwen2Encoder::~ColQwen2Encoder() = default;

std::vector<std::int64_t> ColQwen2Encoder::tokenize(const std::string& text) const {
  const auto ids = tokenizer_->encode(text, /*add_special_tokens=*/false);
  return {ids.begin(), ids.end()};
}

PageInputs ColQwen2Encoder::prepare_page(const vision::PageImage& page) const {
  PageInputs in;
  in.image = prepare_image(to_image8(page), config_.preprocess);
  const int merge = config_.preprocess.merge;
  in.input_ids = tokenize(document_prompt(config_.prompts, in.image.grid.patches() / (merge * merge)));
  return in;
}

std::vector<std::int64_t> ColQwen2Encoder::query_ids(const std::string& query) const {
  return tokenize(query_prompt(config_.prompts, query));
}

torch::Tensor ColQwen2Encoder::encode_page_batch(const std::vector<PageInputs>& pages, Trace* trace) const {
  return guarded("page encoding", [&] {
    c10::InferenceMode inference;
    std::vector<torch::Tensor> patches;
    std::vector<Grid> grids;
    std::vector<std::vector<std::int64_t>> ids;
    for (const auto& p : pages) {
      patches.push_back(p.image.patches);
      grids.push_back(p.image.grid);
      ids.push_back(p.input_ids);
    }
    const auto features = model_->image_features(torch::cat(patches), grids, trace);
    const auto [batch_ids, mask] = padded_batch(ids, pad_id_, PaddingSide::left);
    return model_->embed_sequence(batch_ids, mask, features, grids, trace);
  });
}

torch::Tensor ColQwen2Encoder::encode_id_batch(const std::vector<std::vector<std::int64_t>>& ids, Trace* trace) const {
  return guarded("query encoding", [&] {
    c10::InferenceMode inference;
    const auto [batch_ids, mask] = padded_batch(ids, pad_id_, PaddingSide::left);
    return model_->embed_sequence(batch_ids, mask, torch::empty({0, config_.text.hidden}), {}, trace);
  });
}

std::vector<core::PageEmbedding> ColQwen2Encoder::encode_pages(std::span<const vision::PageImage> pages) {
  std::vector<core::PageEmbedding> out;
  out.reserve(pages.size());
  const int merge = config_.preprocess.merge;
  for (const auto& page : pages) {
    const PageInputs in = prepare_page(page);
    const auto vectors = encode_page_batch({in});
    core::PageEmbedding e;
    e.vectors = to_multivector(vectors[0]);
    e.grid = page_patch_grid(in.input_ids, config_.image_token_id, in.image.grid.rows / merge,
                             in.image.grid.cols / merge);
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<core::MultiVector> ColQwen2Encoder::encode_queries(std::span<const std::string> queries) {
  return encode_queries_in_batches(
      queries, options_.query_batch, [&](const std::string& q) { return query_ids(q); },
      [&](const std::vector<std::vector<std::int64_t>>& ids) { return encode_id_batch(ids); }, PaddingSide::left);
}

std::unique_ptr<Encoder> make_colqwen2_encoder(const fs::path& dir, torch::ScalarType dtype) {
  EncoderOptions options;
  options.dtype = dtype;
  return std::make_unique<ColQwen2Encoder>(dir, options);
}

}  // namespace patchwise::models::qwen2vl
