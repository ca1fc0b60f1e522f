#include "models/common/config_fields.h"

#include "core/error.h"

namespace patchwise::models {

using nlohmann::json;

ConfigFields::ConfigFields(const json& j, std::string where) : j_(j), where_(std::move(where)) {
  if (!j_.is_object()) throw Error(where_ + ": expected a JSON object");
}

const json* ConfigFields::find(const char* key) const {
  auto it = j_.find(key);
  return it == j_.end() || it->is_null() ? nullptr : &*it;
}

int ConfigFields::positive_int(const char* key) const {
  const json* v = find(key);
  if (!v) throw Error(where_ + ": missing \"" + key + "\"");
  if (!v->is_number_integer() || v->get<long long>() <= 0 || v->get<long long>() > (1LL << 30)) {
    throw Error(where_ + ": \"" + key + "\" must be a positive integer, found " + v->dump());
  }
  return v->get<int>();
}

int ConfigFields::positive_int_or(const char* key, int fallback) const {
  return find(key) ? positive_int(key) : fallback;
}

double ConfigFields::positive_number_or(const char* key, double fallback) const {
  const json* v = find(key);
  if (!v) return fallback;
  if (!v->is_number() || !(v->get<double>() > 0)) {
    throw Error(where_ + ": \"" + key + "\" must be a positive number, found " + v->dump());
  }
  return v->get<double>();
}

bool ConfigFields::bool_or(const char* key, bool fallback) const {
  const json* v = find(key);
  if (!v) return fallback;
  if (!v->is_boolean()) throw Error(where_ + ": \"" + key + "\" must be true or false, found " + v->dump());
  return v->get<bool>();
}

std::string ConfigFields::string_or(const char* key, const std::string& fallback) const {
  const json* v = find(key);
  if (!v) return fallback;
  if (!v->is_string()) throw Error(where_ + ": \"" + key + "\" must be a string, found " + v->dump());
  return v->get<std::string>();
}

std::array<float, 3> ConfigFields::triple_or(const char* key, std::array<float, 3> fallback) const {
  const json* v = find(key);
  if (!v) return fallback;
  if (v->is_number()) return {v->get<float>(), v->get<float>(), v->get<float>()};
  if (!v->is_array() || v->size() != 3 || !(*v)[0].is_number() || !(*v)[1].is_number() || !(*v)[2].is_number()) {
    throw Error(where_ + ": \"" + key + "\" must be 3 numbers, found " + v->dump());
  }
  return {(*v)[0].get<float>(), (*v)[1].get<float>(), (*v)[2].get<float>()};
}

std::vector<int> ConfigFields::int_list_or(const char* key, std::vector<int> fallback) const {
  const json* v = find(key);
  if (!v) return fallback;
  std::vector<int> out;
  if (v->is_array()) {
    for (const auto& e : *v) {
      if (!e.is_number_integer() || e.get<long long>() < 0 || e.get<long long>() > (1LL << 30)) break;
      out.push_back(e.get<int>());
    }
    if (out.size() == v->size()) return out;
  }
  throw Error(where_ + ": \"" + key + "\" must be a list of non-negative integers, found " + v->dump());
}

ConfigFields ConfigFields::object(const char* key) const {
  const json* v = find(key);
  if (!v) throw Error(where_ + ": missing \"" + key + "\"");
  return ConfigFields(*v, where_ + " " + key);
}

void ConfigFields::read_rescale_and_normalize(double& rescale, std::array<float, 3>& mean,
                                              std::array<float, 3>& std) const {
  rescale = bool_or("do_rescale", true) ? positive_number_or("rescale_factor", rescale) : 1.0;
  if (bool_or("do_normalize", true)) {
    mean = triple_or("image_mean", mean);
    std = triple_or("image_std", std);
  } else {
    mean = {0, 0, 0};
    std = {1, 1, 1};
  }
  for (float s : std) {
    if (!(s > 0)) throw Error(where_ + ": image_std must be positive");
  }
}

}  // namespace patchwise::models
