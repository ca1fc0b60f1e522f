// `patchwise search QUERY` and `patchwise search --queries FILE.jsonl`: rank the library's
// pages by MaxSim against the query's multi-vector.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "app/cli/commands.h"
#include "app/cli/library_access.h"
#include "app/search/search_service.h"
#include "core/error.h"

namespace patchwise::app {
namespace {

struct Query {
  std::string qid;
  std::string text;
};

struct SearchArgs {
  std::string query;
  std::string queries_file;
  std::size_t k = 10;
  std::string format = "text";
  bool exact = false;
};

std::vector<Query> read_queries(const std::string& file) {
  std::ifstream in(file);
  if (!in) throw Error("cannot read queries file " + file);
  std::vector<Query> out;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    try {
      const auto j = nlohmann::json::parse(line);
      const auto& qid = j.at("qid");
      out.push_back({qid.is_string() ? qid.get<std::string>() : qid.dump(), j.at("query").get<std::string>()});
    } catch (const nlohmann::json::exception& e) {
      throw Error(file + " line " + std::to_string(n) + ": expected {\"qid\": ..., \"query\": \"...\"}: " + e.what());
    }
  }
  return out;
}

void print(const Query& q, const std::vector<PageHit>& results, const std::string& format, bool batch) {
  if (format == "trec") {
    for (const auto& r : results) {
      std::printf("%s Q0 %s#%d %zu %.6f patchwise\n", q.qid.c_str(), r.page.path.c_str(), r.page.number, r.rank,
                  double(r.score));
    }
  } else if (format == "json") {
    nlohmann::json out = {{"qid", q.qid}, {"query", q.text}, {"results", nlohmann::json::array()}};
    for (const auto& r : results) {
      out["results"].push_back({{"rank", r.rank},
                                {"score", r.score},
                                {"path", r.page.path},
                                {"page", r.page.number},
                                {"page_id", r.page.page_id}});
    }
    std::cout << out.dump(batch ? -1 : 2) << "\n";
  } else {
    for (const auto& r : results) {
      if (batch) std::printf("%s\t", q.qid.c_str());
      std::printf("%zu\t%.4f\t%s#%d\n", r.rank, double(r.score), r.page.path.c_str(), r.page.number);
    }
  }
}

}  // namespace

void add_search_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  auto args = std::make_shared<SearchArgs>();
  auto* cmd = app.add_subcommand(
      "search",
      "Find the pages that best match a query (MaxSim over every page encoded with the model). Text output:\n"
      "RANK SCORE PATH#PAGE per line (pages are 1-based).");
  auto* query = cmd->add_option("query", args->query, "The query text");
  auto* file = cmd->add_option("--queries", args->queries_file,
                               "A JSON Lines file, one {\"qid\": ..., \"query\": \"...\"} per line, for batch runs");
  query->excludes(file);
  cmd->add_option("-k", args->k, "How many pages to return per query (default: 10)")->check(CLI::PositiveNumber);
  cmd->add_option("--format", args->format,
                  "text, json, or trec (qid Q0 PATH#PAGE RANK SCORE patchwise; default: text)")
      ->check(CLI::IsMember({"text", "json", "trec"}));
  cmd->add_flag("--exact", args->exact,
                "Score every page exactly (brute-force MaxSim over all pages). Default: a library with\n"
                "at least " + std::to_string(kTieredMinPages) +
                    " pages for the model is searched tiered: a first pass over 32 pooled int8 vectors\n"
                    "per page (cached next to the library) picks 400 candidates, which are then scored\n"
                    "exactly; scores are always exact, only a page the first pass misses can be left out\n"
                    "(recall figures: core/bench/README.md)");
  cmd->callback([args, &global, &exit_code] {
    if (args->query.empty() && args->queries_file.empty()) {
      throw CLI::RequiredError("a QUERY or --queries FILE.jsonl");
    }
    const bool batch = !args->queries_file.empty();
    const std::vector<Query> queries = batch ? read_queries(args->queries_file) : std::vector<Query>{{"1", args->query}};
    SearchServiceOptions options;
    options.threads = global.threads;
    options.auto_refresh = false;  // one load is enough for one command
    SearchService service(library_path(global), load_model(global), options);

    constexpr std::size_t kQueryBatch = 16;
    for (std::size_t start = 0; start < queries.size(); start += kQueryBatch) {
      std::vector<std::string> texts;
      for (std::size_t i = start; i < std::min(queries.size(), start + kQueryBatch); ++i) texts.push_back(queries[i].text);
      const auto results = service.search_batch(texts, args->k, args->exact);
      for (std::size_t i = 0; i < results.size(); ++i) print(queries[start + i], results[i], args->format, batch);
    }
    if (service.status().pages == 0) std::cerr << "patchwise: the library has no pages for this model yet\n";
    exit_code = kOk;
  });
}

}  // namespace patchwise::app
