#pragma once
// How a Corpus stores its vectors. Each form trades exactness for memory and speed; the
// stated error is the bound the kernel tests hold each form to (relative to the score's
// scale, for unit-length rows):
//   f32  exact (fp32 accumulation, 1e-5 relative)
//   f16  IEEE half, about 1e-3 relative per value
//   bf16 bfloat16, about 8e-3 relative per value
//   int8 signed 8-bit with one fp32 scale per vector (scale = max|x| / 127)
//   bit1 one sign bit per value: only a first-pass estimate, never an exact score
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace patchwise::core {

enum class VectorForm { f32, f16, bf16, int8, bit1 };

inline constexpr VectorForm kAllForms[] = {VectorForm::f32, VectorForm::f16, VectorForm::bf16,
                                           VectorForm::int8, VectorForm::bit1};

// Bytes one row of `dim` values takes in the arena (the int8 scale is stored apart).
inline std::size_t row_bytes(VectorForm form, std::size_t dim) {
  switch (form) {
    case VectorForm::f32: return dim * 4;
    case VectorForm::f16:
    case VectorForm::bf16: return dim * 2;
    case VectorForm::int8: return dim;
    case VectorForm::bit1: return (dim + 7) / 8;
  }
  return 0;
}

inline std::string_view form_name(VectorForm form) {
  switch (form) {
    case VectorForm::f32: return "f32";
    case VectorForm::f16: return "f16";
    case VectorForm::bf16: return "bf16";
    case VectorForm::int8: return "int8";
    case VectorForm::bit1: return "bit1";
  }
  return "?";
}

inline std::optional<VectorForm> parse_form(std::string_view name) {
  for (const VectorForm f : kAllForms) {
    if (form_name(f) == name) return f;
  }
  return std::nullopt;
}

}  // namespace patchwise::core
