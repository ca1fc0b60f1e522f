#pragma once
// Concatenation by append. GCC 12 at -O3 warns falsely (-Wrestrict, an error here) on
// "literal" + std::string&&, which every error message would otherwise use.
#include <initializer_list>
#include <string>
#include <string_view>

namespace patchwise::tools {

inline std::string join(std::initializer_list<std::string_view> pieces) {
  std::string out;
  for (auto piece : pieces) out.append(piece);
  return out;
}

}  // namespace patchwise::tools
