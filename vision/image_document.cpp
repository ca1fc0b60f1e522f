// The image backend: scans and photos (PNG, JPEG, TIFF incl. multi-page, BMP, WebP) on OpenCV.
// EXIF orientation is deliberately ignored: the reference Python stack feeds the stored
// pixels to the model unrotated, and so must we.
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <optional>

#include "core/error.h"
#include "vision/backends.h"
#include "vision/cv_image.h"
#include "vision/image_dpi.h"
#include "vision/image_header.h"
#include "vision/render_size.h"

namespace patchwise::vision {
namespace {

// Any bit depth and colour layout, never rotated by EXIF (alpha, if any, is dropped later).
constexpr int kReadFlags = cv::IMREAD_ANYDEPTH | cv::IMREAD_ANYCOLOR | cv::IMREAD_IGNORE_ORIENTATION;

// libjpeg decodes a truncated file into a grey-padded image with only a warning on stderr;
// a complete JPEG ends with the EOI marker (FF D9), possibly followed by a little padding.
bool jpeg_looks_complete(const std::vector<std::uint8_t>& f) {
  constexpr std::size_t kTrailingAllowance = 4096;
  const std::size_t stop = f.size() > kTrailingAllowance ? f.size() - kTrailingAllowance : 2;
  for (std::size_t i = f.size(); i >= stop + 2; --i) {
    if (f[i - 2] == 0xFF && f[i - 1] == 0xD9) return true;
  }
  return false;
}

class ImageDocument final : public Document {
 public:
  ImageDocument(std::filesystem::path path, FileKind kind, std::vector<std::uint8_t> bytes, int pages)
      : path_(std::move(path)), kind_(kind), bytes_(std::move(bytes)), pages_(pages) {}

  const std::filesystem::path& path() const override { return path_; }
  int page_count() const override { return pages_; }

  PageSize page_size(int index) const override {
    const cv::Mat& m = decode(index);
    return points_of(index, m.cols, m.rows);
  }

  PageImage render(int index, const RenderTarget& target) const override {
    const std::string where = page_where(path_, index);
    check_render_target(target, where);
    const cv::Mat& m = decode(index);
    const PixelSize fit = fit_pixels({m.cols, m.rows}, target.max_pixels);
    PageImage out;
    if (fit.width != m.cols || fit.height != m.rows) {
      cv::Mat small;
      cv::resize(m, small, cv::Size(fit.width, fit.height), 0, 0, cv::INTER_AREA);
      out = page_image_from_mat(small, where);
    } else {
      out = page_image_from_mat(m, where);
    }
    const PageSize pt = points_of(index, m.cols, m.rows);
    out.width_pt = pt.width_pt;
    out.height_pt = pt.height_pt;
    return out;
  }

  std::vector<Word> words(int index) const override {
    check_page_index(path_, index, pages_);
    return {};  // a scan has no text layer
  }

  // Decodes page 0 so that a damaged file fails at open, not halfway through ingestion.
  void validate() const { decode(0); }

 private:
  // A scan has no points: its size on paper is pixels at the declared (or assumed) dpi.
  PageSize points_of(int index, int width_px, int height_px) const {
    const Dpi dpi = declared_dpi(bytes_, kind_, index).value_or(Dpi{kDefaultScanDpi, kDefaultScanDpi});
    return {width_px * 72.0 / dpi.x, height_px * 72.0 / dpi.y};
  }

  // The decoded page, cached: the pipeline asks for a page's size and then renders it.
  const cv::Mat& decode(int index) const {
    check_page_index(path_, index, pages_);
    if (cached_index_ != index) {
      cached_ = cv::Mat();
      cached_index_ = -1;
      cached_ = read_page(index);
      cached_index_ = index;
    }
    return cached_;
  }

  cv::Mat read_page(int index) const {
    const std::string where = pages_ > 1 ? page_where(path_, index) : path_.string();
    const std::string what = std::string(file_kind_name(kind_));
    if (const auto px = declared_pixels(bytes_, kind_, index);
        px && (long long)px->width * px->height > kMaxDecodedPixels) {
      throw Error(where + ": the " + what + " image declares " + std::to_string(px->width) + " x " +
                  std::to_string(px->height) + " pixels, more than the " +
                  std::to_string(kMaxDecodedPixels / 1'000'000) + " megapixels Patchwise decodes");
    }
    cv::Mat m;
    try {
      if (kind_ == FileKind::tiff) {
        std::vector<cv::Mat> mats;
        if (cv::imreadmulti(path_.string(), mats, index, 1, kReadFlags) && mats.size() == 1) {
          m = std::move(mats.front());
        }
      } else {
        m = cv::imdecode(bytes_, kReadFlags);
      }
    } catch (const cv::Exception& e) {
      throw Error(where + ": the " + what + " image cannot be decoded (" + e.what() + ")");
    }
    if (m.empty()) {
      throw Error(where + ": the " + what + " image cannot be decoded (damaged or truncated file)");
    }
    return m;
  }

  std::filesystem::path path_;
  FileKind kind_;
  std::vector<std::uint8_t> bytes_;  // kept for decoding and for the declared resolution
  int pages_;
  mutable int cached_index_ = -1;
  mutable cv::Mat cached_;
};

int count_pages(const std::filesystem::path& path, FileKind kind) {
  if (kind != FileKind::tiff) return 1;
  try {
    return int(std::min<std::size_t>(cv::imcount(path.string(), kReadFlags), 1'000'000));
  } catch (const cv::Exception& e) {
    throw Error(path.string() + ": the TIFF image cannot be read (" + e.what() + ")");
  }
}

}  // namespace

std::unique_ptr<Document> open_image(const std::filesystem::path& path, FileKind kind) {
  std::vector<std::uint8_t> bytes = read_whole_file(path);
  if (kind == FileKind::jpeg && !jpeg_looks_complete(bytes)) {
    throw Error(path.string() + ": the JPEG image is truncated (no end-of-image marker)");
  }
  const int pages = count_pages(path, kind);
  if (pages <= 0) {
    throw Error(path.string() + ": the " + std::string(file_kind_name(kind)) +
                " image cannot be decoded (damaged or truncated file)");
  }
  auto doc = std::make_unique<ImageDocument>(path, kind, std::move(bytes), pages);
  doc->validate();
  return doc;
}

}  // namespace patchwise::vision
