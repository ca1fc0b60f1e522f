#include "layering.h"

#include <array>
#include <fstream>
#include <regex>
#include <sstream>

namespace patchwise::test {
namespace {

struct Engine {
  const char* name;
  std::array<const char*, 6> prefixes;  // header name prefixes that belong to this engine
};

// Prefixes are matched against the start of the included path.
const std::array<Engine, 9> kEngines = {{
    {"libtorch", {"torch/", "ATen/", "c10/", "caffe2/", "", ""}},
    {"Qt", {"Q", "qt", "", "", "", ""}},
    {"poppler", {"poppler", "", "", "", "", ""}},
    {"OpenCV", {"opencv2/", "opencv/", "", "", "", ""}},
    {"SQLite", {"sqlite3", "", "", "", "", ""}},
    {"sentencepiece", {"sentencepiece", "", "", "", "", ""}},
    {"PCRE2", {"pcre2", "", "", "", "", ""}},
    {"ICU", {"unicode/", "", "", "", "", ""}},
    {"nlohmann-json", {"nlohmann/", "", "", "", "", ""}},
}};

const char* engine_of(const std::string& header) {
  for (const auto& e : kEngines) {
    for (const char* p : e.prefixes) {
      if (*p && header.rfind(p, 0) == 0) return e.name;
    }
  }
  return nullptr;
}

bool allowed_engine(const std::string& layer, const std::string& engine) {
  if (layer == "app") return true;
  if (layer == "vision") return engine == "poppler" || engine == "OpenCV";
  if (layer == "models") {
    return engine == "libtorch" || engine == "sentencepiece" || engine == "PCRE2" || engine == "ICU" ||
           engine == "nlohmann-json";
  }
  if (layer == "storage") return engine == "SQLite" || engine == "nlohmann-json";
  return false;  // core
}

bool allowed_layer(const std::string& layer, const std::string& target) {
  if (layer == target || target == "core") return true;
  if (layer == "app") return true;
  if (layer == "models") return target == "vision";
  return false;
}

}  // namespace

std::string included_header(const std::string& line) {
  static const std::regex include_re(R"(^\s*#\s*include\s*[<"]([^>"]+)[>"])");
  std::smatch m;
  if (std::regex_search(line, m, include_re)) return m[1];
  return "";
}

std::string forbidden_reason(const std::string& layer, const std::string& header) {
  static const std::array<std::string, 5> kLayers = {"core", "vision", "models", "storage", "app"};
  for (const auto& target : kLayers) {
    if (header.rfind(target + "/", 0) == 0 && !allowed_layer(layer, target)) {
      return layer + "/ may not depend on " + target + "/ (dependencies point one way)";
    }
  }
  if (const char* engine = engine_of(header); engine && !allowed_engine(layer, engine)) {
    return layer + "/ may not use " + std::string(engine);
  }
  return "";
}

std::vector<Violation> check_file(const std::string& layer, const std::filesystem::path& file,
                                  const std::string& contents) {
  std::vector<Violation> out;
  std::istringstream in(contents);
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    const std::string header = included_header(line);
    if (header.empty()) continue;
    if (std::string reason = forbidden_reason(layer, header); !reason.empty()) {
      out.push_back({file.string(), number, header, reason});
    }
  }
  return out;
}

std::vector<Violation> check_tree(const std::filesystem::path& source_root) {
  std::vector<Violation> out;
  for (const char* layer : {"core", "vision", "models", "storage"}) {
    const auto dir = source_root / layer;
    if (!std::filesystem::exists(dir)) continue;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
      const auto ext = entry.path().extension();
      if (ext != ".h" && ext != ".cpp" && ext != ".hpp" && ext != ".cc") continue;
      // A layer's benchmarks may compare against foreign engines (e.g. a libtorch baseline).
      if (entry.path().string().find("/bench/") != std::string::npos) continue;
      std::ifstream f(entry.path());
      std::stringstream ss;
      ss << f.rdbuf();
      auto v = check_file(layer, entry.path(), ss.str());
      out.insert(out.end(), v.begin(), v.end());
    }
  }
  return out;
}

}  // namespace patchwise::test
