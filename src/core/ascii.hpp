#pragma once
// Small ASCII helpers for tag values and class names read from attribute tables. Plain std.
#include <string>
#include <string_view>

namespace kepumap::core {

/// A copy of `s` with A-Z lowered; other bytes (UTF-8 included) unchanged.
inline std::string lower_ascii(std::string_view s) {
  std::string r(s);
  for (auto& c : r)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return r;
}

/// `s` without leading and trailing spaces and tabs.
inline std::string_view trim_blanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace kepumap::core
