#include "app/tools/train_starter/trainer.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <random>
#include <set>

#include "app/tools/train_starter/crops.h"
#include "app/tools/train_starter/debian_docs.h"
#include "app/tools/train_starter/join.h"
#include "app/tools/train_starter/retrieval_check.h"
#include "app/tools/train_starter/scanlike.h"
#include "core/error.h"
#include "models/runtime.h"
#include "models/starter/starter_loss.h"
#include "models/starter/starter_net.h"
#include "models/starter/training_files.h"
#include "vision/document.h"

namespace patchwise::tools {
namespace fs = std::filesystem;
using models::starter::StarterConfig;
using models::starter::StarterNet;

namespace {

struct PageRef {
  std::size_t file = 0;
  int page = 0;
};

struct Corpus {
  std::vector<models::starter::TrainingFile> train;
  std::vector<models::starter::TrainingFile> held_out;
  std::vector<int> page_counts;  // per train file
};

void log_line(const std::string& line) { std::cout << line << std::endl; }

Corpus gather(const TrainOptions& o) {
  const auto report = fetch_doc_packages(o.packages, o.cache, log_line);
  for (const auto& f : report.failed) log_line(join({"skipped package ", f}));
  const auto exclude = models::starter::ExcludeList::read(o.exclude_list);
  const auto selection = models::starter::select_training_files(unpacked_tree(o.cache), exclude);
  log_line(join({"PDFs: ", std::to_string(selection.files.size()), " usable, ",
                 std::to_string(selection.excluded.size()), " skipped as evaluation documents (sha256 listed in ",
                 o.exclude_list.string(), "), ", std::to_string(selection.duplicates), " duplicates"}));
  Corpus corpus;
  for (const auto& file : selection.files) {
    if (file.held_out) {
      corpus.held_out.push_back(file);
      continue;
    }
    try {
      const auto doc = vision::Document::open(file.path);
      corpus.page_counts.push_back(doc->page_count());
      corpus.train.push_back(file);
    } catch (const Error& e) {
      log_line(join({"skipped ", e.what()}));
    }
  }
  log_line(join({"training files: ", std::to_string(corpus.train.size()), ", held-out files: ",
                 std::to_string(corpus.held_out.size())}));
  if (corpus.train.empty()) throw Error(join({"no training PDFs found under ", unpacked_tree(o.cache).string()}));
  return corpus;
}

// Opened documents, kept for reuse: poppler parses a file once.
class DocumentCache {
 public:
  const vision::Document& get(const fs::path& path) {
    auto it = open_.find(path);
    if (it == open_.end()) {
      if (open_.size() >= 32) open_.clear();
      it = open_.emplace(path, vision::Document::open(path)).first;
    }
    return *it->second;
  }

 private:
  std::map<fs::path, std::unique_ptr<vision::Document>> open_;
};

struct Batch {
  torch::Tensor ink;                                  // [N, 1, S, S]
  std::vector<std::string> vocabulary;                // distinct word pieces
  std::vector<std::int64_t> cell_index;               // crop * cells + row * cols + col
  std::vector<std::vector<std::int64_t>> cell_words;  // positives per labelled cell
  std::vector<std::vector<std::string>> queries;      // pieces per query
  std::vector<std::int64_t> query_crop;
};

double uniform(std::mt19937_64& rng) { return std::uniform_real_distribution<double>(0, 1)(rng); }

std::vector<Crop> sample_crops(const TrainOptions& o, const StarterConfig& config, const Corpus& corpus,
                               DocumentCache& docs, std::mt19937_64& rng) {
  std::vector<Crop> crops;
  for (int p = 0, tries = 0; p < o.pages_per_step && tries < 20 * o.pages_per_step; ++tries) {
    const std::size_t file = std::uniform_int_distribution<std::size_t>(0, corpus.train.size() - 1)(rng);
    const int page = std::uniform_int_distribution<int>(0, corpus.page_counts[file] - 1)(rng);
    try {
      const auto& doc = docs.get(corpus.train[file].path);
      const auto size = doc.page_size(page);
      // Scale jitter: real pages reach the encoder at many sizes.
      const double longest_in = std::max(size.width_pt, size.height_pt) / 72.0;
      const double dpi = config.longest_side * (0.85 + 0.3 * uniform(rng)) / longest_in;
      const auto image = doc.render(page, vision::RenderTarget{dpi, 100'000'000});
      if (image.words.size() < 20) continue;
      const cv::Mat gray = to_gray(image);
      for (int k = 0; k < o.crops_per_page; ++k) {
        auto crop = cut_crop(image, gray, o.crop_px, rng);
        if (!crop) continue;
        if (uniform(rng) < o.scanlike_chance) degrade_scanlike(crop->gray, rng);
        crops.push_back(std::move(*crop));
      }
      ++p;
    } catch (const Error& e) {
      log_line(join({"skipped a page: ", e.what()}));
    }
  }
  return crops;
}

Batch make_batch(const std::vector<Crop>& crops, int cell_px, std::mt19937_64& rng) {
  Batch b;
  const int size = crops.front().gray.rows;
  const int grid = size / cell_px;
  auto ink = torch::empty({std::int64_t(crops.size()), 1, size, size});
  std::map<std::string, std::int64_t> ids;
  auto id_of = [&](const std::string& piece) {
    auto [it, added] = ids.emplace(piece, std::int64_t(b.vocabulary.size()));
    if (added) b.vocabulary.push_back(piece);
    return it->second;
  };
  for (std::size_t n = 0; n < crops.size(); ++n) {
    const auto& crop = crops[n];
    auto pixels = torch::from_blob(crop.gray.data, {size, size}, torch::kUInt8).to(torch::kFloat32);
    ink[std::int64_t(n)][0] = 1.0f - pixels / 255.0f;
    std::map<std::int64_t, std::set<std::int64_t>> cells;
    for (const auto& word : crop.words) {
      const auto id = id_of(word.piece);
      for (const auto& cell : models::starter::cells_covered(word.box, cell_px, grid, grid)) {
        cells[std::int64_t(n) * grid * grid + cell.row * grid + cell.col].insert(id);
      }
    }
    for (const auto& [index, words] : cells) {
      b.cell_index.push_back(index);
      b.cell_words.emplace_back(words.begin(), words.end());
    }
    const std::size_t length = std::uniform_int_distribution<std::size_t>(1, 4)(rng);
    const std::size_t start =
        std::uniform_int_distribution<std::size_t>(0, crop.words.size() - std::min(length, crop.words.size()))(rng);
    std::vector<std::string> query;
    for (std::size_t i = start; i < std::min(crop.words.size(), start + length); ++i) {
      query.push_back(crop.words[i].piece);
      id_of(crop.words[i].piece);
    }
    b.queries.push_back(std::move(query));
    b.query_crop.push_back(std::int64_t(n));
  }
  b.ink = ink;
  return b;
}

struct StepLoss {
  double cell = 0;
  double page = 0;
};

StepLoss train_step(StarterNet& net, torch::optim::Optimizer& optimizer, const Batch& b) {
  const auto& config = net->config();
  models::starter::TextFeaturizer featurizer(config);
  models::starter::FeatureBags bags;
  for (const auto& piece : b.vocabulary) featurizer.add_piece(piece, bags);
  const auto words = net->encode_text(bags);  // [U, D]
  const auto maps = net->encode_ink(b.ink);   // [N, D, g, g]
  const auto n = maps.size(0);
  const auto dim = maps.size(1);
  const auto cells = maps.flatten(2).transpose(1, 2);  // [N, C, D]
  const auto flat = cells.reshape({-1, dim});
  const auto labelled = flat.index_select(0, torch::tensor(b.cell_index, torch::kInt64));
  auto positives = torch::zeros({std::int64_t(b.cell_index.size()), std::int64_t(b.vocabulary.size())}, torch::kBool);
  for (std::size_t i = 0; i < b.cell_words.size(); ++i) {
    for (auto w : b.cell_words[i]) positives[std::int64_t(i)][w] = true;
  }
  const auto cell_loss = models::starter::cell_word_loss(labelled, words, positives, 0.05);

  const int cell = config.cell_px();
  const auto valid =
      torch::nn::functional::max_pool2d(b.ink, torch::nn::functional::MaxPool2dFuncOptions(cell).stride(cell))
          .flatten(1) > config.ink_threshold;  // [N, C]
  std::map<std::string, std::int64_t> row_of;
  for (std::size_t i = 0; i < b.vocabulary.size(); ++i) row_of[b.vocabulary[i]] = std::int64_t(i);
  std::vector<torch::Tensor> queries;
  for (const auto& q : b.queries) {
    std::vector<std::int64_t> rows;
    for (const auto& piece : q) rows.push_back(row_of.at(piece));
    queries.push_back(words.index_select(0, torch::tensor(rows, torch::kInt64)));
  }
  const auto page_loss = models::starter::page_maxsim_loss(queries, cells, valid.reshape({n, -1}), b.query_crop, 0.05);

  optimizer.zero_grad();
  (cell_loss + page_loss).backward();
  optimizer.step();
  return {cell_loss.item<double>(), page_loss.item<double>()};
}

// ---- checkpoints ----

fs::path checkpoint_dir(const TrainOptions& o) { return o.work / "checkpoint"; }

void save_checkpoint(const TrainOptions& o, StarterNet& net, torch::optim::Optimizer& optimizer, int step) {
  const fs::path tmp = o.work / "checkpoint.tmp";
  fs::remove_all(tmp);
  models::starter::write_config(net->config(), tmp);
  models::starter::save_weights(net, tmp / models::starter::kWeightsFile);
  torch::save(optimizer, (tmp / "optimizer.pt").string());
  std::ofstream(tmp / "state.json") << nlohmann::json{{"step", step}, {"seed", o.seed}}.dump(2) << "\n";
  // Replace the old checkpoint only once the new one is complete.
  const fs::path old = o.work / "checkpoint.old";
  fs::remove_all(old);
  if (fs::exists(checkpoint_dir(o))) fs::rename(checkpoint_dir(o), old);
  fs::rename(tmp, checkpoint_dir(o));
  fs::remove_all(old);
}

int load_step(const TrainOptions& o) {
  std::ifstream in(checkpoint_dir(o) / "state.json");
  if (!in) return 0;
  return nlohmann::json::parse(in).at("step").get<int>();
}

void export_model(const TrainOptions& o, StarterNet& net) {
  const fs::path model = o.work / "model";
  models::starter::write_config(net->config(), model);
  models::starter::save_weights(net, model / models::starter::kWeightsFile);
  log_line(join({"exported the model to ", model.string()}));
}

}  // namespace

int run_training(const TrainOptions& o) {
  try {
    models::configure_runtime({o.threads});
    torch::manual_seed(o.seed);
    fs::create_directories(o.work);
    const Corpus corpus = gather(o);

    if (o.preview_crops > 0) {
      std::mt19937_64 rng(o.seed * 1'000'003ull + 1);
      DocumentCache docs;
      const auto crops = sample_crops(o, StarterConfig{}, corpus, docs, rng);
      fs::create_directories(o.work / "preview");
      for (int i = 0; i < std::min<int>(o.preview_crops, int(crops.size())); ++i) {
        write_preview(crops[std::size_t(i)], StarterConfig{}.cell_px(),
                      o.work / "preview" / join({"crop-", std::to_string(i), ".png"}));
      }
      log_line(join({"wrote previews to ", (o.work / "preview").string()}));
      return 0;
    }
    const int start = load_step(o);
    StarterConfig config;
    if (start > 0) config = models::starter::read_config(checkpoint_dir(o));
    StarterNet net(config);
    std::vector<torch::Tensor> params;
    for (auto& p : net->named_parameters()) {
      const bool text = p.key().starts_with("text.");
      p.value().set_requires_grad(!text || o.train_text);
      if (!text || o.train_text) params.push_back(p.value());
    }
    torch::optim::AdamW optimizer(params, torch::optim::AdamWOptions(o.learning_rate).weight_decay(1e-4));
    if (start > 0) {
      models::starter::load_weights(net, checkpoint_dir(o) / models::starter::kWeightsFile);
      torch::load(optimizer, (checkpoint_dir(o) / "optimizer.pt").string());
      log_line(join({"resumed from step ", std::to_string(start)}));
    }

    std::ofstream log(o.work / "train.log", std::ios::app);
    DocumentCache docs;
    net->train();
    double cell_sum = 0, page_sum = 0;
    int logged = 0;
    auto t0 = std::chrono::steady_clock::now();
    for (int step = start + 1; step <= o.steps && !o.eval_only; ++step) {
      // Each step draws from its own seed, so a resumed run sees the same data as an unbroken one.
      std::mt19937_64 rng(o.seed * 1'000'003ull + std::uint64_t(step));
      const auto crops = sample_crops(o, config, corpus, docs, rng);
      if (crops.size() < 2) continue;
      const auto loss = train_step(net, optimizer, make_batch(crops, config.cell_px(), rng));
      cell_sum += loss.cell;
      page_sum += loss.page;
      ++logged;
      if (step % o.log_every == 0) {
        const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        char line[200];
        std::snprintf(line, sizeof line, "step %d  cell_loss %.4f  page_loss %.4f  crops %zu  %.2f s/step", step,
                      cell_sum / logged, page_sum / logged, crops.size(), secs / logged);
        log_line(line);
        log << line << "\n" << std::flush;
        cell_sum = page_sum = 0;
        logged = 0;
        t0 = std::chrono::steady_clock::now();
      }
      if (step % o.checkpoint_every == 0 || step == o.steps) save_checkpoint(o, net, optimizer, step);
    }
    export_model(o, net);
    if (o.eval_pages > 0) {
      const auto report = check_retrieval(net, corpus.held_out, o.eval_pages, o.seed);
      log_line(report);
      log << report << "\n";
    }
    return 0;
  } catch (const Error& e) {
    std::cerr << "error: " << e.what() << "\n";
  } catch (const c10::Error& e) {
    std::cerr << "error in libtorch: " << e.what_without_backtrace() << "\n";
  }
  return 1;
}

}  // namespace patchwise::tools
