#include "models/idefics3/tiled_encoder.h"

#include <utility>

#include "core/error.h"
#include "models/checkpoint/checkpoint.h"
#include "models/common/encoder_support.h"
#include "models/idefics3/prompt.h"
#include "models/tokenizer/tokenizer.h"

namespace patchwise::models::idefics3 {
namespace fs = std::filesystem;

TiledEncoder::TiledEncoder(EncoderOptions options) : options_(options) {}

TiledEncoder::~TiledEncoder() = default;

void TiledEncoder::finish_setup(const fs::path& dir, const Checkpoint& checkpoint,
                                std::unique_ptr<Tokenizer> tokenizer, const TiledNetwork& network, TiledSetup setup,
                                const std::string& settings) {
  for (const std::string_view token : {kImageToken, kFakeImageToken, kGlobalImageToken}) {
    if (!tokenizer->token_to_id(token)) {
      throw Error((checkpoint.dir() / "tokenizer.json").string() + " has no token " + std::string(token));
    }
  }
  if (*tokenizer->token_to_id(kImageToken) != setup.image_token_id) {
    throw Error(checkpoint.dir().string() + ": config.json image_token_id " + std::to_string(setup.image_token_id) +
                " is not the tokenizer's <image> id " + std::to_string(*tokenizer->token_to_id(kImageToken)));
  }
  info_ = {display_name(dir), setup.family, static_cast<std::size_t>(network.projection_dim()),
           encoder_fingerprint(checkpoint, settings), parameter_count(checkpoint),
           transformer::precision_name(options_.dtype)};
  tokenizer_ = std::move(tokenizer);
  network_ = &network;
  setup_ = std::move(setup);
}

std::vector<std::int64_t> TiledEncoder::tokenize(const std::string& text) const {
  const auto ids = tokenizer_->encode(text, setup_.add_special_tokens);
  return {ids.begin(), ids.end()};
}

PageInputs TiledEncoder::prepare_page(const vision::PageImage& page) const {
  PageInputs in;
  in.image = prepare_image(to_image8(page), setup_.preprocess);
  in.input_ids = tokenize(document_prompt(setup_.prompts, in.image.rows, in.image.cols, setup_.image_seq_len));
  return in;
}

std::optional<std::size_t> TiledEncoder::vectors_per_page(int width_px, int height_px) const {
  if (width_px <= 0 || height_px <= 0) return std::nullopt;
  const auto& pre = setup_.preprocess;
  int rows = 0;
  int cols = 0;
  if (pre.split_image) {
    const Size canvas = tile_multiple_size(longest_edge_size({width_px, height_px}, pre.longest_edge), pre.tile_size);
    if (canvas.width > pre.tile_size || canvas.height > pre.tile_size) {
      rows = (canvas.height + pre.tile_size - 1) / pre.tile_size;
      cols = (canvas.width + pre.tile_size - 1) / pre.tile_size;
    }
  }
  return tokenize(document_prompt(setup_.prompts, rows, cols, setup_.image_seq_len)).size();
}

std::vector<std::int64_t> TiledEncoder::query_ids(const std::string& query) const {
  return tokenize(query_prompt(setup_.prompts, query));
}

torch::Tensor TiledEncoder::encode_page_batch(const std::vector<PageInputs>& pages, Trace* trace) const {
  return guarded(setup_.name, "page encoding", [&] {
    c10::InferenceMode inference;
    std::vector<torch::Tensor> tiles;
    std::vector<std::vector<std::int64_t>> ids;
    for (const auto& p : pages) {
      tiles.push_back(p.image.tiles);
      ids.push_back(p.input_ids);
    }
    const auto features = network_->image_features(torch::cat(tiles), options_.vision_chunk, trace);
    const auto [batch_ids, mask] = padded_batch(ids, setup_.pad_id, PaddingSide::left);
    return network_->embed_sequence(network_->merge_inputs(batch_ids, features), mask, trace);
  });
}

torch::Tensor TiledEncoder::encode_id_batch(const std::vector<std::vector<std::int64_t>>& ids, Trace* trace) const {
  return guarded(setup_.name, "query encoding", [&] {
    c10::InferenceMode inference;
    const auto [batch_ids, mask] = padded_batch(ids, setup_.pad_id, PaddingSide::left);
    const auto no_features = torch::empty({0, network_->text_hidden()});
    return network_->embed_sequence(network_->merge_inputs(batch_ids, no_features), mask, trace);
  });
}

std::vector<core::PageEmbedding> TiledEncoder::encode_pages(std::span<const vision::PageImage> pages) {
  std::vector<core::PageEmbedding> out;
  out.reserve(pages.size());
  for (const auto& page : pages) {
    const PageInputs in = prepare_page(page);
    const auto vectors = encode_page_batch({in});
    core::PageEmbedding e;
    e.vectors = to_multivector(vectors[0]);
    e.grid = page_patch_grid(in.input_ids, setup_.image_token_id, in.image.rows, in.image.cols, setup_.image_seq_len);
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<core::MultiVector> TiledEncoder::encode_queries(std::span<const std::string> queries) {
  return encode_queries_in_batches(
      queries, options_.query_batch, [&](const std::string& q) { return query_ids(q); },
      [&](const std::vector<std::vector<std::int64_t>>& ids) { return encode_id_batch(ids); }, PaddingSide::left);
}

}  // namespace patchwise::models::idefics3
