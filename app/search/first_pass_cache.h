#pragma once
// The first-pass index of tiered search, kept in a file next to the library
// (LIBRARY.first-pass-FINGERPRINT-rROWS-iITERATIONS-FORM, a core/corpus_file.h file) so that a
// search does not pool every page again: only pages the file does not hold yet are pooled,
// then the file is replaced (written aside and renamed, so readers never see half a file).
// Deleting the file is always safe; a file that cannot be read is rebuilt.
#include <filesystem>
#include <string>

#include "core/corpus.h"
#include "core/tiered_index.h"

namespace patchwise::app {

std::filesystem::path first_pass_cache_path(const std::filesystem::path& library, const std::string& fingerprint,
                                            const core::FirstPassOptions& options);

// The first pass for `corpus`, reusing `previous` (an earlier one in memory, optional) and the
// cached file. Writing the cache is best effort (a read-only folder only costs speed).
core::Corpus load_first_pass(const std::filesystem::path& library, const std::string& fingerprint,
                             const core::Corpus& corpus, const core::FirstPassOptions& options,
                             const core::Corpus* previous);

}  // namespace patchwise::app
