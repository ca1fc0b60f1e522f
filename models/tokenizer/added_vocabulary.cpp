#include "models/tokenizer/added_vocabulary.h"

#include "core/error.h"
#include "models/tokenizer/regex.h"

namespace patchwise::models {
namespace {

AddedToken parse_token(const nlohmann::json& entry, std::size_t index) {
  const auto where = "added_tokens[" + std::to_string(index) + "]";
  if (!entry.is_object()) throw Error(where + " is not an object");
  const auto id = entry.find("id");
  const auto content = entry.find("content");
  if (id == entry.end() || !id->is_number_integer() || id->get<std::int64_t>() < 0 ||
      id->get<std::int64_t>() > 50'000'000) {
    throw Error(where + " has no valid \"id\"");
  }
  if (content == entry.end() || !content->is_string() || content->get_ref<const std::string&>().empty()) {
    throw Error(where + " has no non-empty \"content\"");
  }
  AddedToken token;
  token.id = static_cast<std::int32_t>(id->get<std::int64_t>());
  token.content = content->get<std::string>();
  const auto flag = [&](const char* key, bool fallback) {
    const auto it = entry.find(key);
    if (it == entry.end() || it->is_null()) return fallback;
    if (!it->is_boolean()) throw Error(where + ": \"" + key + "\" must be true or false");
    return it->get<bool>();
  };
  token.special = flag("special", false);
  token.lstrip = flag("lstrip", false);
  token.rstrip = flag("rstrip", false);
  token.single_word = flag("single_word", false);
  token.normalized = flag("normalized", !token.special);
  return token;
}

const Regex& word_at_end() {
  static const Regex r(R"(\w\z)", Regex::Flavor::RustRegex);
  return r;
}
const Regex& word_at_start() {
  static const Regex r(R"(^\w)", Regex::Flavor::RustRegex);
  return r;
}
const Regex& spaces_at_end() {
  static const Regex r(R"(\s*\z)", Regex::Flavor::RustRegex);
  return r;
}
const Regex& spaces_at_start() {
  static const Regex r(R"(^\s*)", Regex::Flavor::RustRegex);
  return r;
}

}  // namespace

void AddedVocabulary::Trie::insert(std::string_view pattern, std::size_t token) {
  std::size_t node = 0;
  for (const char ch : pattern) {
    const auto byte = static_cast<unsigned char>(ch);
    auto it = nodes[node].children.find(byte);
    if (it == nodes[node].children.end()) {
      nodes.push_back(Node{});
      it = nodes[node].children.emplace(byte, nodes.size() - 1).first;
    }
    node = it->second;
  }
  if (!nodes[node].token) nodes[node].token = token;
}

std::optional<std::pair<std::size_t, std::size_t>> AddedVocabulary::Trie::longest_at(std::string_view text,
                                                                                     std::size_t pos) const {
  std::optional<std::pair<std::size_t, std::size_t>> best;
  std::size_t node = 0;
  for (std::size_t i = pos; i < text.size(); ++i) {
    const auto it = nodes[node].children.find(static_cast<unsigned char>(text[i]));
    if (it == nodes[node].children.end()) break;
    node = it->second;
    if (nodes[node].token) best = std::pair{i + 1 - pos, *nodes[node].token};
  }
  return best;
}

AddedVocabulary::AddedVocabulary(const nlohmann::json& added_tokens, const TextNormalizer* normalizer) {
  if (added_tokens.is_null()) return;
  if (!added_tokens.is_array()) throw Error("\"added_tokens\" must be an array");
  for (std::size_t i = 0; i < added_tokens.size(); ++i) {
    auto token = parse_token(added_tokens[i], i);
    if (by_content_.contains(token.content)) continue;  // the first definition wins
    const auto index = tokens_.size();
    by_content_.emplace(token.content, index);
    by_id_.emplace(token.id, index);
    max_id_ = std::max(max_id_, token.id);
    if (token.normalized) {
      const auto pattern = normalizer ? normalizer->apply(token.content) : token.content;
      if (!pattern.empty()) normalized_trie_.insert(pattern, index);
    } else {
      raw_trie_.insert(token.content, index);
    }
    tokens_.push_back(std::move(token));
  }
}

std::vector<AddedVocabulary::Segment> AddedVocabulary::split(std::string_view text, bool raw_tokens) const {
  const Trie& trie = raw_tokens ? raw_trie_ : normalized_trie_;
  std::vector<Segment> segments;
  std::size_t start_offset = 0;
  const auto emit_text = [&](std::size_t begin, std::size_t end) {
    if (end > begin) segments.push_back({std::string(text.substr(begin, end - begin)), std::nullopt});
  };
  // Non-overlapping leftmost-longest matches first; the flags then filter and widen them.
  for (std::size_t pos = 0; pos < text.size();) {
    const auto match = trie.nodes.size() > 1 ? trie.longest_at(text, pos) : std::nullopt;
    if (!match) {
      ++pos;
      continue;
    }
    std::size_t start = pos;
    std::size_t stop = pos + match->first;
    pos = stop;
    const AddedToken& token = tokens_[match->second];
    if (token.single_word) {
      const bool start_ok = start == 0 || !word_at_end().search(text.substr(0, start));
      const bool stop_ok = stop == text.size() || !word_at_start().search(text.substr(stop));
      if (!start_ok || !stop_ok) continue;
    }
    if (token.lstrip) {
      const auto spaces = spaces_at_end().find(text.substr(0, start));
      start = std::max(spaces ? spaces->first : start, start_offset);
    }
    if (token.rstrip) {
      const auto spaces = spaces_at_start().find(text.substr(stop));
      stop += spaces ? spaces->second : 0;
    }
    emit_text(start_offset, start);
    segments.push_back({std::string(text.substr(start, stop - start)), token.id});
    start_offset = stop;
    pos = std::max(pos, stop);
  }
  emit_text(start_offset, text.size());
  return segments;
}

std::optional<std::int32_t> AddedVocabulary::token_to_id(std::string_view token) const {
  const auto it = by_content_.find(std::string(token));
  if (it == by_content_.end()) return std::nullopt;
  return tokens_[it->second].id;
}

const AddedToken* AddedVocabulary::token(std::int32_t id) const {
  const auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &tokens_[it->second];
}

}  // namespace patchwise::models
