#pragma once
// What the app remembers between runs: a key = value file under $XDG_CONFIG_HOME/kepumap
// (or ~/.config/kepumap), written to a temporary file and renamed.
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "core/atomic_file.hpp"

namespace kepumap::ui {

/// The folder holding settings.ini and imgui.ini; empty if neither XDG_CONFIG_HOME nor HOME is set.
std::filesystem::path config_dir();

struct Settings {
  std::map<std::string, std::string> values;

  std::optional<std::string> get(const std::string& key) const;
  int get_int(const std::string& key, int fallback) const;
  double get_double(const std::string& key, double fallback) const;
  bool get_bool(const std::string& key, bool fallback) const;
  void set(const std::string& key, const std::string& value) { values[key] = value; }
  void set(const std::string& key, double value);
  void set(const std::string& key, int value) { values[key] = std::to_string(value); }
  void set(const std::string& key, bool value) { values[key] = value ? "1" : "0"; }
};

/// Reads a settings file (missing or unreadable: empty settings).
Settings load_settings(const std::filesystem::path& file);
/// Writes it atomically; false if the folder cannot be created or written.
bool save_settings(const Settings& s, const std::filesystem::path& file);
/// Writes any text file atomically (the one helper, core/atomic_file.hpp).
using core::write_file_atomic;

}  // namespace kepumap::ui
