#include "models/tokenizer/bpe_model.h"

#include <cstdio>
#include <queue>

#include "core/error.h"
#include "models/tokenizer/unicode_text.h"

namespace patchwise::models {
namespace {

std::string optional_string(const nlohmann::json& spec, const char* key) {
  const auto it = spec.find(key);
  if (it == spec.end() || it->is_null()) return {};
  if (!it->is_string()) throw Error(std::string("model: \"") + key + "\" must be a string or null");
  return it->get<std::string>();
}

std::pair<std::string, std::string> parse_merge(const nlohmann::json& merge, std::size_t index) {
  if (merge.is_string()) {
    const auto& text = merge.get_ref<const std::string&>();
    const auto space = text.find(' ');
    if (space == std::string::npos || text.find(' ', space + 1) != std::string::npos) {
      throw Error("model: merge #" + std::to_string(index) + " \"" + text + "\" is not two tokens separated by one space");
    }
    return {text.substr(0, space), text.substr(space + 1)};
  }
  if (merge.is_array() && merge.size() == 2 && merge[0].is_string() && merge[1].is_string()) {
    return {merge[0].get<std::string>(), merge[1].get<std::string>()};
  }
  throw Error("model: merge #" + std::to_string(index) + " is neither \"a b\" nor [\"a\", \"b\"]");
}

// A queued merge candidate; the smallest rank wins, then the leftmost position.
struct Candidate {
  std::int32_t rank;
  std::int32_t pos;
  std::int32_t result;
  bool operator>(const Candidate& other) const {
    return rank != other.rank ? rank > other.rank : pos > other.pos;
  }
};

}  // namespace

BpeModel::BpeModel(const nlohmann::json& spec) {
  if (!spec.is_object()) throw Error("\"model\" is not a JSON object");
  const auto type = spec.value("type", std::string("BPE"));
  if (type != "BPE") throw Error("unsupported model type \"" + type + "\" (only BPE is implemented)");
  if (const auto d = spec.find("dropout"); d != spec.end() && !d->is_null() && d->is_number() && d->get<double>() > 0) {
    throw Error("model: BPE dropout is not supported for inference");
  }
  const auto vocab = spec.find("vocab");
  if (vocab == spec.end() || !vocab->is_object()) throw Error("model: \"vocab\" must be an object of token -> id");
  for (const auto& [token, id] : vocab->items()) {
    if (!id.is_number_integer() || id.get<std::int64_t>() < 0 || id.get<std::int64_t>() > 50'000'000) {
      throw Error("model: vocab entry \"" + token + "\" has no valid id");
    }
    const auto value = static_cast<std::int32_t>(id.get<std::int64_t>());
    vocab_[token] = value;
    if (id_to_token_.size() <= static_cast<std::size_t>(value)) id_to_token_.resize(static_cast<std::size_t>(value) + 1);
    id_to_token_[static_cast<std::size_t>(value)] = token;
  }
  continuing_subword_prefix_ = optional_string(spec, "continuing_subword_prefix");
  end_of_word_suffix_ = optional_string(spec, "end_of_word_suffix");
  fuse_unk_ = spec.value("fuse_unk", false);
  byte_fallback_ = spec.value("byte_fallback", false);
  ignore_merges_ = spec.value("ignore_merges", false);
  if (const auto unk = optional_string(spec, "unk_token"); !unk.empty()) {
    const auto it = vocab_.find(unk);
    if (it == vocab_.end()) throw Error("model: unk_token \"" + unk + "\" is not in the vocabulary");
    unk_id_ = it->second;
  }

  const auto merges = spec.find("merges");
  if (merges == spec.end() || merges->is_null()) return;
  if (!merges->is_array()) throw Error("model: \"merges\" must be an array");
  for (std::size_t i = 0; i < merges->size(); ++i) {
    const auto [a, b] = parse_merge((*merges)[i], i);
    const auto ia = vocab_.find(a);
    const auto ib = vocab_.find(b);
    const std::string joined = a + (b.starts_with(continuing_subword_prefix_) ? b.substr(continuing_subword_prefix_.size()) : b);
    const auto ij = vocab_.find(joined);
    if (ia == vocab_.end() || ib == vocab_.end() || ij == vocab_.end()) {
      throw Error("model: merge #" + std::to_string(i) + " (\"" + a + "\", \"" + b + "\") uses a token missing from the vocabulary");
    }
    // A repeated pair takes its last rank, as the reference's map construction does.
    merges_[pair_key(ia->second, ib->second)] = Merge{static_cast<std::int32_t>(i), ij->second};
  }
}

std::optional<std::int32_t> BpeModel::token_to_id(std::string_view token) const {
  const auto it = vocab_.find(std::string(token));
  if (it == vocab_.end()) return std::nullopt;
  return it->second;
}

const std::string* BpeModel::id_to_token(std::int32_t id) const {
  if (id < 0 || static_cast<std::size_t>(id) >= id_to_token_.size()) return nullptr;
  const auto& token = id_to_token_[static_cast<std::size_t>(id)];
  return vocab_.contains(token) && vocab_.at(token) == id ? &token : nullptr;
}

std::vector<BpeModel::Symbol> BpeModel::initial_symbols(std::string_view word) const {
  std::vector<Symbol> symbols;
  // An unknown run not yet emitted (fused with following unknowns when fuse_unk).
  bool unk_pending = false;
  std::size_t unk_length = 0;
  const auto push = [&symbols](std::int32_t id, std::size_t length) {
    const auto index = static_cast<std::int32_t>(symbols.size());
    symbols.push_back({id, index - 1, -1, length});
    if (index > 0) symbols[static_cast<std::size_t>(index) - 1].next = index;
  };
  const auto chars = unicode::characters(word);
  for (std::size_t i = 0; i < chars.size(); ++i) {
    std::string piece(chars[i]);
    if (i > 0) piece.insert(0, continuing_subword_prefix_);
    if (i + 1 == chars.size()) piece += end_of_word_suffix_;
    if (const auto it = vocab_.find(piece); it != vocab_.end()) {
      if (unk_pending) push(*unk_id_, unk_length), unk_pending = false;
      push(it->second, chars[i].size());
      continue;
    }
    if (byte_fallback_) {
      std::vector<std::int32_t> bytes;
      for (const char ch : piece) {
        char name[8];
        std::snprintf(name, sizeof(name), "<0x%02X>", static_cast<unsigned char>(ch));
        const auto it = vocab_.find(name);
        if (it == vocab_.end()) break;
        bytes.push_back(it->second);
      }
      if (bytes.size() == piece.size()) {
        if (unk_pending) push(*unk_id_, unk_length), unk_pending = false;
        for (const auto id : bytes) push(id, 1);
        continue;
      }
    }
    if (!unk_id_) continue;  // no unknown token: the character is dropped, as in the reference
    if (unk_pending && fuse_unk_) {
      unk_length += chars[i].size();
    } else {
      if (unk_pending) push(*unk_id_, unk_length);
      unk_pending = true;
      unk_length = chars[i].size();
    }
  }
  if (unk_pending) push(*unk_id_, unk_length);
  return symbols;
}

// The reference's merge loop: a min-queue of (rank, position); stale entries are skipped
// by checking that the pair now at the position still produces the queued result.
void BpeModel::apply_merges(std::vector<Symbol>& symbols) const {
  std::priority_queue<Candidate, std::vector<Candidate>, std::greater<>> queue;
  const auto consider = [&](std::int32_t pos) {
    const auto& left = symbols[static_cast<std::size_t>(pos)];
    if (left.next < 0) return;
    const auto it = merges_.find(pair_key(left.id, symbols[static_cast<std::size_t>(left.next)].id));
    if (it != merges_.end()) queue.push({it->second.rank, pos, it->second.result});
  };
  for (std::int32_t i = 0; i + 1 < static_cast<std::int32_t>(symbols.size()); ++i) consider(i);
  while (!queue.empty()) {
    const Candidate top = queue.top();
    queue.pop();
    auto& left = symbols[static_cast<std::size_t>(top.pos)];
    if (left.length == 0 || left.next < 0) continue;
    const auto right_pos = left.next;
    auto& right = symbols[static_cast<std::size_t>(right_pos)];
    const auto it = merges_.find(pair_key(left.id, right.id));
    if (it == merges_.end() || it->second.result != top.result) continue;
    left.id = top.result;
    left.length += right.length;
    left.next = right.next;
    right.length = 0;
    if (left.next >= 0) symbols[static_cast<std::size_t>(left.next)].prev = top.pos;
    if (left.prev >= 0) consider(left.prev);
    consider(top.pos);
  }
}

void BpeModel::tokenize(std::string_view word, std::vector<std::int32_t>& out) const {
  if (word.empty()) return;
  if (ignore_merges_) {
    if (const auto it = vocab_.find(std::string(word)); it != vocab_.end()) {
      out.push_back(it->second);
      return;
    }
  }
  auto symbols = initial_symbols(word);
  apply_merges(symbols);
  for (const auto& s : symbols) {
    if (s.length > 0) out.push_back(s.id);
  }
}

}  // namespace patchwise::models
