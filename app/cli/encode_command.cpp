// `patchwise encode`: the raw multi-vectors of page images and query texts, as a safetensors
// file, for checks against reference implementations and for export.
#include <iostream>

#include "app/cli/commands.h"
#include "app/cli/library_access.h"
#include "models/checkpoint/safetensors_writer.h"
#include "vision/document.h"

namespace patchwise::app {
namespace {

struct EncodeArgs {
  std::vector<std::string> pages;
  std::vector<std::string> queries;
  std::string out;
  double dpi = 150;
  long max_pixels = 4'000'000;
};

void add_tensor(models::SafetensorsWriter& file, const std::string& name, const core::MultiVector& v) {
  file.add(name, models::DType::F32, {std::int64_t(v.rows()), std::int64_t(v.dim())}, std::as_bytes(v.values()));
}

}  // namespace

void add_encode_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  auto args = std::make_shared<EncodeArgs>();
  auto* cmd = app.add_subcommand(
      "encode",
      "Write the raw multi-vectors of page images (pages.N) and query texts (queries.N) to a safetensors file,\n"
      "f32, shape [rows, dim], N counted from 0 in argument order. A PDF given as a page contributes its first page.");
  cmd->add_option("--pages", args->pages, "Page images (PNG, JPEG, TIFF) or PDFs");
  cmd->add_option("--queries", args->queries, "Query texts");
  cmd->add_option("--out", args->out, "The safetensors file to write")->required();
  cmd->add_option("--dpi", args->dpi, "Render resolution for PDFs (default: 150)")->check(CLI::Range(10.0, 1200.0));
  cmd->add_option("--max-pixels", args->max_pixels, "Pixel budget per page (default: 4000000)")
      ->check(CLI::Range(10'000L, 100'000'000L));
  cmd->callback([args, &global, &exit_code] {
    if (args->pages.empty() && args->queries.empty()) throw CLI::RequiredError("--pages or --queries");
    const auto encoder = load_model(global);
    models::SafetensorsWriter file;
    const vision::RenderTarget target{.dpi = args->dpi, .max_pixels = args->max_pixels};
    for (std::size_t i = 0; i < args->pages.size(); ++i) {
      const auto doc = vision::Document::open(args->pages[i]);
      const std::vector<vision::PageImage> page = {doc->render(0, target)};
      const auto embedding = encoder->encode_pages(page);
      add_tensor(file, "pages." + std::to_string(i), embedding.at(0).vectors);
    }
    const auto queries = encoder->encode_queries(args->queries);
    for (std::size_t i = 0; i < queries.size(); ++i) add_tensor(file, "queries." + std::to_string(i), queries[i]);
    const auto info = encoder->info();
    file.set_metadata("model", info.name);
    file.set_metadata("fingerprint", info.fingerprint);
    file.write(args->out);
    std::cout << "wrote " << args->pages.size() << " page(s) and " << queries.size() << " query(ies) to " << args->out
              << "\n";
    exit_code = kOk;
  });
}

}  // namespace patchwise::app
