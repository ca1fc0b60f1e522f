#pragma once
// What several subcommands share: where the library is, opening it, loading the model, and
// printing sizes.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "app/cli/global_options.h"
#include "models/encoder.h"
#include "storage/library.h"

namespace patchwise::app {

// --library, else the XDG default.
std::filesystem::path library_path(const GlobalOptions& global);
// Opens an existing library (never creates one); throws patchwise::Error saying how to make one.
storage::Library open_existing_library(const GlobalOptions& global);
// --model (folder or ORG/NAME), else the bundled default; runtime threads set from --threads.
std::unique_ptr<models::Encoder> load_model(const GlobalOptions& global);

std::string human_bytes(double bytes);

}  // namespace patchwise::app
