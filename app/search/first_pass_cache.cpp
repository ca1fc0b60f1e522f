#include "app/search/first_pass_cache.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <optional>
#include <system_error>
#include <unordered_set>

#include "core/corpus_file.h"
#include "core/error.h"

namespace patchwise::app {
namespace {

// True if `cached` holds exactly the first pass of `corpus` (same pages, expected rows).
bool covers(const core::Corpus& cached, const core::Corpus& corpus, const core::FirstPassOptions& options) {
  if (cached.form() != options.form || cached.dim() != corpus.dim() || cached.page_count() != corpus.page_count()) {
    return false;
  }
  for (std::size_t i = 0; i < corpus.page_count(); ++i) {
    if (cached.page_id(i) != corpus.page_id(i) ||
        cached.rows(i) != std::min(options.rows_per_page, corpus.rows(i))) {
      return false;
    }
  }
  return true;
}

// Pages of `corpus` that `cached` does not hold.
std::size_t missing_pages(const core::Corpus& cached, const core::Corpus& corpus) {
  const std::unordered_set<std::int64_t> known(cached.ids().begin(), cached.ids().end());
  std::size_t missing = 0;
  for (const std::int64_t id : corpus.ids()) missing += known.count(id) ? 0 : 1;
  return missing;
}

std::optional<core::Corpus> map_if_readable(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::nullopt;
  try {
    return core::map_corpus(path);
  } catch (const Error&) {
    return std::nullopt;  // damaged or from another version: rebuilt below
  }
}

void save_quietly(const core::Corpus& first_pass, const std::filesystem::path& path) {
  // A name of this process and call's own: two searches writing at once never share a file.
  static std::atomic<unsigned> calls{0};
  const std::filesystem::path aside =
      path.string() + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(calls++);
  try {
    core::save_corpus(first_pass, aside);
    std::filesystem::rename(aside, path);
  } catch (const std::exception&) {
    std::error_code ec;
    std::filesystem::remove(aside, ec);
  }
}

}  // namespace

std::filesystem::path first_pass_cache_path(const std::filesystem::path& library, const std::string& fingerprint,
                                            const core::FirstPassOptions& options) {
  std::string id;
  for (const char c : fingerprint) {
    if (std::isalnum(static_cast<unsigned char>(c)) && id.size() < 16) id += c;
  }
  return library.string() + ".first-pass-" + id + "-r" + std::to_string(options.rows_per_page) + "-i" +
         std::to_string(options.iterations) + "-" + std::string(core::form_name(options.form));
}

core::Corpus load_first_pass(const std::filesystem::path& library, const std::string& fingerprint,
                             const core::Corpus& corpus, const core::FirstPassOptions& options,
                             const core::Corpus* previous) {
  const auto path = first_pass_cache_path(library, fingerprint, options);
  std::optional<core::Corpus> cached = map_if_readable(path);
  if (cached && covers(*cached, corpus, options)) return std::move(*cached);
  const core::Corpus* reuse = previous ? previous : (cached ? &*cached : nullptr);
  core::Corpus built = core::build_first_pass(corpus, options, reuse);
  // While a library grows (a search after each ingested document) the file is rewritten only
  // once it lacks a twentieth of the pages: a new process pools at most that many again.
  const std::size_t stale = cached ? missing_pages(*cached, corpus) : corpus.page_count();
  if (!cached || stale >= std::max<std::size_t>(1, corpus.page_count() / 20) ||
      cached->page_count() > corpus.page_count()) {
    save_quietly(built, path);
  }
  return built;
}

}  // namespace patchwise::app
