#pragma once
// The one exception type that crosses layer boundaries. Messages are for users:
// they name the file, page or tensor involved, what was expected and what was found.
#include <stdexcept>
#include <string>

namespace patchwise {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace patchwise
