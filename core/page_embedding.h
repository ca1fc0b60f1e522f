#pragma once
#include "core/multi_vector.h"
#include "core/patch_grid.h"

namespace patchwise::core {

// What an encoder makes of one page: vectors.rows() == grid.size().
struct PageEmbedding {
  MultiVector vectors;
  PatchGrid grid;
};

}  // namespace patchwise::core
