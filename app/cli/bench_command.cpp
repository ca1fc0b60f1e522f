// `patchwise bench`: search speed and quality on synthetic ColPali-size corpora, in one run:
// (a) a libtorch re-creation of colpali-engine's score_multi_vector, (b) each exact storage
// form, (c) tiered search; latency p50/p99, queries/s, ratio to (a) and to this CPU's
// arithmetic floor (measured in the same run), recall@10 against exact f32, resident
// memory, for each thread count. The generator is documented in core/synthetic_corpus.h.
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "app/cli/bench/torch_baseline.h"
#include "app/cli/commands.h"
#include "core/arithmetic_peak.h"
#include "core/corpus_file.h"
#include "core/error.h"
#include "core/parallel.h"
#include "core/searcher.h"
#include "core/synthetic_corpus.h"
#include "core/tiered_index.h"
#include "core/token_pooling.h"
#include "core/top_k.h"

namespace patchwise::app {
namespace {

struct BenchOptions {
  std::vector<std::size_t> pages{1000, 10000};
  std::vector<int> threads{1, 2};
  std::vector<std::string> forms{"f32", "f16", "bf16", "int8"};
  std::size_t queries = 10;
  std::size_t torch_queries = 3;
  bool no_torch = false;
  bool no_tiered = false;
  std::size_t candidates = 0;
  std::size_t first_pass_rows = 32;
  double memory_fraction = 0.6;
  std::string mmap_dir;  // where a corpus too large for memory is written as an f16 file
  bool json = false;
};

double process_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

std::size_t proc_kb(const std::string& file, const std::string& key) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key, 0) == 0) return std::strtoull(line.c_str() + key.size(), nullptr, 10);
  }
  return 0;
}
double rss_mb() { return double(proc_kb("/proc/self/status", "VmRSS:")) / 1024.0; }
double available_mb() { return double(proc_kb("/proc/meminfo", "MemAvailable:")) / 1024.0; }

struct Latency {
  std::vector<double> wall_ms;
  double cpu_ms_total = 0;

  double percentile(double p) const {
    if (wall_ms.empty()) return NAN;
    auto v = wall_ms;
    std::sort(v.begin(), v.end());
    const std::size_t i = std::min(v.size() - 1, std::size_t(std::ceil(p * double(v.size()))) - (p > 0 ? 1 : 0));
    return v[i];
  }
  double qps() const {
    double total = 0;
    for (const double w : wall_ms) total += w;
    return wall_ms.empty() ? NAN : 1000.0 * double(wall_ms.size()) / total;
  }
  double cpu_ms_per_query() const { return wall_ms.empty() ? NAN : cpu_ms_total / double(wall_ms.size()); }
};

// Times fn(q) for each query index.
Latency time_queries(std::size_t count, const std::function<void(std::size_t)>& fn) {
  Latency l;
  for (std::size_t q = 0; q < count; ++q) {
    const double cpu0 = process_cpu_seconds();
    const auto t0 = std::chrono::steady_clock::now();
    fn(q);
    l.wall_ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    l.cpu_ms_total += (process_cpu_seconds() - cpu0) * 1e3;
  }
  return l;
}

using Ranking = std::vector<std::int64_t>;  // page ids, best first

double recall_at(const std::vector<Ranking>& truth, const std::vector<Ranking>& got, std::size_t k) {
  double hits = 0, total = 0;
  for (std::size_t q = 0; q < truth.size(); ++q) {
    for (std::size_t i = 0; i < std::min(k, truth[q].size()); ++i) {
      total += 1;
      const auto& g = got[q];
      if (std::find(g.begin(), g.begin() + std::ptrdiff_t(std::min(k, g.size())), truth[q][i]) != g.end()) hits += 1;
    }
  }
  return total > 0 ? hits / total : NAN;
}

Ranking ranking_of(const std::vector<core::Hit>& hits) {
  Ranking r;
  for (const auto& h : hits) r.push_back(h.page_id);
  return r;
}

struct Row {
  std::size_t pages = 0;
  std::string method;  // "torch", "exact", "batch", "tiered"
  std::string form;
  int threads = 0;
  Latency latency;
  double floor_ms = NAN;
  double recall10 = NAN;
  double index_mb = NAN;
  std::string note;
};

class Bench {
 public:
  Bench(BenchOptions options, core::ArithmeticPeak peak) : o_(std::move(options)), peak_(peak) {}

  void run_size(std::size_t pages);
  const std::vector<Row>& rows() const { return rows_; }
  std::vector<std::string>& skipped() { return skipped_; }

 private:
  bool fits(double mb) const { return mb < available_mb() * o_.memory_fraction; }
  double floor_ms(std::size_t pages, const core::SyntheticSpec& spec, int threads, bool int_path) const;
  // Tiered: the first pass (int8 rows, int16 multiply-adds) plus the exact rerank of the
  // candidates (fp32 arithmetic), each at this CPU's measured rate.
  double tiered_floor_ms(const core::Corpus& first, const core::Corpus& exact, std::size_t candidates,
                         std::size_t tokens, int threads) const;
  void run_torch(const core::Corpus& f32, const std::vector<core::MultiVector>& queries,
                 const std::vector<Ranking>& truth);
  void run_exact(const core::Corpus& corpus, const core::SyntheticSpec& spec,
                 const std::vector<core::MultiVector>& queries, std::vector<Ranking>* truth);
  void run_tiered(const core::Corpus& corpus, const std::vector<core::MultiVector>& queries,
                  const std::vector<Ranking>& truth);
  std::vector<Ranking> streaming_truth(const core::SyntheticCorpus& synthetic,
                                       const std::vector<core::MultiVector>& queries) const;
  void run_mapped_tiered(const core::SyntheticCorpus& synthetic, const std::vector<core::MultiVector>& queries);

  BenchOptions o_;
  core::ArithmeticPeak peak_;
  std::vector<Row> rows_;
  std::vector<std::string> skipped_;
  std::size_t current_pages_ = 0;
};

double Bench::floor_ms(std::size_t pages, const core::SyntheticSpec& spec, int threads, bool int_path) const {
  const double ops = 2.0 * double(pages) * double(spec.rows) * double(spec.dim) * double(spec.query_tokens);
  const double rate = (int_path ? peak_.int16_gops : peak_.f32_gflops) * 1e9 * threads;
  return rate > 0 ? ops / rate * 1e3 : NAN;
}

double Bench::tiered_floor_ms(const core::Corpus& first, const core::Corpus& exact, std::size_t candidates,
                              std::size_t tokens, int threads) const {
  const double per_row = 2.0 * double(exact.dim()) * double(tokens);
  const double rows_per_page = double(exact.total_rows()) / double(std::max<std::size_t>(1, exact.page_count()));
  const double first_ops = per_row * double(first.total_rows());
  const double rerank_ops = per_row * double(std::min(candidates, exact.page_count())) * rows_per_page;
  if (peak_.int16_gops <= 0 || peak_.f32_gflops <= 0) return NAN;
  return (first_ops / (peak_.int16_gops * 1e9) + rerank_ops / (peak_.f32_gflops * 1e9)) / threads * 1e3;
}

void Bench::run_torch(const core::Corpus& f32, const std::vector<core::MultiVector>& queries,
                      const std::vector<Ranking>& truth) {
  const bench::TorchBaseline baseline(f32);
  const std::size_t n = std::min(o_.torch_queries, queries.size());
  for (const int t : o_.threads) {
    at::set_num_threads(t);
    std::vector<Ranking> got(n);
    Row row{current_pages_, "torch", "f32", t, {}, NAN, NAN, NAN, ""};
    row.latency = time_queries(n, [&](std::size_t q) {
      const auto scores = baseline.score(queries[q]);
      core::TopK top(10);
      for (std::size_t i = 0; i < scores.size(); ++i) top.push(scores[i], i);
      for (const auto& s : top.sorted()) got[q].push_back(f32.page_id(s.index));
    });
    row.recall10 = recall_at(std::vector<Ranking>(truth.begin(), truth.begin() + std::ptrdiff_t(n)), got, 10);
    rows_.push_back(row);
  }
}

void Bench::run_exact(const core::Corpus& corpus, const core::SyntheticSpec& spec,
                      const std::vector<core::MultiVector>& queries, std::vector<Ranking>* truth) {
  const core::Searcher searcher(corpus);
  const bool is_f32 = corpus.form() == core::VectorForm::f32;
  const std::string form(core::form_name(corpus.form()));
  for (const int t : o_.threads) {
    std::vector<Ranking> got(queries.size());
    Row row{current_pages_, "exact", form, t, {}, NAN, NAN, double(corpus.memory_bytes()) / 1048576.0, ""};
    row.latency = time_queries(queries.size(), [&](std::size_t q) {
      got[q] = ranking_of(searcher.search(queries[q], {.k = 10, .exact = true, .threads = t}));
    });
    row.floor_ms = floor_ms(current_pages_, spec, t, corpus.form() == core::VectorForm::int8);
    if (is_f32 && truth->empty()) *truth = got;
    row.recall10 = recall_at(*truth, got, 10);
    rows_.push_back(row);
  }
  // Batched queries on the most threads: per query time must not exceed single queries'.
  const int t = *std::max_element(o_.threads.begin(), o_.threads.end());
  Row batch{current_pages_, "batch", form, t, {}, NAN, NAN, double(corpus.memory_bytes()) / 1048576.0,
            std::to_string(queries.size()) + " queries per call"};
  std::vector<Ranking> got;
  const Latency whole = time_queries(1, [&](std::size_t) {
    for (const auto& hits : searcher.search_batch(queries, {.k = 10, .exact = true, .threads = t})) {
      got.push_back(ranking_of(hits));
    }
  });
  batch.latency.wall_ms.assign(queries.size(), whole.wall_ms.front() / double(queries.size()));
  batch.latency.cpu_ms_total = whole.cpu_ms_total;
  batch.floor_ms = floor_ms(current_pages_, spec, t, corpus.form() == core::VectorForm::int8);
  batch.recall10 = recall_at(*truth, got, 10);
  rows_.push_back(batch);
}

void Bench::run_tiered(const core::Corpus& corpus, const std::vector<core::MultiVector>& queries,
                       const std::vector<Ranking>& truth) {
  const auto t0 = std::chrono::steady_clock::now();
  const core::Corpus first = core::build_first_pass(corpus, {.rows_per_page = o_.first_pass_rows});
  const double build_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const core::Searcher searcher(corpus, first);
  const std::size_t candidates = o_.candidates ? o_.candidates : core::kDefaultCandidates;
  for (const int t : o_.threads) {
    std::vector<Ranking> got(queries.size());
    std::ostringstream note;
    note << "first pass " << o_.first_pass_rows << " int8 rows/page (built in " << std::fixed
         << std::setprecision(1) << build_s << " s, " << double(first.memory_bytes()) / 1048576.0
         << " MB), " << candidates << " candidates reranked in " << core::form_name(corpus.form());
    Row row{current_pages_, "tiered", std::string(core::form_name(corpus.form())), t, {}, NAN, NAN,
            double(corpus.memory_bytes() + first.memory_bytes()) / 1048576.0, note.str()};
    row.latency = time_queries(queries.size(), [&](std::size_t q) {
      got[q] = ranking_of(searcher.search(queries[q], {.k = 10, .threads = t, .candidates = candidates}));
    });
    row.recall10 = recall_at(truth, got, 10);
    row.floor_ms = tiered_floor_ms(first, corpus, candidates, queries.front().rows(), t);
    rows_.push_back(row);
  }
}

// Exact f32 top-10 without holding the f32 corpus: pages are regenerated in chunks.
std::vector<Ranking> Bench::streaming_truth(const core::SyntheticCorpus& synthetic,
                                            const std::vector<core::MultiVector>& queries) const {
  const auto& spec = synthetic.spec();
  std::vector<core::PreparedQuery> prepared;
  for (const auto& q : queries) prepared.emplace_back(q);
  const int parts = core::resolve_threads(*std::max_element(o_.threads.begin(), o_.threads.end()));
  std::vector<std::vector<core::TopK>> partial(parts, std::vector<core::TopK>(queries.size(), core::TopK(10)));
  core::run_parts(parts, core::split_evenly(spec.pages, parts), [&](int part, std::size_t begin, std::size_t end) {
    std::vector<float> values(spec.rows * spec.dim);
    std::vector<float> score(1);
    for (std::size_t i = begin; i < end; ++i) {
      core::Corpus one(spec.dim);
      synthetic.page(i, values);
      one.add_page(std::int64_t(i), values);
      for (std::size_t q = 0; q < prepared.size(); ++q) {
        core::score_pages(prepared[q], one, 0, 1, score);
        partial[part][q].push(score[0], i);
      }
    }
  });
  std::vector<Ranking> truth;
  for (std::size_t q = 0; q < queries.size(); ++q) {
    core::TopK all(10);
    for (const auto& p : partial) all.merge(p[q]);
    Ranking r;
    for (const auto& s : all.sorted()) r.push_back(std::int64_t(s.index));
    truth.push_back(r);
  }
  return truth;
}

// Larger than memory: one generation pass writes the f16 corpus file, builds the first-pass
// index and computes the exact f32 truth; tiered search then reranks through the mapping.
void Bench::run_mapped_tiered(const core::SyntheticCorpus& synthetic,
                              const std::vector<core::MultiVector>& queries) {
  const auto& spec = synthetic.spec();
  const auto path = std::filesystem::path(o_.mmap_dir) / ("synthetic-" + std::to_string(spec.pages) + "-f16.pwc");
  std::vector<core::PreparedQuery> prepared;
  for (const auto& q : queries) prepared.emplace_back(q);
  const int parts = core::resolve_threads(*std::max_element(o_.threads.begin(), o_.threads.end()));
  std::vector<std::vector<core::TopK>> partial(parts, std::vector<core::TopK>(queries.size(), core::TopK(10)));
  core::Corpus first(spec.dim, core::VectorForm::int8);
  first.reserve(spec.pages, spec.pages * o_.first_pass_rows);
  const auto t0 = std::chrono::steady_clock::now();
  {
    core::CorpusFileWriter writer(path, spec.dim, core::VectorForm::f16);
    constexpr std::size_t kChunk = 128;
    std::vector<core::Corpus> encoded(kChunk, core::Corpus(spec.dim, core::VectorForm::f16));
    std::vector<core::MultiVector> pooled(kChunk);
    for (std::size_t c = 0; c < spec.pages; c += kChunk) {
      const std::size_t n = std::min(kChunk, spec.pages - c);
      core::run_parts(parts, core::split_evenly(n, parts), [&](int part, std::size_t begin, std::size_t end) {
        std::vector<float> values(spec.rows * spec.dim);
        std::vector<float> score(1);
        for (std::size_t j = begin; j < end; ++j) {
          const std::size_t page = c + j;
          synthetic.page(page, values);
          core::Corpus one(spec.dim);
          one.add_page(std::int64_t(page), values);
          for (std::size_t q = 0; q < prepared.size(); ++q) {
            core::score_pages(prepared[q], one, 0, 1, score);
            partial[part][q].push(score[0], page);
          }
          encoded[j] = core::Corpus(spec.dim, core::VectorForm::f16);
          encoded[j].add_page(std::int64_t(page), values);
          pooled[j] = core::kmeans_pool(values, spec.dim, o_.first_pass_rows);
        }
      });
      for (std::size_t j = 0; j < n; ++j) {
        writer.add_encoded_page(encoded[j].page_id(0), encoded[j].rows(0), encoded[j].page_bytes(0), {});
        first.add_page(encoded[j].page_id(0), pooled[j].values());
      }
    }
    writer.finish();
  }
  const double build_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::vector<Ranking> truth;
  for (std::size_t q = 0; q < queries.size(); ++q) {
    core::TopK all(10);
    for (const auto& p : partial) all.merge(p[q]);
    Ranking r;
    for (const auto& s : all.sorted()) r.push_back(std::int64_t(s.index));
    truth.push_back(r);
  }
  const core::Corpus mapped = core::map_corpus(path);
  const core::Searcher searcher(mapped, first);
  const std::size_t candidates = o_.candidates ? o_.candidates : core::kDefaultCandidates;
  for (const int t : o_.threads) {
    std::vector<Ranking> got(queries.size());
    std::ostringstream note;
    note << "rerank f16 memory-mapped from " << path.string() << " (" << std::fixed << std::setprecision(0)
         << double(mapped.memory_bytes()) / 1048576.0 << " MB on disk); first pass " << o_.first_pass_rows
         << " int8 rows/page resident (" << double(first.memory_bytes()) / 1048576.0 << " MB); setup "
         << build_s << " s; " << candidates << " candidates";
    Row row{current_pages_, "tiered", "f16map", t, {}, NAN, NAN, double(first.memory_bytes()) / 1048576.0, note.str()};
    row.latency = time_queries(queries.size(), [&](std::size_t q) {
      got[q] = ranking_of(searcher.search(queries[q], {.k = 10, .threads = t, .candidates = candidates}));
    });
    row.recall10 = recall_at(truth, got, 10);
    row.floor_ms = tiered_floor_ms(first, mapped, candidates, spec.query_tokens, t);
    rows_.push_back(row);
  }
}

void Bench::run_size(std::size_t pages) {
  current_pages_ = pages;
  core::SyntheticSpec spec;
  spec.pages = pages;
  const core::SyntheticCorpus synthetic(spec);
  std::vector<core::MultiVector> queries;
  for (std::size_t q = 0; q < o_.queries; ++q) queries.push_back(synthetic.query(q));
  const double rows = double(pages) * double(spec.rows);
  auto form_mb = [&](core::VectorForm f) { return rows * double(core::row_bytes(f, spec.dim)) / 1048576.0; };

  std::vector<Ranking> truth;
  std::optional<core::Corpus> f32;
  const bool nothing_fits = !fits(form_mb(core::VectorForm::int8) * 1.1);
  if (nothing_fits && !o_.mmap_dir.empty()) {
    skipped_.push_back(std::to_string(pages) + " pages: no exact form fits in memory; f32, torch and exact forms skipped");
    run_mapped_tiered(synthetic, queries);
    return;
  }
  if (fits(form_mb(core::VectorForm::f32))) {
    f32.emplace(synthetic.build(core::VectorForm::f32));
    run_exact(*f32, spec, queries, &truth);
    if (!o_.no_torch) run_torch(*f32, queries, truth);
  } else {
    skipped_.push_back(std::to_string(pages) + " pages: f32 (" + std::to_string(int(form_mb(core::VectorForm::f32))) +
                       " MB) does not fit; exact f32 truth computed by regenerating pages; torch skipped");
    truth = streaming_truth(synthetic, queries);
  }
  for (const auto& name : o_.forms) {
    const auto form = core::parse_form(name);
    if (!form || *form == core::VectorForm::f32 || *form == core::VectorForm::bit1) continue;
    if (!fits(form_mb(*form) + (f32 ? 0 : 0))) {
      skipped_.push_back(std::to_string(pages) + " pages: " + name + " (" + std::to_string(int(form_mb(*form))) +
                         " MB) does not fit in memory");
      continue;
    }
    const core::Corpus stored = f32 ? f32->converted(*form) : synthetic.build(*form);
    run_exact(stored, spec, queries, &truth);
  }
  if (o_.no_tiered) return;
  // Rerank in f16 when it fits beside nothing else, int8 otherwise.
  f32.reset();
  const core::VectorForm rerank =
      fits(form_mb(core::VectorForm::f16) * 1.1) ? core::VectorForm::f16 : core::VectorForm::int8;
  if (!fits(form_mb(rerank) * 1.1)) {
    if (o_.mmap_dir.empty()) {
      skipped_.push_back(std::to_string(pages) + " pages: tiered (rerank corpus " +
                         std::to_string(int(form_mb(rerank))) + " MB) does not fit in memory; give --mmap-dir");
    } else {
      run_mapped_tiered(synthetic, queries);
    }
    return;
  }
  run_tiered(synthetic.build(rerank), queries, truth);
}

std::string fmt(double v, int precision = 1) {
  if (std::isnan(v)) return "-";
  std::ostringstream s;
  s << std::fixed << std::setprecision(precision) << v;
  return s.str();
}

const Row* torch_row(const std::vector<Row>& rows, std::size_t pages, int threads) {
  for (const auto& r : rows) {
    if (r.method == "torch" && r.pages == pages && r.threads == threads) return &r;
  }
  return nullptr;
}

void print_table(const std::vector<Row>& rows, std::ostream& out) {
  out << std::left << std::setw(7) << "pages" << std::setw(8) << "method" << std::setw(6) << "form"
      << std::right << std::setw(4) << "thr" << std::setw(10) << "p50 ms" << std::setw(10) << "p99 ms"
      << std::setw(9) << "QPS" << std::setw(10) << "cpu ms/q" << std::setw(9) << "vs (a)" << std::setw(10)
      << "floor ms" << std::setw(9) << "x floor" << std::setw(9) << "rec@10" << std::setw(10) << "index MB"
      << "  note\n";
  for (const auto& r : rows) {
    const Row* a = torch_row(rows, r.pages, r.threads);
    const double p50 = r.latency.percentile(0.5);
    out << std::left << std::setw(7) << r.pages << std::setw(8) << r.method << std::setw(6) << r.form
        << std::right << std::setw(4) << r.threads << std::setw(10) << fmt(p50) << std::setw(10)
        << fmt(r.latency.percentile(0.99)) << std::setw(9) << fmt(r.latency.qps(), 2) << std::setw(10)
        << fmt(r.latency.cpu_ms_per_query()) << std::setw(9)
        << (a && r.method != "torch" ? fmt(a->latency.percentile(0.5) / p50, 1) + "x" : "-") << std::setw(10)
        << fmt(r.floor_ms) << std::setw(9) << fmt(p50 / r.floor_ms, 2) << std::setw(9) << fmt(r.recall10, 3)
        << std::setw(10) << fmt(r.index_mb, 0) << "  " << r.note << "\n";
  }
}

nlohmann::json to_json(const std::vector<Row>& rows, const core::ArithmeticPeak& peak,
                       const std::vector<std::string>& skipped) {
  auto num = [](double v) { return std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v); };
  nlohmann::json j;
  const char* coretype = std::getenv("OPENBLAS_CORETYPE");
  j["machine"] = {{"isa", std::string(peak.isa)},
                  {"peak_f32_gflops_per_core", peak.f32_gflops},
                  {"peak_int16_madd_gops_per_core", peak.int16_gops},
                  {"openblas_coretype", coretype ? coretype : ""}};
  j["results"] = nlohmann::json::array();
  for (const auto& r : rows) {
    const Row* a = torch_row(rows, r.pages, r.threads);
    const double p50 = r.latency.percentile(0.5);
    j["results"].push_back({{"pages", r.pages},
                            {"method", r.method},
                            {"form", r.form},
                            {"threads", r.threads},
                            {"queries", r.latency.wall_ms.size()},
                            {"p50_ms", num(p50)},
                            {"p99_ms", num(r.latency.percentile(0.99))},
                            {"qps", num(r.latency.qps())},
                            {"cpu_ms_per_query", num(r.latency.cpu_ms_per_query())},
                            {"speedup_vs_torch", num(a && r.method != "torch" ? a->latency.percentile(0.5) / p50 : NAN)},
                            {"floor_ms", num(r.floor_ms)},
                            {"ratio_to_floor", num(p50 / r.floor_ms)},
                            {"recall_at_10", num(r.recall10)},
                            {"index_mb", num(r.index_mb)},
                            {"note", r.note}});
  }
  j["skipped"] = skipped;
  j["peak_rss_mb"] = double(proc_kb("/proc/self/status", "VmHWM:")) / 1024.0;
  return j;
}

void run_bench(const BenchOptions& options, std::ostream& out) {
  const core::ArithmeticPeak peak = core::measure_arithmetic_peak();
  const char* coretype = std::getenv("OPENBLAS_CORETYPE");
  if (!options.json) {
    out << "patchwise bench: kernels " << peak.isa << ", one core measured at " << fmt(peak.f32_gflops)
        << " GFLOP/s fp32 FMA and " << fmt(peak.int16_gops) << " GOP/s int16 multiply-add; OPENBLAS_CORETYPE="
        << (coretype ? coretype : "(unset)") << "\n"
        << "synthetic pages of 1030 x 128 (core/synthetic_corpus.h), 32-token queries; latency is wall time, "
           "cpu ms/q is process CPU time (the machine may be shared)\n";
  }
  Bench bench(options, peak);
  for (const std::size_t pages : options.pages) {
    bench.run_size(pages);
    if (!options.json) {
      std::vector<Row> these;
      for (const auto& r : bench.rows()) if (r.pages == pages) these.push_back(r);
      out << "\n";
      print_table(these, out);
      out << "resident memory now " << fmt(rss_mb(), 0) << " MB\n" << std::flush;
    }
  }
  if (options.json) {
    out << to_json(bench.rows(), peak, bench.skipped()).dump(2) << "\n";
  } else {
    for (const auto& s : bench.skipped()) out << "skipped: " << s << "\n";
    out << "peak resident memory " << fmt(double(proc_kb("/proc/self/status", "VmHWM:")) / 1024.0, 0) << " MB\n";
  }
}

}  // namespace

void add_bench_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  auto options = std::make_shared<BenchOptions>();
  auto* cmd = app.add_subcommand(
      "bench", "Measure search latency, throughput and recall on synthetic ColPali-size corpora");
  cmd->add_option("--pages", options->pages, "Corpus sizes, comma separated (default: 1000,10000)")
      ->delimiter(',');
  cmd->add_option("--threads-list", options->threads, "Thread counts to compare (default: 1,2)")->delimiter(',');
  cmd->add_option("--forms", options->forms, "Exact storage forms (default: f32,f16,bf16,int8)")->delimiter(',');
  cmd->add_option("--queries", options->queries, "Queries per measurement (default: 10)");
  cmd->add_option("--torch-queries", options->torch_queries, "Queries for the slow libtorch baseline (default: 3)");
  cmd->add_flag("--no-torch", options->no_torch, "Skip the libtorch baseline");
  cmd->add_flag("--no-tiered", options->no_tiered, "Skip tiered search");
  cmd->add_option("--candidates", options->candidates, "Tiered: pages reranked exactly (default: the searcher's)");
  cmd->add_option("--first-pass-rows", options->first_pass_rows, "Tiered: pooled rows per page (default: 32)");
  cmd->add_option("--memory-fraction", options->memory_fraction,
                  "Largest share of available memory one corpus may take (default: 0.6)");
  cmd->add_option("--mmap-dir", options->mmap_dir,
                  "Folder for an f16 corpus file when a corpus does not fit in memory (tiered search then "
                  "reranks through a memory mapping; default: skip such sizes)");
  cmd->add_flag("--json", options->json, "Print one machine-readable JSON summary");
  cmd->callback([options, &global, &exit_code] {
    if (options->threads.empty() || options->pages.empty() || options->queries == 0) {
      throw Error("bench: --pages, --threads-list and --queries need at least one value each");
    }
    if (global.threads > 0) options->threads = {global.threads};
    run_bench(*options, std::cout);
    exit_code = kOk;
  });
}

}  // namespace patchwise::app
