// patchwise: search documents by how their pages look.
#include <iostream>

#include "app/cli/commands.h"
#include "core/error.h"

int main(int argc, char** argv) {
  using namespace patchwise::app;
  CLI::App app{
      "patchwise: search PDFs and scanned pages by how they look (late-interaction retrieval,\n"
      "MaxSim over patch embeddings)."};
  app.require_subcommand(1);
  app.fallthrough();
  GlobalOptions global;
  app.add_option("--library", global.library,
                 "Library file (default: $XDG_DATA_HOME/patchwise/library.db)");
  app.add_option("--model", global.model,
                 "Checkpoint folder or Hugging Face cache repo id ORG/NAME (default: the bundled model)");
  app.add_option("--threads", global.threads, "Worker threads for encoding and search (default: one per core)");
  app.add_option("--precision", global.precision,
                 "Checkpoint weights in float32 (default, exact to the reference) or bfloat16 (half the\n"
                 "memory; vectors within cosine 0.98; a library may mix both)")
      ->check(CLI::IsMember({"float32", "f32", "bfloat16", "bf16"}));

  int exit_code = kOk;
  add_ingest_command(app, global, exit_code);
  add_search_command(app, global, exit_code);
  add_explain_command(app, global, exit_code);
  add_list_command(app, global, exit_code);
  add_remove_command(app, global, exit_code);
  add_info_command(app, global, exit_code);
  add_encode_command(app, global, exit_code);
  add_bench_command(app, global, exit_code);
  add_model_command(app, global, exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kOk : kUsage;
  } catch (const patchwise::Error& e) {
    std::cerr << "patchwise: " << e.what() << "\n";
    return kSomeFailed;
  } catch (const std::exception& e) {
    std::cerr << "patchwise: unexpected error: " << e.what() << "\n";
    return kSomeFailed;
  }
  return exit_code;
}
