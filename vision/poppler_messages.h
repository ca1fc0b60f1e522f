#pragma once
// Poppler reports problems by printing them. We route them instead: nothing reaches stderr,
// and the last message seen on the calling thread can be quoted in an error. The store is
// thread_local, so documents on different threads never see each other's messages.
#include <string>

namespace patchwise::vision {

// Installs the route once per process (idempotent, thread-safe) and clears this thread's
// last message.
void begin_poppler_call();

// The last poppler message on this thread since begin_poppler_call(), or "".
const std::string& last_poppler_message();

}  // namespace patchwise::vision
