#include "app/tools/train_starter/retrieval_check.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>

#include <time.h>

#include "app/tools/train_starter/crops.h"
#include "app/tools/train_starter/join.h"
#include "app/tools/train_starter/scanlike.h"
#include "core/error.h"
#include "core/maxsim_reference.h"
#include "models/lexical/lexical_encoder.h"
#include "models/starter/starter_encoder.h"
#include "vision/document.h"

namespace patchwise::tools {
namespace {

struct Probe {
  std::vector<vision::PageImage> pages;
  std::vector<std::string> queries;  // queries[i] targets pages[i]
};

// Three consecutive words of 3+ characters, from a seeded position.
std::string query_of(const vision::PageImage& page, std::mt19937_64& rng) {
  std::vector<std::string> pieces;
  for (const auto& word : page.words) {
    for (auto& piece : models::LexicalEncoder::split_words(word.text)) pieces.push_back(std::move(piece));
  }
  for (int attempt = 0; attempt < 50 && pieces.size() >= 3; ++attempt) {
    const std::size_t start = std::uniform_int_distribution<std::size_t>(0, pieces.size() - 3)(rng);
    if (pieces[start].size() >= 3 && pieces[start + 1].size() >= 3 && pieces[start + 2].size() >= 3) {
      return join({pieces[start], " ", pieces[start + 1], " ", pieces[start + 2]});
    }
  }
  return {};
}

Probe make_probe(const std::vector<models::starter::TrainingFile>& files, int page_count, std::uint64_t seed) {
  Probe probe;
  std::mt19937_64 rng(seed ^ 0x5eedf00dull);
  for (const auto& file : files) {
    if (int(probe.pages.size()) >= page_count) break;
    try {
      const auto doc = vision::Document::open(file.path);
      const int n = doc->page_count();
      // Up to 25 pages spread over each document.
      const int spread = std::min(n, 25);
      for (int k = 0; k < spread && int(probe.pages.size()) < page_count; ++k) {
        auto page = doc->render(n * k / spread, vision::RenderTarget{});
        if (page.words.size() < 40) continue;
        auto query = query_of(page, rng);
        if (query.empty()) continue;
        probe.pages.push_back(std::move(page));
        probe.queries.push_back(std::move(query));
      }
    } catch (const Error&) {
      continue;  // unreadable held-out files are simply not probed
    }
  }
  return probe;
}

vision::PageImage scanlike_copy(const vision::PageImage& page, std::mt19937_64& rng) {
  cv::Mat gray = to_gray(page);
  degrade_scanlike(gray, rng);
  cv::Mat rgb;
  cv::cvtColor(gray, rgb, cv::COLOR_GRAY2RGB);
  vision::PageImage out;
  out.width = rgb.cols;
  out.height = rgb.rows;
  out.rgb.assign(rgb.data, rgb.data + rgb.total() * 3);
  out.width_pt = page.width_pt;
  out.height_pt = page.height_pt;
  return out;  // no text layer: a scan
}

struct Scores {
  double recall1 = 0;
  double mrr10 = 0;
  double pages_per_s = 0;
  double cpu_s_per_page = 0;  // process CPU time: meaningful even when the machine is shared
};

double cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return double(t.tv_sec) + double(t.tv_nsec) * 1e-9;
}

Scores rank(models::Encoder& encoder, const std::vector<vision::PageImage>& pages,
            const std::vector<std::string>& queries) {
  const auto t0 = std::chrono::steady_clock::now();
  const double cpu0 = cpu_seconds();
  const auto embedded = encoder.encode_pages(pages);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double cpu = cpu_seconds() - cpu0;
  const auto encoded = encoder.encode_queries(queries);
  Scores s;
  s.pages_per_s = double(pages.size()) / secs;
  s.cpu_s_per_page = cpu / double(pages.size());
  for (std::size_t q = 0; q < encoded.size(); ++q) {
    std::vector<double> score(pages.size());
    for (std::size_t p = 0; p < pages.size(); ++p) {
      score[p] = core::maxsim_reference(encoded[q], embedded[p].vectors.values(), embedded[p].vectors.rows());
    }
    std::size_t rank = 1;
    for (std::size_t p = 0; p < pages.size(); ++p) rank += (p != q && score[p] >= score[q]) ? 1 : 0;
    s.recall1 += rank == 1 ? 1 : 0;
    s.mrr10 += rank <= 10 ? 1.0 / double(rank) : 0;
  }
  s.recall1 /= double(encoded.size());
  s.mrr10 /= double(encoded.size());
  return s;
}

std::string line(const char* what, const Scores& s) {
  char out[200];
  std::snprintf(out, sizeof out, "  %-24s R@1 %.3f  MRR@10 %.3f  (%.2f pages/s wall, %.3f CPU-s/page)\n", what,
                s.recall1, s.mrr10, s.pages_per_s, s.cpu_s_per_page);
  return out;
}

}  // namespace

std::string check_retrieval(models::starter::StarterNet& net, const std::vector<models::starter::TrainingFile>& files,
                            int page_count, std::uint64_t seed) {
  const Probe probe = make_probe(files, page_count, seed);
  if (probe.pages.size() < 2) return "retrieval check: fewer than 2 usable held-out pages";
  std::mt19937_64 rng(seed ^ 0xdecafull);
  std::vector<vision::PageImage> scans;
  for (const auto& page : probe.pages) scans.push_back(scanlike_copy(page, rng));

  models::starter::StarterEncoder starter(net, "starter (training)");
  models::LexicalEncoder lexical(models::LexicalSettings{});
  const double n = double(probe.pages.size());
  std::string report = join({"retrieval check on ", std::to_string(probe.pages.size()),
                             " held-out pages, one 3-word query each (chance R@1 ", std::to_string(1.0 / n), "):\n"});
  report += line("starter, born-digital", rank(starter, probe.pages, probe.queries));
  report += line("starter, scan-like", rank(starter, scans, probe.queries));
  report += line("lexical (text layer)", rank(lexical, probe.pages, probe.queries));
  net->train();
  return report;
}

}  // namespace patchwise::tools
