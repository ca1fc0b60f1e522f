// patchwise-train-starter: trains the bundled starter model. See README.md beside this file.
#include <CLI/CLI.hpp>

#include "app/tools/train_starter/trainer.h"

int main(int argc, char** argv) {
  patchwise::tools::TrainOptions o;
  o.exclude_list = PATCHWISE_DEFAULT_EXCLUDE_LIST;
  o.packages = {"pari-doc", "gap-doc", "octave-doc", "gnuplot-doc", "asymptote-doc", "sbcl-doc",
                "freefem++-doc", "debian-policy", "mpich-doc", "yacas-doc"};
  CLI::App app{"Train the bundled starter model on PDFs from Debian documentation packages"};
  app.add_option("--work", o.work, "Folder for checkpoint/, model/ and train.log (resumes from it)")->required();
  app.add_option("--cache", o.cache, "Folder for downloaded and unpacked Debian packages")->required();
  app.add_option("--exclude", o.exclude_list, "SHA-256 list of evaluation files never to train on")
      ->capture_default_str();
  app.add_option("--packages", o.packages, "Debian documentation packages to train on")->capture_default_str();
  app.add_option("--seed", o.seed, "Seed of every random choice")->capture_default_str();
  app.add_option("--steps", o.steps, "Train until this step")->capture_default_str();
  app.add_option("--pages-per-step", o.pages_per_step, "Pages rendered per step")->capture_default_str();
  app.add_option("--crops-per-page", o.crops_per_page, "Crops cut from each page")->capture_default_str();
  app.add_option("--crop", o.crop_px, "Crop side in model pixels (multiple of 32)")->capture_default_str();
  app.add_option("--lr", o.learning_rate, "AdamW learning rate")->capture_default_str();
  app.add_option("--scanlike", o.scanlike_chance, "Chance that a crop is degraded like a scan")->capture_default_str();
  app.add_option("--threads", o.threads, "libtorch threads")->capture_default_str();
  app.add_option("--checkpoint-every", o.checkpoint_every, "Steps between checkpoints")->capture_default_str();
  app.add_option("--log-every", o.log_every, "Steps between loss lines")->capture_default_str();
  app.add_option("--eval-pages", o.eval_pages, "Held-out pages for the retrieval check (0: none)")
      ->capture_default_str();
  app.add_flag("--train-text", o.train_text, "Also train the query tower");
  app.add_option("--preview", o.preview_crops, "Write this many training crops as PNGs and stop");
  app.add_flag("--eval-only", o.eval_only, "Only export and check the current checkpoint");
  CLI11_PARSE(app, argc, argv);
  return patchwise::tools::run_training(o);
}
