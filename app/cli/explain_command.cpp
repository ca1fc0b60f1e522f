// `patchwise explain QUERY --doc PATH --page N [--out heatmap.png] [--token I]`: why a page
// matches a query: each query token's best patch and its contribution to the MaxSim score,
// and the page drawn with the similarity overlay of one token or of the whole query.
#include <cstdio>
#include <iostream>
#include <optional>

#include <nlohmann/json.hpp>

#include "app/cli/commands.h"
#include "app/cli/library_access.h"
#include "app/search/search_service.h"
#include "vision/document.h"
#include "vision/heatmap.h"
#include "vision/image_file.h"

namespace patchwise::app {
namespace {

struct ExplainArgs {
  std::string query;
  std::string doc;
  int page = 0;
  std::string out;
  int token = -1;  // -1: the whole query
  std::string format = "text";
};

// The page as the encoder saw it (the stored render settings), else 150 dpi.
vision::PageImage render_page(const storage::PageRef& page) {
  vision::RenderTarget target;
  if (page.render.dpi > 0) target.dpi = page.render.dpi;
  if (page.render.max_pixels > 0) target.max_pixels = page.render.max_pixels;
  return vision::Document::open(page.path)->render(page.number - 1, target);
}

nlohmann::json rect_json(const core::NormRect& r) { return {r.x0, r.y0, r.x1, r.y1}; }

void print_text(const PageExplanation& why) {
  const auto& e = why.explanation;
  std::printf("%s#%d score %.4f (%zu query tokens, %zu patches)\n", why.page.path.c_str(), why.page.number,
              double(e.score), e.tokens, e.patches);
  std::printf("TOKEN\tLABEL\tCONTRIBUTION\tBEST_PATCH\tRECT(x0 y0 x1 y1)\n");
  for (std::size_t t = 0; t < e.tokens; ++t) {
    const auto& r = why.grid.cells.at(e.best_patch[t]);
    std::printf("%zu\t%s\t%.4f\t%zu\t%.3f %.3f %.3f %.3f\n", t, why.token_labels[t].c_str(),
                double(e.contribution[t]), e.best_patch[t], double(r.x0), double(r.y0), double(r.x1),
                double(r.y1));
  }
}

nlohmann::json to_json(const PageExplanation& why) {
  const auto& e = why.explanation;
  nlohmann::json tokens = nlohmann::json::array();
  for (std::size_t t = 0; t < e.tokens; ++t) {
    tokens.push_back({{"token", t},
                      {"label", why.token_labels[t]},
                      {"contribution", e.contribution[t]},
                      {"best_patch", e.best_patch[t]},
                      {"rect", rect_json(why.grid.cells.at(e.best_patch[t]))}});
  }
  return {{"path", why.page.path}, {"page", why.page.number}, {"page_id", why.page.page_id},
          {"score", e.score},      {"patches", e.patches},    {"tokens", tokens}};
}

}  // namespace

void add_explain_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  auto args = std::make_shared<ExplainArgs>();
  auto* cmd = app.add_subcommand(
      "explain",
      "Show why a library page matches a query: each query token's best patch and its contribution to the\n"
      "MaxSim score (the contributions add up to the score), and with --out the page drawn with the\n"
      "similarity overlay (hot = similar) of one token (--token) or of the whole query (max over tokens).");
  cmd->add_option("query", args->query, "The query text")->required();
  cmd->add_option("--doc", args->doc, "A document in the library")->required();
  cmd->add_option("--page", args->page, "Its page number (1-based)")->required();
  cmd->add_option("--out", args->out, "Write the page with the overlay to this PNG file");
  cmd->add_option("--token", args->token,
                  "Overlay only this query token (numbered from 0, as printed; default: the whole query)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--format", args->format, "text or json (default: text)")->check(CLI::IsMember({"text", "json"}));
  cmd->callback([args, &global, &exit_code] {
    SearchServiceOptions options;
    options.threads = global.threads;
    options.tiered_min_pages = std::size_t(-1);  // one page is explained: no first-pass index needed
    options.auto_refresh = false;
    SearchService service(library_path(global), load_model(global), options);
    const storage::PageRef page = service.page_of(args->doc, args->page);
    const PageExplanation why = service.explain(args->query, page.page_id);
    const std::optional<std::size_t> token =
        args->token >= 0 ? std::optional<std::size_t>(std::size_t(args->token)) : std::nullopt;
    const std::vector<float> heat = why.heat(token);  // checks --token before anything is rendered

    if (args->format == "json") {
      std::cout << to_json(why).dump(2) << "\n";
    } else {
      print_text(why);
    }
    if (!args->out.empty()) {
      const vision::PageImage overlay = vision::draw_heatmap(render_page(why.page), why.grid, heat);
      vision::write_png(args->out, overlay);
      std::cerr << "wrote " << args->out << " (" << overlay.width << "x" << overlay.height << ", "
                << (token ? "token " + std::to_string(*token) + " " + why.token_labels[*token]
                          : std::string("whole query"))
                << ")\n";
    }
    exit_code = kOk;
  });
}

}  // namespace patchwise::app
