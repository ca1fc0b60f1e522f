// The real CLI over real PDFs and a PNG scan: ingest, search (checked against brute-force
// MaxSim over the stored vectors), formats, batch queries, list, remove, info, encode, exit codes.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include <sys/wait.h>

#include "core/maxsim_reference.h"
#include "storage/library.h"
#include "tests/app/cli/cli_fixture.h"

namespace patchwise::test {
namespace {

namespace fs = std::filesystem;

std::map<std::string, core::MultiVector> read_safetensors(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::uint64_t len = 0;
  in.read(reinterpret_cast<char*>(&len), 8);
  std::string header(len, '\0');
  in.read(header.data(), std::streamsize(len));
  const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::map<std::string, core::MultiVector> out;
  const nlohmann::json parsed = nlohmann::json::parse(header);
  for (const auto& [name, t] : parsed.items()) {
    if (name == "__metadata__") continue;
    EXPECT_EQ(t["dtype"], "F32");
    const auto rows = t["shape"][0].get<std::size_t>();
    const auto dim = t["shape"][1].get<std::size_t>();
    const auto begin = t["data_offsets"][0].get<std::size_t>();
    const auto end = t["data_offsets"][1].get<std::size_t>();
    EXPECT_EQ(end - begin, rows * dim * 4);
    std::vector<float> values(rows * dim);
    std::memcpy(values.data(), data.data() + begin, end - begin);
    out.emplace(name, core::MultiVector(rows, dim, std::move(values)));
  }
  return out;
}

class CliEndToEnd : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("patchwise-cli");
    copy_into(*dir_ / "docs", {kAppData / "report.pdf", kAppData / "memo.pdf", kAppData / "scan.png",
                               kAppData / "corrupt.pdf", kAppData / "encrypted.pdf", kMimePdf});
    fs::create_directories(*dir_ / "docs" / "more");
    fs::copy_file(kTasnPdf, *dir_ / "docs" / "more" / kTasnPdf.filename());
    // A third real manual; Debian ships it gzipped.
    const auto unzip = run_process({"/bin/sh", "-c", "gzip -dc " + kFontconfigPdfGz.string() + " > '" +
                                                         (*dir_ / "docs" / "fontconfig-user.pdf").string() + "'"});
    ASSERT_EQ(unzip.exit_code, 0) << unzip.err;
    first_ingest_ = new ProcessResult(cli()({"ingest", "--dpi", "50", "--jobs", "2", (*dir_ / "docs").string()}));
  }
  static void TearDownTestSuite() {
    delete first_ingest_;
    delete dir_;
  }
  static Cli cli() { return Cli(*dir_ / "library.db"); }
  static fs::path docs() { return *dir_ / "docs"; }

  static TempDir* dir_;
  static ProcessResult* first_ingest_;
};

TempDir* CliEndToEnd::dir_ = nullptr;
ProcessResult* CliEndToEnd::first_ingest_ = nullptr;

TEST_F(CliEndToEnd, IngestReportsBadFilesAndStoresTheRest) {
  const ProcessResult& r = *first_ingest_;
  EXPECT_EQ(r.exit_code, 1) << "some inputs failed: " << r.err;
  EXPECT_NE(r.out.find("ingested 6 files (74 pages)"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("corrupt.pdf"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("encrypted.pdf"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("encoded 74 pages"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("per page"), std::string::npos) << r.out;

  storage::Library lib(cli().library(), {.create = false});
  EXPECT_TRUE(lib.check().empty());
  EXPECT_EQ(lib.stats().pages, 74);
  EXPECT_EQ(lib.stats().documents_failed, 2);
}

TEST_F(CliEndToEnd, SearchRanksLikeBruteForceMaxSimOverStoredVectors) {
  const std::string query = "revenue grew in every region";
  const ProcessResult enc = cli()({"encode", "--queries", query, "--out", (*dir_ / "q.safetensors").string()});
  ASSERT_EQ(enc.exit_code, 0) << enc.err;
  const core::MultiVector q = read_safetensors(*dir_ / "q.safetensors").at("queries.0");

  storage::Library lib(cli().library(), {.create = false});
  const std::string fingerprint = lib.models().at(0).key.fingerprint;
  std::map<std::int64_t, double> expected;  // page id -> reference score
  const core::Corpus corpus = lib.load_corpus(fingerprint);
  ASSERT_EQ(corpus.page_count(), 74u);
  for (std::size_t i = 0; i < corpus.page_count(); ++i) {
    const auto e = lib.embedding(corpus.page_id(i), fingerprint);
    ASSERT_TRUE(e.has_value());
    expected[corpus.page_id(i)] = core::maxsim_reference(q, e->vectors.values(), e->vectors.rows());
  }
  std::vector<double> sorted;
  for (const auto& [id, s] : expected) sorted.push_back(s);
  std::sort(sorted.rbegin(), sorted.rend());

  const ProcessResult r = cli()({"search", query, "-k", "74", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto results = nlohmann::json::parse(r.out)["results"];
  ASSERT_EQ(results.size(), 74u);
  for (std::size_t i = 0; i < results.size(); ++i) {
    const auto id = results[i]["page_id"].get<std::int64_t>();
    const double score = results[i]["score"].get<double>();
    // Same ranking as brute force (ties may come in either order, so compare scores per rank).
    EXPECT_NEAR(score, sorted[i], 1e-4) << "rank " << i + 1;
    EXPECT_NEAR(score, expected.at(id), 1e-4) << "page " << id;
    EXPECT_EQ(results[i]["rank"].get<std::size_t>(), i + 1);
  }
  EXPECT_EQ(fs::path(results[0]["path"].get<std::string>()).filename(), "report.pdf");
  EXPECT_EQ(results[0]["page"].get<int>(), 1);
}

TEST_F(CliEndToEnd, TextAndTrecFormatsAndBatchQueries) {
  const ProcessResult text = cli()({"search", "architecture diagram", "-k", "3"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("1\t"), std::string::npos);
  EXPECT_NE(text.out.find("report.pdf#2"), std::string::npos) << text.out;

  {
    std::ofstream q(*dir_ / "queries.jsonl");
    q << R"({"qid": "q-office", "query": "office move third floor"})" << "\n\n"
      << R"({"qid": 7, "query": "seating plan desks"})" << "\n";
  }
  const ProcessResult trec = cli()({"search", "--queries", (*dir_ / "queries.jsonl").string(), "-k", "2",
                                    "--format", "trec"});
  ASSERT_EQ(trec.exit_code, 0) << trec.err;
  std::istringstream lines(trec.out);
  const std::regex line_re(R"((\S+) Q0 (\S+)#(\d+) (\d+) (-?[0-9.]+) patchwise)");
  std::vector<std::string> all;
  for (std::string line; std::getline(lines, line);) all.push_back(line);
  ASSERT_EQ(all.size(), 4u) << trec.out;
  std::smatch m;
  ASSERT_TRUE(std::regex_match(all[0], m, line_re)) << all[0];
  EXPECT_EQ(m[1], "q-office");
  EXPECT_EQ(fs::path(m[2].str()).filename(), "memo.pdf");
  EXPECT_EQ(m[3], "1");
  EXPECT_EQ(m[4], "1");
  ASSERT_TRUE(std::regex_match(all[2], m, line_re)) << all[2];
  EXPECT_EQ(m[1], "7");
  EXPECT_EQ(m[3], "2");
}

TEST_F(CliEndToEnd, ReingestEncodesNothing) {
  const ProcessResult r = cli()({"ingest", "--dpi", "50", docs().string()});
  EXPECT_EQ(r.exit_code, 1) << "the two bad files are reported again";
  EXPECT_NE(r.out.find("encoded 0 pages"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("unchanged 6"), std::string::npos) << r.out;
}

TEST_F(CliEndToEnd, ListInfoRemoveAndExitCodes) {
  const ProcessResult list = cli()({"list"});
  ASSERT_EQ(list.exit_code, 0);
  EXPECT_NE(list.out.find("ready\t36\t" + (docs() / "more" / "libtasn1.pdf").string()), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("failed\t0\t" + (docs() / "corrupt.pdf").string()), std::string::npos) << list.out;

  const ProcessResult info = cli()({"info"});
  ASSERT_EQ(info.exit_code, 0) << info.err;
  EXPECT_NE(info.out.find("documents: 6 ready, 2 failed"), std::string::npos) << info.out;
  EXPECT_NE(info.out.find("per page"), std::string::npos) << info.out;

  EXPECT_EQ(cli()({"search"}).exit_code, 2) << "no query is a usage error";
  EXPECT_EQ(cli()({"search", "x", "--format", "xml"}).exit_code, 2);
  EXPECT_EQ(cli()({"frobnicate"}).exit_code, 2);
  const ProcessResult none = Cli(*dir_ / "nothing.db")({"search", "x"});
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_NE(none.err.find("patchwise ingest"), std::string::npos) << none.err;
  EXPECT_FALSE(fs::exists(*dir_ / "nothing.db"));

  // Remove on a copy, so the other tests keep their library.
  fs::copy_file(cli().library(), *dir_ / "copy.db");
  const Cli copy(*dir_ / "copy.db");
  const ProcessResult removed = copy({"remove", (docs() / "more").string()});
  EXPECT_EQ(removed.exit_code, 0) << removed.err;
  EXPECT_NE(removed.out.find("libtasn1.pdf (36 pages)"), std::string::npos);
  EXPECT_EQ(copy({"remove", (docs() / "more").string()}).exit_code, 1);
  storage::Library lib(*dir_ / "copy.db", {.create = false});
  EXPECT_EQ(lib.stats().pages, 74 - 36);
}

TEST_F(CliEndToEnd, EncodeWritesPagesAndQueries) {
  const fs::path out = *dir_ / "e.safetensors";
  const ProcessResult r = cli()({"encode", "--pages", (kAppData / "report.pdf").string(), (kAppData / "scan.png").string(),
                                 "--queries", "one", "two words", "--out", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto t = read_safetensors(out);
  ASSERT_EQ(t.size(), 4u);
  EXPECT_GT(t.at("pages.0").rows(), 3u) << "the report's first page has words";
  EXPECT_EQ(t.at("pages.1").rows(), 0u) << "the lexical model reads no pixels";
  EXPECT_EQ(t.at("queries.0").dim(), 128u);
  EXPECT_EQ(cli()({"encode", "--out", out.string()}).exit_code, 2);
}

TEST_F(CliEndToEnd, SearchWorksWhileAnotherProcessIngests) {
  const fs::path lib = *dir_ / "concurrent.db";
  const Cli c(lib);
  ASSERT_EQ(c({"ingest", "-q", "--dpi", "50", (kAppData / "report.pdf").string()}).exit_code, 0);
  const pid_t ingest = spawn_process(c.argv({"ingest", "-q", "--dpi", "150", kTasnPdf.string(), kMimePdf.string()}));
  int searches = 0;
  int status = -100;
  while (true) {
    const ProcessResult r = c({"search", "revenue", "-k", "1"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("report.pdf#1"), std::string::npos) << r.out;
    ++searches;
    if (waitpid(ingest, &status, WNOHANG) == ingest) break;
  }
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_GE(searches, 2) << "searched while ingesting";
  EXPECT_EQ(storage::Library(lib, {.create = false}).stats().pages, 3 + 36 + 17);
}

}  // namespace
}  // namespace patchwise::test
