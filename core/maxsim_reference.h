#pragma once
// The definition of MaxSim, written for clarity and double precision. Every fast kernel
// is tested against this: score = sum over query rows of max over page rows of <q, p>.
// A page with no rows scores 0 (each query term floors at 0), as the reference does.
#include <cstddef>
#include <span>

#include "core/multi_vector.h"

namespace patchwise::core {

double maxsim_reference(const MultiVector& query, std::span<const float> page_rows,
                        std::size_t page_row_count);

}  // namespace patchwise::core
