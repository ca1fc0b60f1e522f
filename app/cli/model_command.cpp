// `patchwise model check MODEL`: load a checkpoint the way search and ingest would and report
// what it is and what it costs per page, so a user can check a downloaded checkpoint before
// ingesting a whole folder with it.
#include <chrono>
#include <cmath>
#include <iostream>

#include <nlohmann/json.hpp>

#include "app/cli/commands.h"
#include "app/cli/library_access.h"
#include "models/registry.h"
#include "models/runtime.h"

namespace patchwise::app {
namespace {

struct CheckArgs {
  std::string model;
  double dpi = 150;
  bool json = false;
};

// US Letter, the page the issue figures and the README quote.
constexpr double kLetterWidthInches = 8.5;
constexpr double kLetterHeightInches = 11.0;
// What the library stores per vector besides its values: a rectangle (4 x f32) and a u16 source.
constexpr std::size_t kGridBytesPerVector = 18;
constexpr std::size_t kStoredBytesPerValue = 2;  // float16, the library's default form

std::string with_thousands(std::size_t n) {
  std::string digits = std::to_string(n);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(static_cast<std::size_t>(i), ",");
  return digits;
}

void check_model(const CheckArgs& args, const GlobalOptions& global) {
  models::configure_runtime({global.threads});
  const auto dir = models::resolve_model_dir(args.model);
  const auto start = std::chrono::steady_clock::now();
  const auto encoder = models::load_encoder(dir.string(), models::parse_weight_precision(global.precision));
  const double load_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const auto info = encoder->info();
  const int width = static_cast<int>(std::lround(kLetterWidthInches * args.dpi));
  const int height = static_cast<int>(std::lround(kLetterHeightInches * args.dpi));
  const auto vectors = encoder->vectors_per_page(width, height);
  const std::size_t bytes_per_vector = info.dim * kStoredBytesPerValue + kGridBytesPerVector;

  if (args.json) {
    nlohmann::json out = {{"folder", dir.string()},       {"name", info.name},   {"family", info.family},
                          {"parameters", info.parameters}, {"dtype", info.dtype}, {"dim", info.dim},
                          {"fingerprint", info.fingerprint}, {"page_width_px", width}, {"page_height_px", height},
                          {"load_seconds", load_seconds}};
    out["vectors_per_page"] = vectors ? nlohmann::json(*vectors) : nlohmann::json(nullptr);
    out["bytes_per_page"] = vectors ? nlohmann::json(*vectors * bytes_per_vector) : nlohmann::json(nullptr);
    std::cout << out.dump(2) << "\n";
    return;
  }
  std::cout << "folder: " << dir.string() << "\n"
            << "name: " << info.name << "\n"
            << "family: " << info.family << "\n"
            << "parameters: " << (info.parameters ? with_thousands(info.parameters) : "none (no learned weights)") << "\n"
            << "dtype: " << (info.dtype.empty() ? "n/a" : info.dtype) << "\n"
            << "dimension: " << info.dim << "\n"
            << "fingerprint: " << info.fingerprint << "\n"
            << "loaded in: " << load_seconds << " s\n";
  const std::string page = "Letter page at " + std::to_string(static_cast<int>(args.dpi)) + " dpi, " +
                           std::to_string(width) + "x" + std::to_string(height) + " px";
  if (vectors) {
    std::cout << "vectors per page: " << *vectors << " (" << page << ")\n"
              << "bytes per page: " << human_bytes(double(*vectors * bytes_per_vector))
              << " in the library (float16 values + patch rectangles)\n";
  } else {
    std::cout << "vectors per page: depends on the page's content (one per word or non-blank cell)\n"
              << "bytes per page: " << bytes_per_vector << " bytes per vector in the library\n";
  }
}

}  // namespace

void add_model_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  auto* cmd = app.add_subcommand("model", "Inspect model checkpoints");
  cmd->require_subcommand(1);
  auto args = std::make_shared<CheckArgs>();
  auto* check = cmd->add_subcommand(
      "check",
      "Load a checkpoint folder or Hugging Face cache repo id (ORG/NAME) as search and ingest would, and print\n"
      "its family, parameters, dtype, dimension, and vectors and bytes per page. Exit status 1 if it does not load.");
  check->add_option("model", args->model, "Checkpoint folder or ORG/NAME in the Hugging Face cache")->required();
  check->add_option("--dpi", args->dpi, "Resolution of the Letter page the per-page figures are for (default: 150)")
      ->check(CLI::Range(10.0, 1200.0));
  check->add_flag("--json", args->json, "Print one JSON object instead of text");
  check->callback([args, &global, &exit_code] {
    check_model(*args, global);
    exit_code = kOk;
  });
}

}  // namespace patchwise::app
