#pragma once
// Shows ingestion progress: a one-line bar redrawn in place on a terminal, plain lines (one
// per finished file) otherwise, so logs stay readable.
#include <cstdio>

#include "app/pipeline/ingest.h"

namespace patchwise::app {

class ProgressPrinter {
 public:
  ProgressPrinter(std::FILE* out, bool terminal) : out_(out), terminal_(terminal) {}
  void progress(const IngestProgress& p);
  void file(const FileOutcome& o);
  void finish();

 private:
  std::FILE* out_;
  bool terminal_;
  bool drawn_ = false;
};

}  // namespace patchwise::app
