// `patchwise remove PATH...`: take documents (or every document under a folder) out of the
// library. The files themselves are not touched.
#include <iostream>

#include "app/cli/commands.h"
#include "app/cli/library_access.h"
#include "app/pipeline/discover.h"

namespace patchwise::app {

void add_remove_command(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  auto paths = std::make_shared<std::vector<std::string>>();
  auto* cmd = app.add_subcommand(
      "remove", "Remove documents from the library (a folder removes every document under it); files are not touched");
  cmd->add_option("paths", *paths, "Documents or folders, as ingested (relative paths are resolved)")->required();
  cmd->callback([paths, &global, &exit_code] {
    storage::Library library = open_existing_library(global);
    const auto documents = library.documents();
    int missing = 0;
    for (const std::string& input : *paths) {
      const std::string path = normalize_path(input).string();
      const std::string folder = path + "/";
      int removed = 0;
      for (const auto& d : documents) {
        if (d.file.path == path || d.file.path.rfind(folder, 0) == 0) {
          if (library.remove_document(d.file.path)) {
            std::cout << "removed " << d.file.path << " (" << d.page_count << " pages)\n";
            ++removed;
          }
        }
      }
      if (removed == 0) {
        std::cerr << "patchwise: " << input << " is not in the library " << library.path().string() << "\n";
        ++missing;
      }
    }
    exit_code = missing == 0 ? kOk : kSomeFailed;
  });
}

}  // namespace patchwise::app
