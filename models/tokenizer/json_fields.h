#pragma once
// Typed field access for tokenizer.json with errors that say which component and field
// is wrong (the caller prefixes the file name).
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "models/tokenizer/regex.h"

namespace patchwise::models::json_fields {

// spec["type"] as a string; `what` names the component ("normalizer").
std::string type_of(const nlohmann::json& spec, std::string_view what);
std::string string(const nlohmann::json& spec, std::string_view key, std::string_view what);
bool boolean(const nlohmann::json& spec, std::string_view key, bool fallback);
const nlohmann::json& array(const nlohmann::json& spec, std::string_view key, std::string_view what);
// {"String": "..."} (literal) or {"Regex": "..."} under "pattern".
Regex pattern(const nlohmann::json& spec, std::string_view what);

}  // namespace patchwise::models::json_fields
