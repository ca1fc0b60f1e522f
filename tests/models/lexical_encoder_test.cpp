#include "models/lexical/lexical_encoder.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/maxsim_reference.h"

namespace patchwise::models {
namespace {

vision::PageImage page_with_words(std::initializer_list<const char*> words) {
  vision::PageImage page;
  float x = 0;
  for (const char* w : words) {
    page.words.push_back({w, {x, 0.1f, x + 0.05f, 0.12f}});
    x += 0.06f;
  }
  return page;
}

double score(const core::MultiVector& q, const core::PageEmbedding& p) {
  return core::maxsim_reference(q, p.vectors.values(), p.vectors.rows());
}

TEST(LexicalEncoder, SplitsAndLowercasesWords) {
  EXPECT_EQ(LexicalEncoder::split_words("ASN.1 DER-encoding, été!"),
            (std::vector<std::string>{"asn", "1", "der", "encoding", "été"}));
  EXPECT_TRUE(LexicalEncoder::split_words(" ,.;").empty());
}

TEST(LexicalEncoder, OneUnitVectorPerWordPieceAtTheWordsBox) {
  LexicalEncoder enc(LexicalSettings{});
  const std::vector<vision::PageImage> pages = {page_with_words({"Hello,", "world-wide"})};
  const auto e = enc.encode_pages(pages);
  ASSERT_EQ(e.size(), 1u);
  ASSERT_EQ(e[0].vectors.rows(), 3u);  // hello, world, wide
  ASSERT_EQ(e[0].grid.size(), 3u);
  EXPECT_EQ(e[0].grid.cells[1], e[0].grid.cells[2]);  // both pieces of "world-wide"
  for (std::size_t r = 0; r < 3; ++r) {
    double norm = 0;
    for (float v : e[0].vectors.row(r)) norm += double(v) * v;
    EXPECT_NEAR(norm, 1.0, 1e-5);
  }
}

TEST(LexicalEncoder, RanksThePageWithTheQueryWordsFirst) {
  LexicalEncoder enc(LexicalSettings{});
  const std::vector<vision::PageImage> pages = {
      page_with_words({"certificate", "revocation", "lists"}),
      page_with_words({"shared", "mime", "database"}),
      page_with_words({"certificates", "and", "keys"}),
  };
  const auto e = enc.encode_pages(pages);
  const std::vector<std::string> queries = {"certificate revocation"};
  const auto q = enc.encode_queries(queries);
  EXPECT_GT(score(q[0], e[0]), score(q[0], e[2]));  // exact words beat a near match
  EXPECT_GT(score(q[0], e[2]), score(q[0], e[1]));  // a near match beats nothing
  EXPECT_NEAR(score(q[0], e[0]), 2.0, 1e-5);        // each query word found exactly
}

TEST(LexicalEncoder, ScansGetNoVectorsAndEmptyQueriesAreRejected) {
  LexicalEncoder enc(LexicalSettings{});
  const std::vector<vision::PageImage> pages = {vision::PageImage{}};
  EXPECT_EQ(enc.encode_pages(pages)[0].vectors.rows(), 0u);
  const std::vector<std::string> queries = {"  ...  "};
  EXPECT_THROW(enc.encode_queries(queries), std::exception);
}

TEST(LexicalEncoder, FingerprintDependsOnSettings) {
  LexicalSettings a, b;
  b.ngram = 4;
  EXPECT_NE(LexicalEncoder(a).info().fingerprint, LexicalEncoder(b).info().fingerprint);
  EXPECT_EQ(LexicalEncoder(a).info().fingerprint, LexicalEncoder(a).info().fingerprint);
}

}  // namespace
}  // namespace patchwise::models
