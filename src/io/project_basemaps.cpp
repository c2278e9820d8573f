#include "io/project_basemaps.hpp"

#include <algorithm>
#include <cstdio>

#include "io/project_text.hpp"

namespace kepumap::io {

namespace {

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  std::string s = buf;
  if (s.find_first_of(".eE") == std::string::npos) s += ".0";  // a TOML float, as written by hand
  return s;
}

/// Each key of an entry with its TOML value, and whether it is at its default.
struct KeyValue {
  const char* key;
  std::string value;
  bool is_default;
};

std::vector<KeyValue> key_values(const core::BasemapSpec& b) {
  return {{"name", toml_quote(b.name), false},
          {"title", toml_quote(b.title), b.title.empty()},
          {"source", toml_quote(b.source), false},
          {"kind", toml_quote(b.kind), b.kind.empty()},
          {"key", toml_quote(b.key), b.key.empty()},
          {"shift", toml_quote(b.shift), b.shift.empty()},
          {"opacity", number(b.opacity), b.opacity == 1.0},
          {"visible", b.visible ? "true" : "false", b.visible},
          {"attribution", toml_quote(b.attribution), b.attribution.empty()},
          {"cache", toml_quote(b.cache), b.cache.empty()}};
}

}  // namespace

std::vector<std::string> basemap_block(const core::BasemapSpec& b) {
  std::vector<std::string> out{"[[basemap]]"};
  for (const auto& kv : key_values(b))
    if (!kv.is_default) out.push_back(std::string(kv.key) + " = " + kv.value);
  return out;
}

std::string edit_project_basemaps(std::string_view text, const core::ProjectConfig& old,
                                  const std::vector<core::BasemapSpec>& basemaps) {
  std::string out(text);
  // kept entries, last first: a key added to one entry moves only the lines below it
  std::vector<std::pair<const core::BasemapSpec*, const core::BasemapSpec*>> kept;  // old, new
  std::vector<const core::BasemapSpec*> added;
  for (const auto& b : basemaps) {
    auto it = std::find_if(old.basemaps.begin(), old.basemaps.end(),
                           [&](const core::BasemapSpec& o) { return b.line > 0 && o.line == b.line; });
    if (it == old.basemaps.end())
      added.push_back(&b);
    else
      kept.emplace_back(&*it, &b);
  }
  std::sort(kept.begin(), kept.end(),
            [](const auto& a, const auto& b) { return a.first->line > b.first->line; });
  for (const auto& [was, now] : kept) {
    const auto before = key_values(*was), after = key_values(*now);
    for (std::size_t k = 0; k < after.size(); ++k)
      if (after[k].value != before[k].value)
        out = set_table_key(out, was->line, after[k].key, after[k].value);
  }
  for (const auto* b : added) {
    if (!out.empty() && out.back() != '\n') out += '\n';
    if (!out.empty() && out.size() >= 2 && out[out.size() - 2] != '\n') out += '\n';
    for (const auto& l : basemap_block(*b)) out += l + "\n";
  }
  return out;
}

}  // namespace kepumap::io
