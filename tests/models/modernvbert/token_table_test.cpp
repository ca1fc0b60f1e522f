// ModernVBERT's token embeddings may be stored as the decoupled pair (main table plus
// additional_embedding, as the fixture has them) or as one table with all rows (models.md
// §5.1): both load to the same model.
#include <gtest/gtest.h>

#include "core/error.h"
#include "models/checkpoint/safetensors.h"
#include "models/checkpoint/safetensors_writer.h"
#include "models/modernvbert/colmodernvbert_encoder.h"
#include "tests/models/fixture_files.h"
#include "tests/support/temp_dir.h"

namespace patchwise::models::modernvbert {
namespace {

namespace fs = std::filesystem;
using namespace models::testing;

const fs::path kFixture = fixture_dir("colmodernvbert");
const std::string kMain = "model.text_model.embeddings.tok_embeddings.weight";
const std::string kExtra = "model.text_model.embeddings.tok_embeddings.additional_embedding.weight";

// A copy of the fixture whose token table is `table` (under kMain) with no additional table.
void write_single_table_copy(const fs::path& dir, const torch::Tensor& table) {
  fs::copy(kFixture, dir, fs::copy_options::recursive);
  const auto st = SafetensorsFile::open(kFixture / "model.safetensors");
  SafetensorsWriter out;
  for (const auto& info : st.tensors()) {
    if (info.name == kExtra) continue;
    out.add(info.name, info.name == kMain ? table : st.to_tensor(info));
  }
  out.write(dir / "model.safetensors");
}

torch::Tensor fixture_tensor(const std::string& name) {
  const auto st = SafetensorsFile::open(kFixture / "model.safetensors");
  return st.to_tensor(*st.find(name));
}

TEST(ModernVBertTokenTable, OneTableWithAllRowsLoadsAsTheDecoupledPair) {
  if (!fs::exists(kFixture / "config.json")) GTEST_SKIP() << "no fixture at " << kFixture;
  torch::set_num_threads(1);
  test::TempDir tmp;
  write_single_table_copy(tmp.path(), torch::cat({fixture_tensor(kMain), fixture_tensor(kExtra)}));
  ColModernVBertEncoder pair(kFixture);
  ColModernVBertEncoder single(tmp.path());
  const vision::PageImage page = fixture_page(kFixture, 0);  // its image tokens are additional ids
  const std::string query = fixture_query(kFixture, 0);
  EXPECT_EQ(max_abs_diff(rows_of(single.encode_pages({&page, 1})[0].vectors),
                         rows_of(pair.encode_pages({&page, 1})[0].vectors)),
            0.0);
  EXPECT_EQ(max_abs_diff(rows_of(single.encode_queries({&query, 1})[0]), rows_of(pair.encode_queries({&query, 1})[0])),
            0.0);
}

TEST(ModernVBertTokenTable, AMainTableWithoutTheAdditionalRowsNamesTheTensor) {
  if (!fs::exists(kFixture / "config.json")) GTEST_SKIP() << "no fixture at " << kFixture;
  test::TempDir tmp;
  write_single_table_copy(tmp.path(), fixture_tensor(kMain));
  try {
    ColModernVBertEncoder encoder(tmp.path());
    FAIL() << "loaded a checkpoint without the additional token rows";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("tok_embeddings.weight"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace patchwise::models::modernvbert
