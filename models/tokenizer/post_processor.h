#pragma once
// tokenizer.json "post_processor": the special tokens added around a sequence when
// add_special_tokens is requested (TemplateProcessing, RobertaProcessing, BertProcessing,
// ByteLevel (no id change), Sequence).
#include <cstdint>
#include <memory>
#include <vector>

#include <nlohmann/json.hpp>

namespace patchwise::models {

class PostProcessor {
 public:
  virtual ~PostProcessor() = default;
  // The ids of a single sequence with the special tokens around it.
  virtual std::vector<std::int32_t> single(std::vector<std::int32_t> ids) const = 0;
};

// nullptr for JSON null.
std::unique_ptr<PostProcessor> make_post_processor(const nlohmann::json& spec);

}  // namespace patchwise::models
