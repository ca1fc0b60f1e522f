// Prints how long the PDF backend takes per page, against poppler's bare render in the same
// process as the baseline (what our conversion to RGB8 and the text layer add).
// Usage: vision_render_bench [file.pdf] [dpi]   (default: libtasn1's manual at 150 dpi)
#include <poppler-document.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>

#include <chrono>
#include <cstdio>
#include <exception>
#include <memory>
#include <string>

#include "vision/document.h"

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

struct Totals {
  double baseline_ms = 0, render_ms = 0, words_ms = 0;
  long pixels = 0;
  std::size_t words = 0;
};

template <class F>
double time_ms(F&& f) {
  const auto start = Clock::now();
  f();
  return ms_since(start);
}

int run(const std::string& path, double dpi) {
  using patchwise::vision::Document;
  const auto t_open = Clock::now();
  const auto doc = Document::open(path);
  const double open_ms = ms_since(t_open);
  const int pages = doc->page_count();

  std::unique_ptr<poppler::document> raw(poppler::document::load_from_file(path));
  poppler::page_renderer renderer;
  renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
  renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
  const patchwise::vision::RenderTarget target{dpi, 100'000'000};

  // Interleaved page by page so that load from other processes hits all three alike.
  Totals t;
  for (int i = 0; i < pages; ++i) {
    t.baseline_ms += time_ms([&] {
      std::unique_ptr<poppler::page> p(raw->create_page(i));
      (void)renderer.render_page(p.get(), dpi, dpi);
    });
    t.render_ms += time_ms([&] { t.pixels += long(doc->render(i, target).rgb.size() / 3); });
    t.words_ms += time_ms([&] { t.words += doc->words(i).size(); });
  }
  const double base = t.baseline_ms / pages;
  std::printf("%s: %d pages, opened in %.1f ms\n", path.c_str(), pages, open_ms);
  std::printf("poppler render_page at %.0f dpi (baseline): %7.1f ms/page\n", dpi, base);
  std::printf("Document::render (RGB8 + words):          %7.1f ms/page  (%.2fx baseline, %.2f Mpx/page)\n",
              t.render_ms / pages, t.render_ms / pages / base, double(t.pixels) / pages / 1e6);
  std::printf("Document::words alone:                    %7.1f ms/page  (%.2fx baseline, %zu words)\n",
              t.words_ms / pages, t.words_ms / pages / base, t.words);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1] : "/usr/share/doc/libtasn1-doc/libtasn1.pdf";
  const double dpi = argc > 2 ? std::stod(argv[2]) : 150;
  try {
    return run(path, dpi);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vision_render_bench: %s\n", e.what());
    return 1;
  }
}
