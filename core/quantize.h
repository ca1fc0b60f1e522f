#pragma once
// Encoding one fp32 row into a storage form and decoding it back. Scalar and simple on
// purpose: ingest-time code, not the search hot path (the kernels decode in SIMD).
#include <cstddef>
#include <span>

#include "core/vector_form.h"

namespace patchwise::core {

// Writes row_bytes(form, row.size()) bytes to `out`. Returns the row's scale for int8
// (value ~= scale * code), 1 for the other forms.
float encode_row(VectorForm form, std::span<const float> row, std::byte* out);

// Inverse of encode_row (bit1 decodes to +-1/sqrt(dim), a unit vector of signs).
void decode_row(VectorForm form, const std::byte* in, float scale, std::span<float> row);

}  // namespace patchwise::core
