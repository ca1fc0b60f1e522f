// The PDF backend: poppler-cpp documents, pages, renderer and text layer.
#include <poppler-document.h>
#include <poppler-image.h>
#include <poppler-page-renderer.h>
#include <poppler-page.h>

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <bit>

#include "core/error.h"
#include "vision/backends.h"
#include "vision/cv_image.h"
#include "vision/poppler_messages.h"
#include "vision/render_size.h"

namespace patchwise::vision {
namespace {

std::string with_poppler_detail(std::string message) {
  if (const auto& detail = last_poppler_message(); !detail.empty()) {
    message += " (poppler: " + detail + ")";
  }
  return message;
}

bool quarter_turned(const poppler::page& page) {
  const auto o = page.orientation();
  return o == poppler::page::landscape || o == poppler::page::seascape;
}

float clamp01(double v) { return float(std::clamp(v, 0.0, 1.0)); }

std::string to_utf8(const poppler::ustring& text) {
  const poppler::byte_array bytes = text.to_utf8();
  return std::string(bytes.begin(), bytes.end());
}

class PdfDocument final : public Document {
 public:
  PdfDocument(std::filesystem::path path, std::unique_ptr<poppler::document> doc, int pages)
      : path_(std::move(path)), doc_(std::move(doc)), pages_(pages) {}

  const std::filesystem::path& path() const override { return path_; }
  int page_count() const override { return pages_; }

  PageSize page_size(int index) const override { return size_of(*load_page(index)); }

  PageImage render(int index, const RenderTarget& target) const override {
    const auto page = load_page(index);
    const PageSize size = size_of(*page);
    const PixelSize px = render_size(size, target, page_where(path_, index));
    PageImage out = rasterize(*page, index, size, px);
    out.words = words_of(*page, size);
    return out;
  }

  std::vector<Word> words(int index) const override {
    const auto page = load_page(index);
    return words_of(*page, size_of(*page));
  }

 private:
  std::unique_ptr<poppler::page> load_page(int index) const {
    check_page_index(path_, index, pages_);
    begin_poppler_call();
    std::unique_ptr<poppler::page> page(doc_->create_page(index));
    if (!page) {
      throw Error(with_poppler_detail(page_where(path_, index) + ": the page cannot be read (damaged PDF)"));
    }
    return page;
  }

  // The crop box as displayed: a page turned by a quarter (/Rotate 90 or 270) swaps its sides.
  static PageSize size_of(const poppler::page& page) {
    const poppler::rectf box = page.page_rect(poppler::crop_box);
    PageSize size{std::abs(box.width()), std::abs(box.height())};
    if (quarter_turned(page)) std::swap(size.width_pt, size.height_pt);
    return size;
  }

  PageImage rasterize(const poppler::page& page, int index, PageSize size, PixelSize px) const {
    poppler::page_renderer renderer;
    renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
    renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
    renderer.set_paper_color(0xffffffff);
    renderer.set_image_format(poppler::image::format_argb32);
    // Separate x and y resolutions make the page fill exactly px.width x px.height.
    const double xres = px.width * 72.0 / size.width_pt;
    const double yres = px.height * 72.0 / size.height_pt;
    begin_poppler_call();
    poppler::image image = renderer.render_page(&page, xres, yres, 0, 0, px.width, px.height);
    if (!image.is_valid() || image.width() != px.width || image.height() != px.height ||
        image.format() != poppler::image::format_argb32) {
      throw Error(with_poppler_detail(page_where(path_, index) + ": rendering failed"));
    }
    PageImage out;
    out.width = px.width;
    out.height = px.height;
    out.width_pt = size.width_pt;
    out.height_pt = size.height_pt;
    out.rgb.resize(std::size_t(px.width) * px.height * 3);
    argb32_to_rgb(image, out);
    return out;
  }

  // Poppler's ARGB32 is a native-endian 32-bit word per pixel, so bytes B, G, R, A on
  // little-endian machines (OpenCV's BGRA). Paper is opaque white, so alpha carries nothing.
  static void argb32_to_rgb(const poppler::image& image, PageImage& out) {
    static_assert(std::endian::native == std::endian::little, "ARGB32 byte order assumed little-endian");
    const cv::Mat bgra(out.height, out.width, CV_8UC4, const_cast<char*>(image.const_data()),
                       std::size_t(image.bytes_per_row()));
    cv::Mat rgb = rgb_view(out);
    cv::cvtColor(bgra, rgb, cv::COLOR_BGRA2RGB);
  }

  // Poppler lays out text at 72 dpi in the displayed (rotated) page, origin top-left of the
  // crop box: the same frame the renderer draws, so dividing by the page size lines boxes up
  // with pixels at any resolution.
  std::vector<Word> words_of(const poppler::page& page, PageSize size) const {
    begin_poppler_call();
    std::vector<Word> words;
    for (const poppler::text_box& box : page.text_list()) {
      std::string text = to_utf8(box.text());
      if (text.empty()) continue;
      const poppler::rectf r = box.bbox();
      Word w;
      w.text = std::move(text);
      w.box = {clamp01(r.left() / size.width_pt), clamp01(r.top() / size.height_pt),
               clamp01(r.right() / size.width_pt), clamp01(r.bottom() / size.height_pt)};
      words.push_back(std::move(w));
    }
    return words;
  }

  std::filesystem::path path_;
  std::unique_ptr<poppler::document> doc_;
  int pages_;
};

}  // namespace

std::unique_ptr<Document> open_pdf(const std::filesystem::path& path) {
  begin_poppler_call();
  std::unique_ptr<poppler::document> doc(poppler::document::load_from_file(path.string()));
  if (!doc) {
    throw Error(with_poppler_detail(path.string() + ": not a readable PDF (damaged or truncated)"));
  }
  if (doc->is_locked()) {
    throw Error(path.string() + ": the PDF is password-protected; save a copy without the password "
                                "(e.g. `qpdf --decrypt --password=PASSWORD in.pdf out.pdf`) to index it");
  }
  const int pages = doc->pages();
  if (pages <= 0) {
    throw Error(path.string() + ": the PDF has no pages");
  }
  return std::make_unique<PdfDocument>(path, std::move(doc), pages);
}

}  // namespace patchwise::vision
