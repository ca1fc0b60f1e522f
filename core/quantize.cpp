#include "core/quantize.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "core/half.h"

namespace patchwise::core {

float encode_row(VectorForm form, std::span<const float> row, std::byte* out) {
  const std::size_t dim = row.size();
  switch (form) {
    case VectorForm::f32:
      std::memcpy(out, row.data(), dim * 4);
      return 1.0f;
    case VectorForm::f16:
    case VectorForm::bf16:
      for (std::size_t d = 0; d < dim; ++d) {
        const std::uint16_t h =
            form == VectorForm::f16 ? float_to_f16(row[d]) : float_to_bf16(row[d]);
        std::memcpy(out + 2 * d, &h, 2);
      }
      return 1.0f;
    case VectorForm::int8: {
      float peak = 0;
      for (const float x : row) peak = std::max(peak, std::abs(x));
      const float scale = peak > 0 ? peak / 127.0f : 0.0f;
      const float inverse = peak > 0 ? 127.0f / peak : 0.0f;
      for (std::size_t d = 0; d < dim; ++d) {
        const long code = std::lround(row[d] * inverse);
        out[d] = std::byte(static_cast<std::int8_t>(std::clamp(code, -127L, 127L)));
      }
      return scale;
    }
    case VectorForm::bit1:
      std::memset(out, 0, row_bytes(form, dim));
      for (std::size_t d = 0; d < dim; ++d) {
        if (row[d] > 0) out[d / 8] |= std::byte(1u << (d % 8));
      }
      return 1.0f;
  }
  return 1.0f;
}

void decode_row(VectorForm form, const std::byte* in, float scale, std::span<float> row) {
  const std::size_t dim = row.size();
  switch (form) {
    case VectorForm::f32:
      std::memcpy(row.data(), in, dim * 4);
      return;
    case VectorForm::f16:
    case VectorForm::bf16:
      for (std::size_t d = 0; d < dim; ++d) {
        std::uint16_t h;
        std::memcpy(&h, in + 2 * d, 2);
        row[d] = form == VectorForm::f16 ? f16_to_float(h) : bf16_to_float(h);
      }
      return;
    case VectorForm::int8:
      for (std::size_t d = 0; d < dim; ++d) {
        row[d] = scale * static_cast<float>(static_cast<std::int8_t>(in[d]));
      }
      return;
    case VectorForm::bit1: {
      const float v = dim ? 1.0f / std::sqrt(static_cast<float>(dim)) : 0.0f;
      for (std::size_t d = 0; d < dim; ++d) {
        row[d] = (std::to_integer<unsigned>(in[d / 8]) >> (d % 8)) & 1u ? v : -v;
      }
      return;
    }
  }
}

}  // namespace patchwise::core
