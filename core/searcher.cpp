#include "core/searcher.h"

#include <algorithm>
#include <string>

#include "core/error.h"
#include "core/parallel.h"
#include "core/top_k.h"

namespace patchwise::core {
namespace {

std::vector<Hit> to_hits(const std::vector<Scored>& best, const Corpus& corpus) {
  std::vector<Hit> hits;
  hits.reserve(best.size());
  for (const auto& s : best) hits.push_back({corpus.page_id(s.index), s.score});
  return hits;
}

int parts_for(const SearchOptions& options, std::size_t items) {
  return std::max(1, std::min<int>(resolve_threads(options.threads),
                                   static_cast<int>(std::max<std::size_t>(items, 1))));
}

}  // namespace

Searcher::Searcher(const Corpus& corpus, const Corpus& first_pass)
    : corpus_(corpus), first_pass_(&first_pass) {
  if (first_pass.page_count() != corpus.page_count() || first_pass.dim() != corpus.dim()) {
    throw Error("Searcher: the first-pass index has " + std::to_string(first_pass.page_count()) +
                " pages of dim " + std::to_string(first_pass.dim()) + " but the corpus has " +
                std::to_string(corpus.page_count()) + " of dim " + std::to_string(corpus.dim()) +
                "; rebuild the index");
  }
  for (std::size_t i = 0; i < corpus.page_count(); ++i) {
    if (first_pass.page_id(i) != corpus.page_id(i)) {
      throw Error("Searcher: the first-pass index is out of step with the corpus at page " +
                  std::to_string(i) + "; rebuild the index");
    }
  }
}

void Searcher::check_dim(const MultiVector& query) const {
  if (query.dim() != corpus_.dim()) {
    throw Error("search: the query has dimension " + std::to_string(query.dim()) +
                " but the library's vectors have " + std::to_string(corpus_.dim()));
  }
}

std::vector<std::vector<Scored>> Searcher::brute_force(std::span<const PreparedQuery> queries,
                                                       const Corpus& corpus, std::size_t k,
                                                       const SearchOptions& options) const {
  const int parts = parts_for(options, corpus.page_count());
  const auto bounds = split_pages_by_rows(corpus, parts);
  std::vector<std::vector<TopK>> partial(parts, std::vector<TopK>(queries.size(), TopK(k)));
  run_parts(parts, bounds, [&](int part, std::size_t begin, std::size_t end) {
    // Pages in groups of about 256 KB, every query per group: the group stays in the
    // core's cache while all queries read it, so a batch never reads DRAM more than once.
    const std::size_t page_bytes =
        std::max<std::size_t>(1, corpus.row_bytes() * corpus.total_rows() / std::max<std::size_t>(1, corpus.page_count()));
    const std::size_t group = std::clamp<std::size_t>((256u << 10) / page_bytes, 1, 64);
    std::vector<float> scores(group);
    for (std::size_t g = begin; g < end; g += group) {
      const std::size_t g_end = std::min(end, g + group);
      for (std::size_t q = 0; q < queries.size(); ++q) {
        score_pages(queries[q], corpus, g, g_end, scores, options.isa);
        for (std::size_t i = g; i < g_end; ++i) partial[part][q].push(scores[i - g], i);
      }
    }
  });
  std::vector<std::vector<Scored>> results;
  for (std::size_t q = 0; q < queries.size(); ++q) {
    TopK all(k);
    for (const auto& p : partial) all.merge(p[q]);
    results.push_back(all.sorted());
  }
  return results;
}

std::vector<Scored> Searcher::rerank(const PreparedQuery& query,
                                     const std::vector<Scored>& candidates,
                                     const SearchOptions& options) const {
  std::vector<float> exact(candidates.size());
  const int parts = parts_for(options, candidates.size());
  run_parts(parts, split_evenly(candidates.size(), parts), [&](int, std::size_t begin, std::size_t end) {
    for (std::size_t c = begin; c < end; ++c) {
      exact[c] = score_page(query, corpus_, candidates[c].index, options.isa);
    }
  });
  TopK top(options.k);
  for (std::size_t c = 0; c < candidates.size(); ++c) top.push(exact[c], candidates[c].index);
  return top.sorted();
}

std::vector<std::vector<Hit>> Searcher::search_batch(std::span<const MultiVector> queries,
                                                     const SearchOptions& options) const {
  std::vector<PreparedQuery> prepared;
  prepared.reserve(queries.size());
  for (const auto& q : queries) {
    check_dim(q);
    prepared.emplace_back(q);
  }
  std::vector<std::vector<Hit>> results;
  if (options.exact || !first_pass_) {
    for (const auto& best : brute_force(prepared, corpus_, options.k, options)) {
      results.push_back(to_hits(best, corpus_));
    }
    return results;
  }
  const std::size_t candidates =
      std::max(options.k, options.candidates ? options.candidates : kDefaultCandidates);
  const auto first = brute_force(prepared, *first_pass_, candidates, options);
  for (std::size_t q = 0; q < prepared.size(); ++q) {
    results.push_back(to_hits(rerank(prepared[q], first[q], options), corpus_));
  }
  return results;
}

std::vector<Hit> Searcher::search(const MultiVector& query, const SearchOptions& options) const {
  return search_batch(std::span<const MultiVector>(&query, 1), options).front();
}

Explanation Searcher::explain(const MultiVector& query, std::size_t page_index) const {
  check_dim(query);
  if (page_index >= corpus_.page_count()) {
    throw Error("explain: page index " + std::to_string(page_index) + " is out of range (" +
                std::to_string(corpus_.page_count()) + " pages)");
  }
  return core::explain(query, corpus_.decode_page(page_index), corpus_.dim());
}

}  // namespace patchwise::core
