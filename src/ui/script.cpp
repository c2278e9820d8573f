#include "ui/script.hpp"

#include <cstdlib>
#include <sstream>

namespace kepumap::ui {

namespace {

bool is_number(const std::string& s) {
  if (s.empty()) return false;
  char* end = nullptr;
  std::strtod(s.c_str(), &end);
  return end && *end == '\0';
}

struct Spec {
  const char* verb;
  int min_args;
  int max_args;
  int numeric;  // how many leading arguments must be numbers
};
constexpr Spec k_specs[] = {
    {"pan", 2, 2, 2},
    {"zoom", 1, 3, 3},
    {"select", 2, 3, 2},
    {"hover", 2, 2, 2},
    {"open_panel", 1, 2, 0},
    {"close_panel", 1, 2, 0},
    {"set_language", 1, 1, 0},
    {"load_layer", 2, 3, 0},
    {"fit", 1, 1, 0},
    {"wait", 1, 1, 1},
    {"screenshot", 1, 1, 0},
    {"show", 1, 1, 0},
    {"title", 1, 2, 0},
    {"remove", 1, 1, 0},
    {"table", 1, 1, 0},
    {"find", 1, 2, 0},
    {"measure", 2, 2, 2},
    {"hide", 1, 1, 0},
    {"analysis", 1, 6, 0},
    {"caravan", 1, 5, 0},
    {"siting", 1, 5, 0},
    {"project", 1, 2, 0},
    {"click", 2, 2, 2},
    {"basemap", 1, 3, 0},
    {"layer_props", 2, 6, 0},
    {"key", 1, 1, 0},
    {"scenario_edit", 1, 16, 0},
    {"memory", 1, 1, 0},
    {"measure_wait", 0, 0, 0},
    {"select_feature", 2, 3, 0},
    {"select_rect", 4, 5, 4},
    {"zoom_selection", 0, 0, 0},
    {"table_filter", 0, 8, 0},
    {"table_export", 1, 1, 0},
};

}  // namespace

std::vector<ScriptCommand> parse_script(const std::string& text, const std::string& file,
                                        std::vector<std::string>& errors) {
  std::vector<ScriptCommand> out;
  std::istringstream in(text);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    std::istringstream words(line);
    ScriptCommand c;
    c.line = n;
    if (!(words >> c.verb)) continue;
    std::string w;
    while (words >> w) c.args.push_back(w);
    const Spec* spec = nullptr;
    for (const auto& s : k_specs)
      if (c.verb == s.verb) spec = &s;
    auto where = file + ":" + std::to_string(n) + ": ";
    if (!spec) {
      errors.push_back(where + "unknown command '" + c.verb + "'");
      continue;
    }
    auto count = static_cast<int>(c.args.size());
    if (count < spec->min_args || count > spec->max_args || (c.verb == "zoom" && count == 2)) {
      errors.push_back(where + c.verb + ": wrong number of arguments");
      continue;
    }
    bool ok = true;
    for (int i = 0; i < std::min(count, spec->numeric); ++i)
      if (!is_number(c.args[static_cast<std::size_t>(i)])) {
        errors.push_back(where + c.verb + ": '" + c.args[static_cast<std::size_t>(i)] + "' is not a number");
        ok = false;
      }
    if (c.verb == "set_language" && c.args[0] != "en" && c.args[0] != "zh") {
      errors.push_back(where + "set_language: use en or zh");
      ok = false;
    }
    if (ok) out.push_back(std::move(c));
  }
  return out;
}

}  // namespace kepumap::ui
