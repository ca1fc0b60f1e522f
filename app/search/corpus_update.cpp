#include "app/search/corpus_update.h"

#include <unordered_map>
#include <vector>

namespace patchwise::app {

core::Corpus updated_corpus(const storage::Library& library, const std::string& fingerprint,
                            const core::Corpus& previous) {
  const std::vector<std::int64_t> ids = library.page_ids(fingerprint);
  std::unordered_map<std::int64_t, std::size_t> known;
  known.reserve(previous.page_count());
  for (std::size_t i = 0; i < previous.page_count(); ++i) known.emplace(previous.page_id(i), i);
  std::vector<std::int64_t> missing;
  for (const std::int64_t id : ids) {
    if (!known.count(id)) missing.push_back(id);
  }
  const core::Corpus fresh = library.load_pages(fingerprint, missing, storage::Library::LoadForm::kStored);
  if (fresh.form() != previous.form() || fresh.dim() != previous.dim()) {
    return library.load_corpus(fingerprint, storage::Library::LoadForm::kStored);
  }
  std::size_t rows = fresh.total_rows();
  for (const std::int64_t id : ids) {
    if (const auto it = known.find(id); it != known.end()) rows += previous.rows(it->second);
  }
  core::Corpus out(previous.dim(), previous.form());
  out.reserve(ids.size(), rows);
  std::size_t next_fresh = 0;  // `fresh` holds the missing ids in the same ascending order
  for (const std::int64_t id : ids) {
    if (const auto it = known.find(id); it != known.end()) {
      const std::size_t i = it->second;
      out.add_encoded_page(id, previous.rows(i), previous.page_bytes(i), previous.page_scales(i));
    } else if (next_fresh < fresh.page_count() && fresh.page_id(next_fresh) == id) {
      out.add_encoded_page(id, fresh.rows(next_fresh), fresh.page_bytes(next_fresh), fresh.page_scales(next_fresh));
      ++next_fresh;
    }  // else: removed between the two reads; the next refresh sees it gone anyway
  }
  return out;
}

}  // namespace patchwise::app
