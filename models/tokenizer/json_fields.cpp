#include "models/tokenizer/json_fields.h"

#include "core/error.h"

namespace patchwise::models::json_fields {

std::string type_of(const nlohmann::json& spec, std::string_view what) {
  if (!spec.is_object()) throw Error(std::string(what) + " is not a JSON object");
  const auto it = spec.find("type");
  if (it == spec.end() || !it->is_string()) throw Error(std::string(what) + " has no \"type\" string");
  return it->get<std::string>();
}

std::string string(const nlohmann::json& spec, std::string_view key, std::string_view what) {
  const auto it = spec.find(key);
  if (it == spec.end() || !it->is_string()) {
    throw Error(std::string(what) + ": field \"" + std::string(key) + "\" must be a string");
  }
  return it->get<std::string>();
}

bool boolean(const nlohmann::json& spec, std::string_view key, bool fallback) {
  const auto it = spec.find(key);
  if (it == spec.end() || it->is_null()) return fallback;
  if (!it->is_boolean()) throw Error("field \"" + std::string(key) + "\" must be true or false");
  return it->get<bool>();
}

const nlohmann::json& array(const nlohmann::json& spec, std::string_view key, std::string_view what) {
  const auto it = spec.find(key);
  if (it == spec.end() || !it->is_array()) {
    throw Error(std::string(what) + ": field \"" + std::string(key) + "\" must be an array");
  }
  return *it;
}

Regex pattern(const nlohmann::json& spec, std::string_view what) {
  const auto it = spec.find("pattern");
  if (it == spec.end() || !it->is_object()) {
    throw Error(std::string(what) + ": \"pattern\" must be {\"String\": ...} or {\"Regex\": ...}");
  }
  if (const auto s = it->find("String"); s != it->end() && s->is_string()) return Regex::literal(s->get<std::string>());
  if (const auto r = it->find("Regex"); r != it->end() && r->is_string()) return Regex(r->get<std::string>());
  throw Error(std::string(what) + ": \"pattern\" must be {\"String\": ...} or {\"Regex\": ...}");
}

}  // namespace patchwise::models::json_fields
