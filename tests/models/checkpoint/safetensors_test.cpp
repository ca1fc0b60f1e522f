// Reading safetensors: round trips through the writer, dtype conversion, and malformed files
// (truncated, lying lengths, overlapping / out-of-range offsets, unknown dtypes, huge header
// lengths) each rejected with an error naming the file and the tensor.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>

#include "core/error.h"
#include "models/checkpoint/safetensors.h"
#include "models/checkpoint/safetensors_writer.h"
#include "scratch_dir.h"

namespace patchwise::models {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using testing::ScratchDir;

std::vector<std::byte> file_with_header(const std::string& header, std::size_t data_bytes,
                                        std::optional<std::uint64_t> claimed_length = std::nullopt) {
  std::vector<std::byte> out(8 + header.size() + data_bytes);
  const std::uint64_t n = claimed_length.value_or(header.size());
  for (int i = 0; i < 8; ++i) out[static_cast<std::size_t>(i)] = static_cast<std::byte>((n >> (8 * i)) & 0xff);
  std::memcpy(out.data() + 8, header.data(), header.size());
  return out;
}

std::string parse_error(const std::vector<std::byte>& bytes) {
  try {
    parse_safetensors_header(bytes, bytes.size(), "model.safetensors");
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(Safetensors, WriterReaderRoundTripKeepsValuesAndTypes) {
  ScratchDir dir;
  SafetensorsWriter writer;
  const auto f32 = torch::arange(6, torch::kFloat32).reshape({2, 3});
  const auto bf16 = torch::tensor({1.5f, -2.25f, 3.0f}).to(torch::kBFloat16);
  const auto f16 = torch::tensor({0.5f, 65504.0f}).to(torch::kFloat16);
  const auto i64 = torch::tensor({int64_t{1} << 40, int64_t{-3}});
  writer.add("w.f32", f32);
  writer.add("w.bf16", bf16);
  writer.add("w.f16", f16);
  writer.add("ids", i64);
  writer.set_metadata("format", "pt");
  writer.write(dir / "m.safetensors");

  const auto file = SafetensorsFile::open(dir / "m.safetensors");
  EXPECT_EQ(file.tensors().size(), 4u);
  EXPECT_EQ(file.metadata().at("format"), "pt");
  ASSERT_NE(file.find("w.bf16"), nullptr);
  EXPECT_EQ(file.find("w.bf16")->dtype, DType::BF16);
  EXPECT_EQ(file.find("nope"), nullptr);
  EXPECT_TRUE(torch::equal(file.to_tensor(*file.find("w.f32")), f32));
  EXPECT_TRUE(torch::equal(file.to_tensor(*file.find("w.bf16")), bf16.to(torch::kFloat32)));
  EXPECT_TRUE(torch::equal(file.to_tensor(*file.find("w.bf16"), torch::kBFloat16), bf16));
  EXPECT_TRUE(torch::equal(file.to_tensor(*file.find("w.f16")), f16.to(torch::kFloat32)));
  EXPECT_TRUE(torch::equal(file.to_tensor(*file.find("ids"), torch::kInt64), i64));
  EXPECT_EQ(file.bytes(*file.find("w.f32")).size(), 24u);
}

TEST(Safetensors, ReadsTheFixtureCheckpoint) {
  const auto file = SafetensorsFile::open(std::filesystem::path(PATCHWISE_FIXTURES_DIR) / "colidefics3" / "model.safetensors");
  EXPECT_GT(file.tensors().size(), 10u);
  for (const auto& t : file.tensors()) EXPECT_EQ(t.dtype, DType::F32) << t.name;
}

TEST(SafetensorsMalformed, TruncatedFiles) {
  EXPECT_THAT(parse_error({}), AllOf(HasSubstr("model.safetensors"), HasSubstr("shorter than the 8-byte")));
  EXPECT_THAT(parse_error(std::vector<std::byte>(5)), HasSubstr("shorter than the 8-byte"));
  const std::string header = R"({"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}})";
  auto bytes = file_with_header(header, 16);
  bytes.resize(bytes.size() - 4);  // data cut short
  EXPECT_THAT(parse_error(bytes), AllOf(HasSubstr("tensor 'a'"), HasSubstr("run past the data buffer")));
  bytes.resize(20);  // header cut short
  EXPECT_THAT(parse_error(bytes), HasSubstr("runs past the end of the file"));
}

TEST(SafetensorsMalformed, LyingAndHugeHeaderLengths) {
  const std::string header = R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})";
  EXPECT_THAT(parse_error(file_with_header(header, 4, header.size() + 100)), HasSubstr("runs past the end"));
  EXPECT_THAT(parse_error(file_with_header(header, 4, std::uint64_t{1} << 62)), HasSubstr("exceeds the limit"));
  EXPECT_THAT(parse_error(file_with_header(header, 4, ~std::uint64_t{0})), HasSubstr("exceeds the limit"));
  EXPECT_THAT(parse_error(file_with_header(header, 4, header.size() - 3)), HasSubstr("not valid JSON"));
}

TEST(SafetensorsMalformed, BadJson) {
  EXPECT_THAT(parse_error(file_with_header("{not json", 0)), HasSubstr("not valid JSON"));
  EXPECT_THAT(parse_error(file_with_header("[1,2]", 0)), HasSubstr("not an object"));
  EXPECT_THAT(parse_error(file_with_header(R"({"a": 5})", 0)), HasSubstr("tensor 'a': entry is not a JSON object"));
  EXPECT_THAT(parse_error(file_with_header(R"({"__metadata__": {"k": 1}})", 0)), HasSubstr("__metadata__"));
}

TEST(SafetensorsMalformed, UnknownDtypeAndBadShapes) {
  EXPECT_THAT(parse_error(file_with_header(R"({"a":{"dtype":"F8_E4M3","shape":[1],"data_offsets":[0,1]}})", 1)),
              AllOf(HasSubstr("tensor 'a'"), HasSubstr("unknown dtype \"F8_E4M3\"")));
  EXPECT_THAT(parse_error(file_with_header(R"({"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}})", 4)),
              HasSubstr("non-negative"));
  EXPECT_THAT(parse_error(file_with_header(R"({"a":{"dtype":"F32","shape":[2,3],"data_offsets":[0,20]}})", 20)),
              AllOf(HasSubstr("shape [2, 3] of F32 needs 24 bytes"), HasSubstr("span 20")));
  // Element count overflow: 2^40 * 2^40 elements cannot exist.
  EXPECT_THAT(parse_error(file_with_header(
                  R"({"a":{"dtype":"F32","shape":[1099511627776,1099511627776],"data_offsets":[0,4]}})", 4)),
              HasSubstr("too large"));
  EXPECT_THAT(parse_error(file_with_header(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0]}})", 4)),
              HasSubstr("[begin, end]"));
}

TEST(SafetensorsMalformed, OverlappingOutOfRangeAndGappedOffsets) {
  EXPECT_THAT(parse_error(file_with_header(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},
                                               "b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})", 12)),
              AllOf(HasSubstr("tensor 'b'"), HasSubstr("overlaps tensor 'a'")));
  EXPECT_THAT(parse_error(file_with_header(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[8,4]}})", 8)),
              HasSubstr("end < begin"));
  EXPECT_THAT(parse_error(file_with_header(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})", 8)),
              HasSubstr("gap of 4 bytes"));
  EXPECT_THAT(parse_error(file_with_header(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})", 9)),
              HasSubstr("5 trailing bytes"));
  EXPECT_THAT(parse_error(file_with_header(
                  R"({"a":{"dtype":"U8","shape":[1],"data_offsets":[18446744073709551615,18446744073709551616]}})", 1)),
              HasSubstr("tensor 'a'"));
}

TEST(SafetensorsMalformed, OpenNamesTheFile) {
  ScratchDir dir;
  testing::write_text(dir / "bad.safetensors", "xx");
  try {
    SafetensorsFile::open(dir / "bad.safetensors");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("bad.safetensors"));
  }
  EXPECT_THROW(SafetensorsFile::open(dir / "missing.safetensors"), Error);
  EXPECT_THROW(SafetensorsFile::open(dir.path()), Error);  // a folder, not a file
}

TEST(SafetensorsWriter, RejectsInconsistentInput) {
  SafetensorsWriter writer;
  std::vector<std::byte> three(3);
  EXPECT_THROW(writer.add("x", DType::F32, {1}, three), Error);
  writer.add("x", DType::U8, {3}, three);
  EXPECT_THROW(writer.add("x", DType::U8, {3}, three), Error);
  const auto bytes = writer.serialize();
  const auto header = parse_safetensors_header(bytes, bytes.size(), "mem");
  EXPECT_EQ(header.data_start % 8, 0u);
}

}  // namespace
}  // namespace patchwise::models
