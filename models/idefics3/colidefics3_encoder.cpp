#include "models/idefics3/colidefics3_encoder.h"

#include <algorithm>
#include <utility>

#include "core/error.h"
#include "models/checkpoint/checkpoint.h"
#include "models/common/encoder_support.h"
#include "models/idefics3/prompt.h"
#include "models/tokenizer/tokenizer.h"

namespace patchwise::models::idefics3 {
namespace fs = std::filesystem;

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
  model_ = guarded("ColIdefics3", "loading", [&] { return std::make_unique<Model>(checkpoint, config_, options_.dtype); });
  config_ = model_->config();

  info_ = {display_name(dir), "colidefics3", static_cast<std::size_t>(config_.projection_dim),
           encoder_fingerprint(checkpoint, describe_settings(config_)),
           parameter_count(checkpoint), transformer::precision_name(options_.dtype)};
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
  return guarded("ColIdefics3", "page encoding", [&] {
    c10::InferenceMode inference;
    std::vector<torch::Tensor> tiles;
    std::vector<std::vector<std::int64_t>> ids;
    for (const auto& p : pages) {
      tiles.push_back(p.image.tiles);
      ids.push_back(p.input_ids);
    }
    const auto features = model_->image_features(torch::cat(tiles), options_.vision_chunk, trace);
    const auto [batch_ids, mask] = padded_batch(ids, pad_id_, PaddingSide::left);
    return model_->embed_sequence(model_->merge_inputs(batch_ids, features), mask, trace);
  });
}

torch::Tensor ColIdefics3Encoder::encode_id_batch(const std::vector<std::vector<std::int64_t>>& ids,
                                                  Trace* trace) const {
  return guarded("ColIdefics3", "query encoding", [&] {
    c10::InferenceMode inference;
    const auto [batch_ids, mask] = padded_batch(ids, pad_id_, PaddingSide::left);
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
  return encode_queries_in_batches(
      queries, options_.query_batch, [&](const std::string& q) { return query_ids(q); },
      [&](const std::vector<std::vector<std::int64_t>>& ids) { return encode_id_batch(ids); }, PaddingSide::left);
}

std::unique_ptr<Encoder> make_colidefics3_encoder(const fs::path& dir) {
  return std::make_unique<ColIdefics3Encoder>(dir);
}

}  // namespace patchwise::models::idefics3
