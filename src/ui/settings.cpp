#include "ui/settings.hpp"

#include <unistd.h>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <system_error>

namespace kepumap::ui {

std::filesystem::path config_dir() {
  if (const char* x = std::getenv("XDG_CONFIG_HOME"); x && *x) return std::filesystem::path(x) / "kepumap";
  if (const char* h = std::getenv("HOME"); h && *h) return std::filesystem::path(h) / ".config" / "kepumap";
  return {};
}

std::optional<std::string> Settings::get(const std::string& key) const {
  auto it = values.find(key);
  if (it == values.end()) return std::nullopt;
  return it->second;
}
int Settings::get_int(const std::string& key, int fallback) const {
  auto v = get(key);
  if (!v) return fallback;
  try {
    return std::stoi(*v);
  } catch (...) {
    return fallback;
  }
}
double Settings::get_double(const std::string& key, double fallback) const {
  auto v = get(key);
  if (!v) return fallback;
  try {
    return std::stod(*v);
  } catch (...) {
    return fallback;
  }
}
bool Settings::get_bool(const std::string& key, bool fallback) const {
  auto v = get(key);
  if (!v) return fallback;
  return *v == "1" || *v == "true";
}
void Settings::set(const std::string& key, double value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", value);
  values[key] = buf;
}

Settings load_settings(const std::filesystem::path& file) {
  Settings s;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto eq = line.find(" = ");
    if (eq == std::string::npos) continue;
    s.values[line.substr(0, eq)] = line.substr(eq + 3);
  }
  return s;
}

bool save_settings(const Settings& s, const std::filesystem::path& file) {
  std::ostringstream out;
  out << "# kepumap settings (written by the app)\n";
  for (const auto& [k, v] : s.values) out << k << " = " << v << "\n";
  return write_file_atomic(file, out.str());
}

}  // namespace kepumap::ui
