// libFuzzer target: any byte string as a whole safetensors file. The parser must either
// return a header whose every span lies inside the file, or throw patchwise::Error.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "core/error.h"
#include "models/checkpoint/safetensors_header.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
  try {
    const auto header = patchwise::models::parse_safetensors_header(bytes, size, "fuzz.safetensors");
    for (const auto& t : header.tensors) {
      // Invariants the reader relies on before touching the mapping.
      if (t.end < t.begin || header.data_start + t.end > size) std::abort();
      if (static_cast<std::uint64_t>(t.numel()) * patchwise::models::dtype_size(t.dtype) != t.byte_size()) std::abort();
    }
  } catch (const patchwise::Error&) {
  }
  return 0;
}
