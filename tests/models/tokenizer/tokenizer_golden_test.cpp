// Our ids equal Hugging Face's tokenizers library on a corpus of awkward strings (digits,
// CJK, emoji, tabs, NFD accents, long whitespace runs, special tokens inside text), with and
// without special tokens. Goldens: tests/data/models/tokenizer_golden_*.json, written by
// tests/models/tokenizer/reference/make_goldens.js.
#include <gtest/gtest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "models/tokenizer/regex.h"
#include "models/tokenizer/tokenizer.h"

namespace patchwise::models {
namespace {

const std::filesystem::path kData = std::filesystem::path(PATCHWISE_SOURCE_DIR) / "tests" / "data" / "models";

class TokenizerGolden : public ::testing::TestWithParam<const char*> {};

TEST_P(TokenizerGolden, IdsEqualHuggingFaceTokenizers) {
  std::ifstream in(kData / (std::string("tokenizer_golden_") + GetParam() + ".json"));
  ASSERT_TRUE(in) << "missing golden for " << GetParam();
  const auto golden = nlohmann::json::parse(in);
  const auto tokenizer = Tokenizer::from_folder(std::filesystem::path(PATCHWISE_FIXTURES_DIR) / GetParam());
  int mismatches = 0;
  for (const auto& c : golden.at("cases")) {
    const auto text = c.at("text").get<std::string>();
    const bool special = c.at("add_special_tokens").get<bool>();
    const auto expected = c.at("ids").get<std::vector<std::int32_t>>();
    const auto actual = tokenizer->encode(text, special);
    if (actual != expected) ++mismatches;
    EXPECT_EQ(actual, expected) << "text: \"" << text << "\" add_special_tokens=" << special;
  }
  EXPECT_EQ(mismatches, 0);
  EXPECT_GE(golden.at("cases").size(), 50u);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, TokenizerGolden,
                         ::testing::Values("colidefics3", "colqwen2", "colqwen2_5", "colpali", "colmodernvbert"),
                         [](const auto& info) { return std::string(info.param); });

// Hand-made tokenizer.json files (tests/data/models/synthetic_tokenizers/) cover components no
// fixture uses: single_word / rstrip / normalized added tokens, Prepend, Strip, StripAccents,
// Lowercase, NFKC, Metaspace with prepend_scheme "first", every split behaviour, Whitespace,
// Punctuation, BertPreTokenizer, unk with and without fuse, subword prefixes, Roberta / Bert /
// Sequence post-processors.
class SyntheticTokenizerGolden : public ::testing::TestWithParam<const char*> {};

TEST_P(SyntheticTokenizerGolden, IdsEqualHuggingFaceTokenizers) {
  std::ifstream in(kData / (std::string("tokenizer_golden_synthetic_") + GetParam() + ".json"));
  ASSERT_TRUE(in) << "missing golden for " << GetParam();
  const auto golden = nlohmann::json::parse(in);
  const auto tokenizer = Tokenizer::from_file(kData / "synthetic_tokenizers" / (std::string(GetParam()) + ".json"));
  for (const auto& c : golden.at("cases")) {
    const auto text = c.at("text").get<std::string>();
    const bool special = c.at("add_special_tokens").get<bool>();
    EXPECT_EQ(tokenizer->encode(text, special), c.at("ids").get<std::vector<std::int32_t>>())
        << "text: \"" << text << "\" add_special_tokens=" << special;
  }
}

INSTANTIATE_TEST_SUITE_P(Synthetic, SyntheticTokenizerGolden,
                         ::testing::Values("llama_sentencepiece", "normalizers_metaspace", "split_behaviors",
                                           "wordpiece_like_bpe"),
                         [](const auto& info) { return std::string(info.param); });

TEST(TokenizerRegex, RewritesWordAndSpaceClassesPerFlavor) {
  EXPECT_EQ(Regex::translate(R"(\w+|[^\w\s]+)", Regex::Flavor::Oniguruma),
            R"([\p{L}\p{M}\p{Nd}\p{Pc}]+|[^\p{L}\p{M}\p{Nd}\p{Pc}\p{White_Space}]+)");
  EXPECT_EQ(Regex::translate(R"(\\w\S)", Regex::Flavor::RustRegex), R"(\\w\P{White_Space})");
  EXPECT_EQ(Regex::translate(R"([]\w])", Regex::Flavor::Oniguruma), R"([]\p{L}\p{M}\p{Nd}\p{Pc}])");
  // Marks belong to words (PCRE2's own \w would split "naïve" written with a combining mark).
  const Regex word(R"(\w+)");
  const auto matches = word.find_all("nai\xCC\x88ve x");
  ASSERT_EQ(matches.size(), 2u);
  EXPECT_EQ(matches[0], (std::pair<std::size_t, std::size_t>{0, 7}));
}

TEST(TokenizerDecode, RoundTripsByteLevelText) {
  const auto tokenizer = Tokenizer::from_folder(std::filesystem::path(PATCHWISE_FIXTURES_DIR) / "colqwen2");
  const std::string text = "Ça coûte 5 € — 你好 😀\ttab";
  const auto ids = tokenizer->encode(text);
  EXPECT_EQ(tokenizer->decode(ids), text);
}

TEST(TokenizerDecode, RoundTripsSentencePieceStyleText) {
  const auto tokenizer = Tokenizer::from_folder(std::filesystem::path(PATCHWISE_FIXTURES_DIR) / "colpali");
  const std::string text = "Describe the image. 你好 😀";  // CJK and emoji go through <0xNN> byte fallback
  const auto ids = tokenizer->encode(text);
  EXPECT_EQ(tokenizer->decode(ids), text);
}

TEST(TokenizerVocabulary, LooksUpAddedAndModelTokens) {
  const auto tokenizer = Tokenizer::from_folder(std::filesystem::path(PATCHWISE_FIXTURES_DIR) / "colidefics3");
  EXPECT_EQ(tokenizer->token_to_id("<image>"), 473);
  EXPECT_EQ(tokenizer->token_to_id("<end_of_utterance>"), 474);
  EXPECT_EQ(tokenizer->id_to_token(473), "<image>");
  EXPECT_FALSE(tokenizer->token_to_id("no such token").has_value());
  EXPECT_EQ(tokenizer->id_to_token(1'000'000), "");
  EXPECT_EQ(tokenizer->vocab_size(), 512u);
}

}  // namespace
}  // namespace patchwise::models
