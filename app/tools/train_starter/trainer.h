#pragma once
// The starter model's training program (see README.md beside this file): data from Debian
// documentation packages, crops rendered through vision::Document, losses from
// models/starter/starter_loss.h, checkpoints to resume from, and a held-out retrieval check.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace patchwise::tools {

struct TrainOptions {
  std::filesystem::path work;          // checkpoint/, model/ (exported), train.log
  std::filesystem::path cache;         // Debian packages: debs/ and tree/
  std::filesystem::path exclude_list;  // shared/eval/exclude-sha256.txt
  std::vector<std::string> packages;
  std::uint64_t seed = 1;
  int steps = 200;            // train until this step count (a resumed run continues to it)
  int pages_per_step = 4;
  int crops_per_page = 2;
  int crop_px = 384;
  double learning_rate = 2e-3;
  double scanlike_chance = 0.5;
  int threads = 1;
  int checkpoint_every = 50;
  int log_every = 10;
  int eval_pages = 40;        // held-out pages for the retrieval check (0: skip it)
  bool train_text = false;    // also train the query tower (else it stays the lexical hashing)
  bool eval_only = false;
  int preview_crops = 0;      // > 0: write that many crops of step 1 as PNGs to <work>/preview/ and stop
};

// Returns the process exit code; errors are reported on stderr.
int run_training(const TrainOptions& options);

}  // namespace patchwise::tools
