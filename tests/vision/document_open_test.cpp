// Document::open: the backend is chosen by content, and unusable files are refused by name.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "core/error.h"
#include "vision/document.h"
#include "vision/file_kind.h"
#include "vision_test_support.h"

namespace patchwise::vision {
namespace {

using ::testing::HasSubstr;
using testing::data_file;
using testing::ScratchDir;
using testing::open_error;

TEST(DocumentOpen, MissingFileIsNamed) {
  const std::string message = open_error("/nonexistent/folder/report.pdf");
  EXPECT_THAT(message, HasSubstr("/nonexistent/folder/report.pdf"));
  EXPECT_THAT(message, HasSubstr("no such file"));
}

TEST(DocumentOpen, FolderIsRefused) {
  const ScratchDir dir;
  std::filesystem::create_directories(dir.file("scans.pdf"));
  EXPECT_THAT(open_error(dir.file("scans.pdf")), HasSubstr("folder"));
}

TEST(DocumentOpen, EmptyFileIsRefused) {
  const ScratchDir dir;
  const auto path = dir.write("empty.pdf", {});
  const std::string message = open_error(path);
  EXPECT_THAT(message, HasSubstr("empty.pdf"));
  EXPECT_THAT(message, HasSubstr("0 bytes"));
}

TEST(DocumentOpen, NonDocumentIsRefusedWhateverItsName) {
  const ScratchDir dir;
  const std::string text = "just some notes, not a PDF\n";
  const auto path = dir.write("notes.pdf", {text.begin(), text.end()});
  const std::string message = open_error(path);
  EXPECT_THAT(message, HasSubstr("notes.pdf"));
  EXPECT_THAT(message, HasSubstr("unrecognised content"));
}

TEST(DocumentOpen, ChoosesTheBackendByContentNotExtension) {
  const ScratchDir dir;
  // A PDF named .png and a PNG named .pdf.
  const auto pdf = dir.write("really_a_pdf.png", testing::read_bytes(data_file("shapes.pdf")));
  const auto png = dir.write("really_a_png.pdf", testing::read_bytes(data_file("rgb.png")));
  EXPECT_EQ(Document::open(pdf)->page_count(), 2);
  const auto image = Document::open(png);
  EXPECT_EQ(image->page_count(), 1);
  EXPECT_EQ(image->render(0, {}).width, 4);
}

TEST(FileKind, RecognisesMagicBytes) {
  const auto kind = [](std::string_view s) {
    const auto* p = reinterpret_cast<const std::uint8_t*>(s.data());
    return sniff_file_kind({p, s.size()});
  };
  EXPECT_EQ(kind("%PDF-1.7\n"), FileKind::pdf);
  EXPECT_EQ(kind("junk before the header %PDF-1.4"), FileKind::pdf);
  EXPECT_EQ(kind("\x89PNG\r\n\x1a\n...."), FileKind::png);
  EXPECT_EQ(kind("\xFF\xD8\xFF\xE0"), FileKind::jpeg);
  EXPECT_EQ(kind(std::string_view("II*\0\x08\0\0\0", 8)), FileKind::tiff);
  EXPECT_EQ(kind(std::string_view("MM\0*\0\0\0\x08", 8)), FileKind::tiff);
  EXPECT_EQ(kind(std::string_view("RIFF\0\0\0\0WEBPVP8 ", 16)), FileKind::webp);
  EXPECT_EQ(kind("PDF"), FileKind::unknown);
  EXPECT_EQ(kind(""), FileKind::unknown);
  EXPECT_EQ(kind(std::string(2000, 'x') + "%PDF-1.4"), FileKind::unknown);
}

}  // namespace
}  // namespace patchwise::vision
