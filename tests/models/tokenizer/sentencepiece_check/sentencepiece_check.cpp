// The colpali fixture's tokenizer.json, interpreted natively, gives the same ids as
// libsentencepiece on its tokenizer.model for every corpus string and fixture text (with the
// special-token markers removed: SentencePiece does not match control symbols in text).
// Exit status 0 when all agree; mismatches are printed.
#include <sentencepiece_processor.h>

#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/tokenizer/tokenizer.h"

namespace {

std::string without(std::string text, const std::string& marker) {
  for (auto p = text.find(marker); p != std::string::npos; p = text.find(marker)) text.erase(p, marker.size());
  return text;
}

std::vector<std::string> texts() {
  std::vector<std::string> out;
  std::ifstream corpus(std::string(PATCHWISE_DATA_DIR) + "/tokenizer_corpus.json");
  const auto corpus_json = nlohmann::json::parse(corpus);
  for (const auto& s : corpus_json.at("shared")) out.push_back(s.get<std::string>());
  std::ifstream strings(std::string(PATCHWISE_FIXTURES_DIR) + "/colpali/inputs/tokenizer_input_strings.json");
  const auto fixture_strings = nlohmann::json::parse(strings);
  for (const auto& key : {"image_prompts", "query_prompts"}) {
    for (const auto& s : fixture_strings.at(key)) out.push_back(without(without(without(s.get<std::string>(), "<image>"), "<bos>"), "<pad>"));
  }
  return out;
}

}  // namespace

int main() {
  const std::string dir = std::string(PATCHWISE_FIXTURES_DIR) + "/colpali";
  sentencepiece::SentencePieceProcessor sp;
  if (const auto status = sp.Load(dir + "/tokenizer.model"); !status.ok()) {
    std::cerr << "cannot load tokenizer.model: " << status.ToString() << "\n";
    return 2;
  }
  const auto native = patchwise::models::Tokenizer::from_folder(dir);
  int mismatches = 0, total = 0;
  for (const auto& text : texts()) {
    ++total;
    std::vector<int> reference;
    if (!sp.Encode(text, &reference).ok()) return 2;
    const auto ours = native->encode(text, false);
    if (std::vector<int>(ours.begin(), ours.end()) != reference) {
      ++mismatches;
      std::cout << "MISMATCH \"" << text << "\"\n  sentencepiece:";
      for (const int id : reference) std::cout << ' ' << id;
      std::cout << "\n  native:       ";
      for (const int id : ours) std::cout << ' ' << id;
      std::cout << '\n';
    }
  }
  std::cout << mismatches << " mismatches in " << total << " strings\n";
  return mismatches == 0 ? 0 : 1;
}
