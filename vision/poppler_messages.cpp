#include "vision/poppler_messages.h"

#include <poppler-global.h>

namespace patchwise::vision {
namespace {

thread_local std::string t_last_message;

void remember(const std::string& message, void* /*closure*/) {
  t_last_message = message;
  while (!t_last_message.empty() && (t_last_message.back() == '\n' || t_last_message.back() == ' ')) {
    t_last_message.pop_back();
  }
}

bool install_route() {
  poppler::set_debug_error_function(&remember, nullptr);
  return true;
}

}  // namespace

void begin_poppler_call() {
  static const bool installed = install_route();
  (void)installed;
  t_last_message.clear();
}

const std::string& last_poppler_message() { return t_last_message; }

}  // namespace patchwise::vision
