#pragma once
// A document whose pages can be counted, measured, rendered and read (Okular-style backend
// contract). PDFs go through poppler, scans (PNG, JPEG, TIFF incl. multi-page) through OpenCV.
// Page indices are 0-based here; users see 1-based page numbers.
// A Document is not thread-safe: open one per thread (poppler objects are never shared).
//
// PDFs: page sizes are the crop box as displayed (a page with /Rotate 90 or 270 has its sides
// swapped); pixels and word boxes share that frame. Password-protected PDFs are refused.
// Images: EXIF orientation is NOT applied (the reference Python pipeline does not rotate);
// grey, alpha (dropped, not composited) and 16-bit images become RGB8; a scan's size in points
// is pixels * 72 / dpi, with the dpi the file declares (PNG pHYs, JPEG JFIF, TIFF per page)
// or 150 when it declares none; rendering never upscales a scan (the dpi is ignored), only
// shrinks it to the pixel budget; words() is empty.
#include <filesystem>
#include <memory>
#include <vector>

#include "vision/page_image.h"

namespace patchwise::vision {

struct PageSize {
  double width_pt = 0;
  double height_pt = 0;
};

// How large to render. The page is rendered at `dpi`, then scaled down (aspect kept) if it
// would exceed `max_pixels` (width*height). Default: 150 dpi, at most 4 megapixels.
// max_pixels must be 1..100 million (vision/render_size.h), so no page, however large its
// declared size, allocates more than 300 MB.
struct RenderTarget {
  double dpi = 150;
  long max_pixels = 4'000'000;
};

class Document {
 public:
  // Opens a PDF or an image file, chosen by content (magic bytes), not by extension.
  // Throws patchwise::Error naming the file for missing, unreadable, encrypted, corrupt
  // or zero-page documents.
  static std::unique_ptr<Document> open(const std::filesystem::path& path);

  virtual ~Document() = default;
  virtual const std::filesystem::path& path() const = 0;
  virtual int page_count() const = 0;
  virtual PageSize page_size(int index) const = 0;
  // Pixels plus the text-layer words (see PageImage). Errors name the file and page (1-based).
  virtual PageImage render(int index, const RenderTarget& target) const = 0;
  virtual std::vector<Word> words(int index) const = 0;
};

}  // namespace patchwise::vision
