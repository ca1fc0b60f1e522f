#pragma once
// A quick retrieval check on held-out pages (files never trained on): one query per page made
// of three consecutive words of its text layer, all pages ranked by MaxSim. Reported for the
// starter model on clean and on scan-like pages, and for the lexical text-layer encoder as a
// reference, next to chance.
#include <cstdint>
#include <string>
#include <vector>

#include "models/starter/starter_net.h"
#include "models/starter/training_files.h"

namespace patchwise::tools {

std::string check_retrieval(models::starter::StarterNet& net, const std::vector<models::starter::TrainingFile>& files,
                            int page_count, std::uint64_t seed);

}  // namespace patchwise::tools
