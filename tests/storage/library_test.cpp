#include "storage/library.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <random>

#include "core/error.h"
#include "core/half.h"
#include "storage/sqlite.h"
#include "tests/support/temp_dir.h"

namespace patchwise::storage {
namespace {

using test::TempDir;

const ModelKey kModel{"fp-test-1", "test model", "test", 4};

core::PageEmbedding make_embedding(std::size_t rows, std::size_t dim, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(-1.f, 1.f);
  core::PageEmbedding e;
  e.vectors = core::MultiVector(rows, dim);
  for (float& v : e.vectors.values()) v = u(rng);
  for (std::size_t r = 0; r < rows; ++r) {
    const float x = float(r) / float(rows);
    e.grid.add({x, 0.25f, x + 0.1f, 0.5f}, std::uint16_t(r % 3));
  }
  return e;
}

std::vector<PageWrite> make_pages(int count, unsigned seed, const ModelKey& model = kModel,
                                  VectorFormat format = VectorFormat::kF16) {
  std::vector<PageWrite> pages;
  for (int i = 0; i < count; ++i) {
    PageWrite p;
    p.number = i + 1;
    p.width_pt = 612;
    p.height_pt = 792;
    p.render = {150, 4'000'000, 1275, 1650};
    p.thumbnail_jpeg = {std::byte{0xff}, std::byte{0xd8}, std::byte(i)};
    p.text = "page " + std::to_string(i + 1) + " of seed" + std::to_string(seed);
    p.embedding = PackedEmbedding::pack(make_embedding(std::size_t(3 + i), model.dim, seed * 100 + unsigned(i)),
                                        format);
    pages.push_back(std::move(p));
  }
  return pages;
}

FileSignature file(const std::string& path, const std::string& hash) { return {path, hash, 1234, 5678}; }

TEST(Library, CreatesSchemaAndReopens) {
  TempDir dir;
  const auto path = dir / "sub" / "library.db";
  { Library lib(path); EXPECT_EQ(lib.schema_version(), kSchemaVersion); }
  Library again(path, {.create = false});
  EXPECT_EQ(again.schema_version(), kSchemaVersion);
  EXPECT_TRUE(again.check().empty());
}

TEST(Library, MissingLibraryWithoutCreateSaysWhatToDo) {
  TempDir dir;
  try {
    Library lib(dir / "none.db", {.create = false});
    FAIL() << "opened a library that does not exist";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("patchwise ingest"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "none.db"));
}

TEST(Library, StoresPagesAndLoadsCorpusAsF16) {
  TempDir dir;
  Library lib(dir / "l.db");
  const auto pages = make_pages(3, 1);
  lib.write_document(file("/docs/a.pdf", "h1"), kModel, pages);

  const core::Corpus corpus = lib.load_corpus(kModel.fingerprint);
  ASSERT_EQ(corpus.page_count(), 3u);
  EXPECT_EQ(corpus.dim(), 4u);
  for (std::size_t i = 0; i < 3; ++i) {
    const auto expected = make_embedding(3 + i, 4, 100 + unsigned(i));
    ASSERT_EQ(corpus.rows(i), 3 + i);
    const auto got = corpus.page_values(i);
    for (std::size_t k = 0; k < got.size(); ++k) {
      const float rounded = core::f16_to_float(core::float_to_f16(expected.vectors.values()[k]));
      EXPECT_EQ(got[k], rounded);
    }
    const auto ref = lib.page(corpus.page_id(i));
    ASSERT_TRUE(ref.has_value());
    EXPECT_EQ(ref->path, "/docs/a.pdf");
    EXPECT_EQ(ref->number, int(i) + 1);
    EXPECT_EQ(ref->render.width_px, 1275);
    const auto emb = lib.embedding(corpus.page_id(i), kModel.fingerprint);
    ASSERT_TRUE(emb.has_value());
    EXPECT_EQ(emb->grid.cells, expected.grid.cells);
    EXPECT_EQ(emb->grid.source, expected.grid.source);
    EXPECT_EQ(lib.thumbnail(corpus.page_id(i)).size(), 3u);
  }
  EXPECT_TRUE(lib.check().empty());
}

TEST(Library, LoadsCorpusAsStoredWithTheSameValues) {
  TempDir dir;
  Library lib(dir / "l.db");
  lib.write_document(file("/docs/a.pdf", "h1"), kModel, make_pages(3, 1));
  const core::Corpus f32 = lib.load_corpus(kModel.fingerprint);
  const core::Corpus stored = lib.load_corpus(kModel.fingerprint, Library::LoadForm::kStored);
  EXPECT_EQ(stored.form(), core::VectorForm::f16);
  ASSERT_EQ(stored.page_count(), 3u);
  EXPECT_EQ(stored.memory_bytes() - stored.page_count() * 16 - 8, (f32.memory_bytes() - f32.page_count() * 16 - 8) / 2);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(stored.page_id(i), f32.page_id(i));
    const auto values = f32.page_values(i);
    EXPECT_EQ(stored.decode_page(i), std::vector<float>(values.begin(), values.end()));
  }
}

TEST(Library, FindsAPageByDocumentAndNumberAndCountsOtherConnectionsCommits) {
  TempDir dir;
  Library lib(dir / "l.db");
  Library other(dir / "l.db");
  const std::int64_t before = lib.data_version();
  other.write_document(file("/docs/a.pdf", "h1"), kModel, make_pages(3, 1));
  EXPECT_NE(lib.data_version(), before) << "a commit by another connection is seen";
  const std::int64_t after = lib.data_version();
  EXPECT_EQ(lib.data_version(), after) << "nothing changed since";

  const auto second = lib.page_at("/docs/a.pdf", 2);
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->number, 2);
  EXPECT_EQ(second->path, "/docs/a.pdf");
  EXPECT_EQ(lib.page(second->page_id)->number, 2);
  EXPECT_FALSE(lib.page_at("/docs/a.pdf", 4).has_value());
  EXPECT_FALSE(lib.page_at("/docs/b.pdf", 1).has_value());
}

TEST(Library, LoadsOnlyTheNamedPages) {
  TempDir dir;
  Library lib(dir / "l.db");
  EXPECT_TRUE(lib.page_ids(kModel.fingerprint).empty());
  lib.write_document(file("/docs/a.pdf", "h1"), kModel, make_pages(3, 1));
  const auto ids = lib.page_ids(kModel.fingerprint);
  ASSERT_EQ(ids.size(), 3u);
  EXPECT_LT(ids[0], ids[1]);
  const core::Corpus all = lib.load_corpus(kModel.fingerprint, Library::LoadForm::kStored);
  const std::vector<std::int64_t> wanted = {ids[0], ids[2], ids[2] + 1000};
  const core::Corpus some = lib.load_pages(kModel.fingerprint, wanted, Library::LoadForm::kStored);
  ASSERT_EQ(some.page_count(), 2u) << "an id without vectors is left out";
  EXPECT_EQ(some.page_id(1), ids[2]);
  EXPECT_EQ(some.decode_page(1), all.decode_page(2));
}

TEST(Library, F32FormatRoundTripsExactly) {
  TempDir dir;
  Library lib(dir / "l.db", {.vector_format = VectorFormat::kF32});
  EXPECT_EQ(lib.format_for(kModel), VectorFormat::kF32);
  lib.write_document(file("/a.pdf", "h"), kModel, make_pages(1, 7, kModel, VectorFormat::kF32));
  const auto corpus = lib.load_corpus(kModel.fingerprint);
  const auto expected = make_embedding(3, 4, 700);
  ASSERT_EQ(corpus.page_values(0).size(), expected.vectors.values().size());
  for (std::size_t k = 0; k < expected.vectors.values().size(); ++k) {
    EXPECT_EQ(corpus.page_values(0)[k], expected.vectors.values()[k]);
  }
}

TEST(Library, PageIdsAreStableAcrossRemovalsAndNeverReused) {
  TempDir dir;
  Library lib(dir / "l.db");
  lib.write_document(file("/a.pdf", "ha"), kModel, make_pages(2, 1));
  lib.write_document(file("/b.pdf", "hb"), kModel, make_pages(2, 2));
  const auto before = lib.load_corpus(kModel.fingerprint);
  const std::int64_t b_first = before.page_id(2);
  const std::int64_t max_id = before.page_id(3);

  EXPECT_TRUE(lib.remove_document("/a.pdf"));
  EXPECT_FALSE(lib.remove_document("/a.pdf"));
  const auto after = lib.load_corpus(kModel.fingerprint);
  ASSERT_EQ(after.page_count(), 2u);
  EXPECT_EQ(after.page_id(0), b_first);
  EXPECT_FALSE(lib.page(before.page_id(0)).has_value());
  EXPECT_TRUE(lib.page_text(before.page_id(0)).empty()) << "text of a removed page must go too";

  lib.write_document(file("/c.pdf", "hc"), kModel, make_pages(1, 3));
  const auto again = lib.load_corpus(kModel.fingerprint);
  EXPECT_GT(again.page_id(2), max_id);
  EXPECT_TRUE(lib.check().empty());
}

TEST(Library, SameHashKeepsPagesChangedHashReplacesThem) {
  TempDir dir;
  Library lib(dir / "l.db");
  lib.write_document(file("/a.pdf", "h1"), kModel, make_pages(2, 1));
  const auto first = lib.load_corpus(kModel.fingerprint);

  lib.write_document(file("/a.pdf", "h1"), kModel, make_pages(2, 1));  // same content: same pages
  const auto same = lib.load_corpus(kModel.fingerprint);
  ASSERT_EQ(same.page_count(), 2u);
  EXPECT_EQ(same.page_id(0), first.page_id(0));

  lib.write_document(file("/a.pdf", "h2"), kModel, make_pages(3, 2));  // changed: new pages
  const auto changed = lib.load_corpus(kModel.fingerprint);
  ASSERT_EQ(changed.page_count(), 3u);
  EXPECT_GT(changed.page_id(0), first.page_id(1));
  const auto doc = lib.document("/a.pdf", kModel.fingerprint);
  ASSERT_TRUE(doc.has_value());
  EXPECT_EQ(doc->file.content_hash, "h2");
  EXPECT_EQ(doc->page_count, 3);
  EXPECT_EQ(doc->encoded_pages, 3);
  EXPECT_EQ(lib.documents().size(), 1u);
  EXPECT_TRUE(lib.check().empty());
}

TEST(Library, ModelsAreKeptApartAndNeverMixed) {
  TempDir dir;
  Library lib(dir / "l.db");
  const ModelKey other{"fp-other", "other", "test", 4};
  lib.write_document(file("/a.pdf", "h"), kModel, make_pages(2, 1));
  lib.write_document(file("/a.pdf", "h"), other, make_pages(2, 9, other));
  lib.write_document(file("/b.pdf", "hb"), other, make_pages(1, 5, other));

  EXPECT_EQ(lib.load_corpus(kModel.fingerprint).page_count(), 2u);
  EXPECT_EQ(lib.load_corpus(other.fingerprint).page_count(), 3u);
  EXPECT_EQ(lib.document("/b.pdf", kModel.fingerprint)->encoded_pages, 0);
  EXPECT_EQ(lib.models().size(), 2u);

  const ModelKey wrong_dim{kModel.fingerprint, "test model", "test", 8};
  EXPECT_THROW(lib.write_document(file("/c.pdf", "hc"), wrong_dim, make_pages(1, 1, wrong_dim)), Error);
  try {
    lib.load_corpus("fp-unknown");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("fp-test-1"), std::string::npos) << "names what the library holds";
  }
}

TEST(Library, FailedWriteLeavesNothingBehind) {
  TempDir dir;
  Library lib(dir / "l.db");
  lib.write_document(file("/a.pdf", "h1"), kModel, make_pages(2, 1));
  auto pages = make_pages(3, 2);
  pages[2].embedding.format = VectorFormat::kF32;  // the last page is inconsistent
  EXPECT_THROW(lib.write_document(file("/a.pdf", "h2"), kModel, pages), Error);
  const auto doc = lib.document("/a.pdf");
  ASSERT_TRUE(doc.has_value());
  EXPECT_EQ(doc->file.content_hash, "h1");
  EXPECT_EQ(lib.load_corpus(kModel.fingerprint).page_count(), 2u);

  pages = make_pages(2, 3);
  pages[1].number = 1;  // duplicate page number: the UNIQUE constraint fires mid-transaction
  EXPECT_THROW(lib.write_document(file("/b.pdf", "hb"), kModel, pages), Error);
  EXPECT_FALSE(lib.document("/b.pdf").has_value());
  EXPECT_TRUE(lib.check().empty());
}

TEST(Library, FailureIsRecordedAndDropsOldPages) {
  TempDir dir;
  Library lib(dir / "l.db");
  lib.write_document(file("/a.pdf", "h1"), kModel, make_pages(2, 1));
  lib.record_failure(file("/a.pdf", "h2"), "a.pdf: the PDF is encrypted");
  const auto doc = lib.document("/a.pdf");
  ASSERT_TRUE(doc.has_value());
  EXPECT_EQ(doc->status, DocumentStatus::kFailed);
  EXPECT_EQ(doc->error, "a.pdf: the PDF is encrypted");
  EXPECT_EQ(lib.load_corpus(kModel.fingerprint).page_count(), 0u);
  EXPECT_EQ(lib.stats().documents_failed, 1);
  lib.write_document(file("/a.pdf", "h2"), kModel, make_pages(1, 1));
  EXPECT_EQ(lib.document("/a.pdf")->status, DocumentStatus::kReady);
  EXPECT_TRUE(lib.check().empty());
}

TEST(Library, TextLayerIsSearchable) {
  TempDir dir;
  Library lib(dir / "l.db");
  auto pages = make_pages(2, 1);
  pages[0].text = "quarterly revenue table";
  pages[1].text = "architecture diagram";
  lib.write_document(file("/a.pdf", "h"), kModel, pages);
  const auto hits = lib.text_search("diagram", 10);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(lib.page(hits[0])->number, 2);
}

TEST(Library, StatsAndRunsAreRecorded) {
  TempDir dir;
  Library lib(dir / "l.db");
  const auto run = lib.begin_run(kModel);
  lib.write_document(file("/a.pdf", "h"), kModel, make_pages(2, 1));
  lib.finish_run(run, RunState::kFinished, {.files_seen = 1, .files_ingested = 1, .pages_encoded = 2});
  const auto runs = lib.runs();
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].state, RunState::kFinished);
  EXPECT_EQ(runs[0].counts.pages_encoded, 2);
  const auto s = lib.stats();
  EXPECT_EQ(s.documents_ready, 1);
  EXPECT_EQ(s.pages, 2);
  ASSERT_EQ(s.models.size(), 1u);
  // (3 + 4 rows) * 4 dims * 2 bytes + 7 rows * 18 bytes of grid
  EXPECT_EQ(s.models[0].vector_bytes, 7 * 4 * 2 + 7 * 18);
  EXPECT_GT(s.file_bytes, 0);
}

TEST(Library, ReaderKeepsItsSnapshotWhileAnotherConnectionWrites) {
  TempDir dir;
  Library writer(dir / "l.db", {.busy_timeout_ms = 200});
  writer.write_document(file("/a.pdf", "h"), kModel, make_pages(1, 1));
  Library reader(dir / "l.db", {.create = false});
  sql::Database raw(dir / "l.db", sql::Database::Mode::kReadWrite);
  raw.exec("PRAGMA busy_timeout = 100");
  sql::Transaction held(raw);  // another writer holds the write lock...
  raw.exec("DELETE FROM documents");
  EXPECT_EQ(reader.load_corpus(kModel.fingerprint).page_count(), 1u);  // ...readers are not blocked
  EXPECT_THROW(writer.remove_document("/a.pdf"), Error);  // a second writer gets a clear error
}

TEST(Library, RefusesForeignAndNewerFiles) {
  TempDir dir;
  {
    sql::Database other(dir / "other.db", sql::Database::Mode::kReadWriteCreate);
    other.exec("CREATE TABLE t (x)");
  }
  EXPECT_THROW(Library(dir / "other.db"), Error);
  { Library lib(dir / "new.db"); }
  {
    sql::Database raw(dir / "new.db", sql::Database::Mode::kReadWrite);
    raw.exec("PRAGMA user_version = 99");
  }
  try {
    Library lib(dir / "new.db");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("newer Patchwise"), std::string::npos) << e.what();
  }
  {
    std::ofstream junk(dir / "junk.db", std::ios::binary);
    junk << std::string(8192, 'x');
  }
  EXPECT_THROW(Library(dir / "junk.db"), Error);
}

}  // namespace
}  // namespace patchwise::storage

namespace patchwise::storage {
namespace {

TEST(LibraryPath, FollowsXdgDataHomeThenHome) {
  const char* old_xdg = std::getenv("XDG_DATA_HOME");
  const std::string saved = old_xdg ? old_xdg : "";
  ::setenv("XDG_DATA_HOME", "/data/xdg", 1);
  EXPECT_EQ(default_library_path(), std::filesystem::path("/data/xdg/patchwise/library.db"));
  ::unsetenv("XDG_DATA_HOME");
  const char* home = std::getenv("HOME");
  if (home && *home) {
    EXPECT_EQ(default_library_path(), std::filesystem::path(home) / ".local/share/patchwise/library.db");
  }
  if (old_xdg) ::setenv("XDG_DATA_HOME", saved.c_str(), 1);
}

}  // namespace
}  // namespace patchwise::storage
