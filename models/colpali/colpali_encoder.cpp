#include "models/colpali/colpali_encoder.h"

#include <algorithm>

#include "core/error.h"
#include "models/checkpoint/checkpoint.h"
#include "models/colpali/preprocess.h"
#include "models/colpali/prompt.h"
#include "models/common/encoder_support.h"
#include "models/tokenizer/tokenizer.h"

namespace patchwise::models::colpali {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view kFamily = "ColPali";

Checkpoint open_checkpoint(const fs::path& dir) {
  LoadOptions options;
  options.key_renames = weight_renames();
  return Checkpoint::open(dir, options);
}

}  // namespace

ColPaliEncoder::ColPaliEncoder(const fs::path& dir, EncoderOptions options) : options_(options) {
  const Checkpoint checkpoint = open_checkpoint(dir);
  config_ = load_config(dir, checkpoint.dir());
  // An adapter folder may carry its own tokenizer; else the base checkpoint's.
  const fs::path tokenizer_json =
      fs::exists(dir / "tokenizer.json") ? dir / "tokenizer.json" : checkpoint.dir() / "tokenizer.json";
  tokenizer_ = Tokenizer::from_file(tokenizer_json);
  const auto image_id = tokenizer_->token_to_id(kImageToken);
  if (!image_id || *image_id != config_.image_token_id) {
    throw Error(checkpoint.dir().string() + ": the tokenizer's <image> id " +
                (image_id ? std::to_string(*image_id) : std::string("(none)")) + " is not config.json's " +
                std::to_string(config_.image_token_id));
  }
  if (!tokenizer_->token_to_id(kBosToken)) throw Error(checkpoint.dir().string() + ": the tokenizer has no <bos>");
  pad_id_ = tokenizer_->token_to_id("<pad>").value_or(0);
  model_ = guarded(kFamily, "loading", [&] { return std::make_unique<Model>(checkpoint, config_, options_.dtype); });
  info_ = {display_name(dir),
           "colpali",
           static_cast<std::size_t>(config_.projection_dim),
           encoder_fingerprint(checkpoint, describe_settings(config_), tokenizer_json),
           parameter_count(checkpoint),
           transformer::precision_name(options_.dtype)};
}

std::optional<std::size_t> ColPaliEncoder::vectors_per_page(int width_px, int height_px) const {
  if (width_px <= 0 || height_px <= 0) return std::nullopt;
  return tokenize(document_prompt(config_.prompts, config_.image_seq_len)).size();
}

ColPaliEncoder::~ColPaliEncoder() = default;

std::vector<std::int64_t> ColPaliEncoder::tokenize(const std::string& text) const {
  // PaliGemmaProcessor turns the tokenizer's own BOS/EOS off: only the prompt's <bos> count.
  const auto ids = tokenizer_->encode(text, /*add_special_tokens=*/false);
  return {ids.begin(), ids.end()};
}

PageInputs ColPaliEncoder::prepare_page(const vision::PageImage& page) const {
  return {prepare_pixels(to_image8(page), config_.preprocess),
          tokenize(document_prompt(config_.prompts, config_.image_seq_len))};
}

std::vector<std::int64_t> ColPaliEncoder::query_ids(const std::string& query) const {
  return tokenize(query_prompt(config_.prompts, query));
}

torch::Tensor ColPaliEncoder::encode_page_batch(const std::vector<PageInputs>& pages, Trace* trace) const {
  return guarded(kFamily, "page encoding", [&] {
    c10::InferenceMode inference;
    std::vector<torch::Tensor> pixels;
    std::vector<std::vector<std::int64_t>> ids;
    for (const auto& p : pages) {
      pixels.push_back(p.pixels);
      ids.push_back(p.input_ids);
    }
    const auto features = model_->image_features(torch::stack(pixels), trace);
    const auto [batch_ids, mask] = padded_batch(ids, pad_id_, PaddingSide::right);
    return model_->embed_sequence(model_->merge_inputs(batch_ids, features), mask, trace);
  });
}

torch::Tensor ColPaliEncoder::encode_id_batch(const std::vector<std::vector<std::int64_t>>& ids, Trace* trace) const {
  return guarded(kFamily, "query encoding", [&] {
    c10::InferenceMode inference;
    const auto [batch_ids, mask] = padded_batch(ids, pad_id_, PaddingSide::right);
    const auto no_images = torch::empty({0, config_.text.hidden});
    return model_->embed_sequence(model_->merge_inputs(batch_ids, no_images), mask, trace);
  });
}

std::vector<core::PageEmbedding> ColPaliEncoder::encode_pages(std::span<const vision::PageImage> pages) {
  std::vector<core::PageEmbedding> out;
  out.reserve(pages.size());
  for (const auto& page : pages) {
    const PageInputs in = prepare_page(page);
    core::PageEmbedding e;
    e.vectors = to_multivector(encode_page_batch({in})[0]);
    e.grid = page_patch_grid(in.input_ids, config_.image_token_id, config_.vision.patches_per_side());
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<core::MultiVector> ColPaliEncoder::encode_queries(std::span<const std::string> queries) {
  return encode_queries_in_batches(
      queries, options_.query_batch, [&](const std::string& q) { return query_ids(q); },
      [&](const std::vector<std::vector<std::int64_t>>& ids) { return encode_id_batch(ids); }, PaddingSide::right);
}

std::unique_ptr<Encoder> make_colpali_encoder(const fs::path& dir, torch::ScalarType dtype) {
  EncoderOptions options;
  options.dtype = dtype;
  return std::make_unique<ColPaliEncoder>(dir, options);
}

}  // namespace patchwise::models::colpali
