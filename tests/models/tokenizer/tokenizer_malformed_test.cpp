// Malformed tokenizer.json files give a patchwise::Error naming the file and the problem.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "core/error.h"
#include "models/tokenizer/tokenizer.h"

namespace patchwise::models {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

std::string error_of(const std::string& json) {
  try {
    Tokenizer::from_json(json, "bad/tokenizer.json");
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

const std::string kModel = R"("model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": ["a b"]})";

TEST(TokenizerMalformed, ValidMinimalFileLoads) {
  const auto t = Tokenizer::from_json("{" + kModel + "}");
  EXPECT_EQ(t->encode("abab"), (std::vector<std::int32_t>{2, 2}));
}

TEST(TokenizerMalformed, NotJson) {
  EXPECT_THAT(error_of("{\"model\": "), AllOf(HasSubstr("bad/tokenizer.json"), HasSubstr("not valid JSON")));
  EXPECT_THAT(error_of("[1, 2]"), HasSubstr("not a JSON object"));
  EXPECT_THAT(error_of("{}"), HasSubstr("no \"model\""));
}

TEST(TokenizerMalformed, UnsupportedComponentsAreNamed) {
  EXPECT_THAT(error_of(R"({"model": {"type": "Unigram", "vocab": []}})"), HasSubstr("Unigram"));
  EXPECT_THAT(error_of(R"({"normalizer": {"type": "Nmt"}, )" + kModel + "}"), HasSubstr("normalizer type \"Nmt\""));
  EXPECT_THAT(error_of(R"({"pre_tokenizer": {"type": "Magic"}, )" + kModel + "}"), HasSubstr("\"Magic\""));
  EXPECT_THAT(error_of(R"({"decoder": {"type": 7}, )" + kModel + "}"), HasSubstr("decoder has no \"type\""));
  EXPECT_THAT(error_of(R"({"post_processor": {"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "<s>"}}]}, )" +
                       kModel + "}"),
              HasSubstr("'<s>'"));
}

TEST(TokenizerMalformed, InconsistentVocabularyAndMerges) {
  EXPECT_THAT(error_of(R"({"model": {"type": "BPE", "vocab": {"a": -1}, "merges": []}})"), HasSubstr("vocab entry \"a\""));
  EXPECT_THAT(error_of(R"({"model": {"type": "BPE", "vocab": {"a": 0}, "merges": ["a b"]}})"),
              HasSubstr("missing from the vocabulary"));
  EXPECT_THAT(error_of(R"({"model": {"type": "BPE", "vocab": {"a": 0}, "merges": ["a"]}})"), HasSubstr("merge #0"));
  EXPECT_THAT(error_of(R"({"model": {"type": "BPE", "vocab": {"a": 0}, "merges": [[1, 2]]}})"), HasSubstr("merge #0"));
  EXPECT_THAT(error_of(R"({"model": {"type": "BPE", "vocab": {"a": 0}, "unk_token": "<unk>"}})"), HasSubstr("unk_token"));
  EXPECT_THAT(error_of(R"({"model": {"type": "BPE", "vocab": "a"}})"), HasSubstr("\"vocab\""));
}

TEST(TokenizerMalformed, BadAddedTokensAndPatterns) {
  EXPECT_THAT(error_of(R"({"added_tokens": [{"id": 5}], )" + kModel + "}"), HasSubstr("added_tokens[0]"));
  EXPECT_THAT(error_of(R"({"added_tokens": [{"id": 5, "content": "x", "lstrip": "yes"}], )" + kModel + "}"),
              HasSubstr("lstrip"));
  EXPECT_THAT(error_of(R"({"pre_tokenizer": {"type": "Split", "pattern": {"Regex": "(unclosed"}, "behavior": "Isolated"}, )" +
                       kModel + "}"),
              HasSubstr("invalid regex"));
  EXPECT_THAT(error_of(R"({"pre_tokenizer": {"type": "Split", "pattern": {"Regex": "a"}, "behavior": "Sideways"}, )" +
                       kModel + "}"),
              HasSubstr("Sideways"));
}

TEST(TokenizerMalformed, MissingFolderFile) {
  EXPECT_THROW(Tokenizer::from_folder("/nonexistent/folder"), Error);
}

TEST(TokenizerInput, InvalidUtf8IsReplacedNotFatal) {
  const auto t = Tokenizer::from_folder(std::filesystem::path(PATCHWISE_FIXTURES_DIR) / "colqwen2");
  const auto ids = t->encode(std::string("ok \xff\xfe bad \xe2\x82", 12));
  EXPECT_FALSE(ids.empty());
  EXPECT_EQ(t->encode("ok \xEF\xBF\xBD\xEF\xBF\xBD bad \xEF\xBF\xBD"), ids);
}

}  // namespace
}  // namespace patchwise::models
