#pragma once
// Bringing a loaded corpus up to date with the library without reading every page again:
// pages still in the library are copied from the earlier corpus, only pages it lacks are
// read (a search while an ingest adds documents reads just the new ones).
#include <string>

#include "core/corpus.h"
#include "storage/library.h"

namespace patchwise::app {

// The library's pages for `fingerprint` now, in page-id order and in `previous`'s form (the
// stored form, see Library::LoadForm::kStored), reusing `previous`'s pages by id.
core::Corpus updated_corpus(const storage::Library& library, const std::string& fingerprint,
                            const core::Corpus& previous);

}  // namespace patchwise::app
