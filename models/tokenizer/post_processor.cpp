#include "models/tokenizer/post_processor.h"

#include <map>
#include <string>

#include "core/error.h"
#include "models/tokenizer/json_fields.h"

namespace patchwise::models {
namespace {

// One item of a template: either the sequence itself or a special token's ids.
struct TemplateItem {
  bool is_sequence = false;
  std::vector<std::int32_t> ids;
};

class Template final : public PostProcessor {
 public:
  explicit Template(std::vector<TemplateItem> items) : items_(std::move(items)) {}
  std::vector<std::int32_t> single(std::vector<std::int32_t> ids) const override {
    std::vector<std::int32_t> out;
    for (const auto& item : items_) {
      if (item.is_sequence) out.insert(out.end(), ids.begin(), ids.end());
      else out.insert(out.end(), item.ids.begin(), item.ids.end());
    }
    return out;
  }

 private:
  std::vector<TemplateItem> items_;
};

class Identity final : public PostProcessor {
 public:
  std::vector<std::int32_t> single(std::vector<std::int32_t> ids) const override { return ids; }
};

class Chain final : public PostProcessor {
 public:
  explicit Chain(std::vector<std::unique_ptr<PostProcessor>> steps) : steps_(std::move(steps)) {}
  std::vector<std::int32_t> single(std::vector<std::int32_t> ids) const override {
    for (const auto& step : steps_) ids = step->single(std::move(ids));
    return ids;
  }

 private:
  std::vector<std::unique_ptr<PostProcessor>> steps_;
};

std::int32_t to_id(const nlohmann::json& value, const std::string& what) {
  if (!value.is_number_integer() || value.get<std::int64_t>() < 0 || value.get<std::int64_t>() > 50'000'000) {
    throw Error("post_processor: " + what + " is not a valid id");
  }
  return static_cast<std::int32_t>(value.get<std::int64_t>());
}

std::unique_ptr<PostProcessor> make_template(const nlohmann::json& spec) {
  std::map<std::string, std::vector<std::int32_t>> specials;
  if (const auto it = spec.find("special_tokens"); it != spec.end() && it->is_object()) {
    for (const auto& [name, entry] : it->items()) {
      const auto& ids = json_fields::array(entry, "ids", "post_processor special token '" + name + "'");
      auto& list = specials[name];
      for (const auto& id : ids) list.push_back(to_id(id, "special token '" + name + "'"));
    }
  }
  std::vector<TemplateItem> items;
  for (const auto& piece : json_fields::array(spec, "single", "post_processor TemplateProcessing")) {
    if (piece.contains("Sequence")) {
      items.push_back({true, {}});
    } else if (const auto s = piece.find("SpecialToken"); s != piece.end() && s->is_object()) {
      const auto name = json_fields::string(*s, "id", "post_processor SpecialToken");
      const auto found = specials.find(name);
      if (found == specials.end()) throw Error("post_processor: template names special token '" + name + "' it does not define");
      items.push_back({false, found->second});
    } else {
      throw Error("post_processor: template item is neither Sequence nor SpecialToken");
    }
  }
  return std::make_unique<Template>(std::move(items));
}

// RobertaProcessing / BertProcessing: "cls": [token, id], "sep": [token, id] around A.
std::unique_ptr<PostProcessor> make_cls_sep(const nlohmann::json& spec, const std::string& type) {
  const auto id_of = [&](const char* key) {
    const auto it = spec.find(key);
    if (it == spec.end() || !it->is_array() || it->size() != 2) {
      throw Error("post_processor " + type + ": \"" + key + "\" must be [token, id]");
    }
    return to_id((*it)[1], key);
  };
  std::vector<TemplateItem> items{{false, {id_of("cls")}}, {true, {}}, {false, {id_of("sep")}}};
  return std::make_unique<Template>(std::move(items));
}

}  // namespace

std::unique_ptr<PostProcessor> make_post_processor(const nlohmann::json& spec) {
  if (spec.is_null()) return nullptr;
  const auto type = json_fields::type_of(spec, "post_processor");
  if (type == "TemplateProcessing") return make_template(spec);
  if (type == "RobertaProcessing" || type == "BertProcessing") return make_cls_sep(spec, type);
  if (type == "ByteLevel") return std::make_unique<Identity>();
  if (type == "Sequence") {
    std::vector<std::unique_ptr<PostProcessor>> steps;
    for (const auto& step : json_fields::array(spec, "processors", "post_processor Sequence")) {
      if (auto p = make_post_processor(step)) steps.push_back(std::move(p));
    }
    return std::make_unique<Chain>(std::move(steps));
  }
  throw Error("unsupported post_processor type \"" + type + "\"");
}

}  // namespace patchwise::models
