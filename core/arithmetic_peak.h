#pragma once
// Measures this CPU's arithmetic peak on one core, so benchmarks can state each kernel's
// distance to its floor with figures taken in the same run rather than from a datasheet.
#include <string_view>

namespace patchwise::core {

struct ArithmeticPeak {
  double f32_gflops = 0;    // fp32 fused multiply-add, counted as 2 flops
  double int16_gops = 0;    // int16 multiply-add into int32 (the int8 kernel's instruction), 2 ops per MAC
  std::string_view isa;     // instruction set measured
};

// Runs for about `seconds` per figure on the calling thread.
ArithmeticPeak measure_arithmetic_peak(double seconds = 0.2);

}  // namespace patchwise::core
