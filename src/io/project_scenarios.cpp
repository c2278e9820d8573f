#include "io/project_scenarios.hpp"

#include <algorithm>
#include <cstdio>
#include <type_traits>

#include "io/project_text.hpp"

namespace kepumap::io {

namespace {

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

template <class K>
std::optional<std::string> speed_table(const std::vector<std::pair<K, double>>& t) {
  if (t.empty()) return std::nullopt;
  std::string s = "{ ";
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (i) s += ", ";
    if constexpr (std::is_same_v<K, std::string>)
      s += toml_quote(t[i].first);
    else
      s += toml_quote(number(t[i].first));
    s += " = " + number(t[i].second);
  }
  return s + " }";
}

std::optional<std::string> string_array(const std::vector<std::string>& a) {
  if (a.empty()) return std::nullopt;
  std::string s = "[";
  for (std::size_t i = 0; i < a.size(); ++i) s += (i ? ", " : "") + toml_quote(a[i]);
  return s + "]";
}

/// The line (1-based) of the last line of the last [[scenario]] entry's own keys, 0 if none.
std::size_t last_scenario_end(std::string_view text, const core::ProjectConfig& old) {
  int header = 0;
  for (const auto& s : old.scenarios) header = std::max(header, s.line);
  if (header <= 0) return 0;
  std::vector<std::string_view> lines;
  for (std::size_t p = 0; p < text.size();) {
    std::size_t nl = text.find('\n', p);
    if (nl == std::string_view::npos) nl = text.size();
    lines.push_back(text.substr(p, nl - p));
    p = nl + 1;
  }
  auto trimmed = [](std::string_view l) {
    while (!l.empty() && (l.front() == ' ' || l.front() == '\t')) l.remove_prefix(1);
    while (!l.empty() && (l.back() == ' ' || l.back() == '\t' || l.back() == '\r')) l.remove_suffix(1);
    return l;
  };
  std::size_t h = std::min(static_cast<std::size_t>(header - 1), lines.empty() ? 0 : lines.size() - 1);
  while (h > 0 && (trimmed(lines[h]).empty() || trimmed(lines[h]).front() != '[')) --h;
  std::size_t e = h + 1;
  while (e < lines.size() && (trimmed(lines[e]).empty() || trimmed(lines[e]).front() != '[')) ++e;
  while (e > h + 1 && (trimmed(lines[e - 1]).empty() || trimmed(lines[e - 1]).front() == '#')) --e;
  return e;  // lines [h, e) are the entry: insert after line e (1-based)
}

}  // namespace

std::vector<std::pair<std::string, std::optional<std::string>>> scenario_values(const core::Scenario& s) {
  std::vector<std::pair<std::string, std::optional<std::string>>> v;
  v.emplace_back("name", toml_quote(s.name));
  v.emplace_back("label", s.label.empty() ? std::nullopt : std::optional<std::string>(toml_quote(s.label)));
  v.emplace_back("offroad_kmh",
                 s.offroad_kmh ? std::optional<std::string>(number(*s.offroad_kmh)) : std::nullopt);
  v.emplace_back("road_speeds", speed_table(s.road_speeds));
  v.emplace_back("closed_classes", string_array(s.closed_classes));
  v.emplace_back("closed_tags", string_array(s.closed_tags));
  v.emplace_back("open_tags", string_array(s.open_tags));
  v.emplace_back("tag_speeds", speed_table(s.tag_speeds));
  v.emplace_back("landcover_speeds", speed_table(s.landcover_speeds));
  v.emplace_back("ice", s.ice ? std::optional<std::string>(*s.ice ? "true" : "false") : std::nullopt);
  return v;
}

std::string edit_project_scenarios(std::string_view text, const core::ProjectConfig& old,
                                   const std::vector<core::Scenario>& scenarios) {
  // (line, what to do) for kept and removed entries, handled last line first so that an edit
  // moves only the lines below it
  struct Change {
    int line;
    const core::Scenario* was;
    const core::Scenario* now;  ///< null: removed
  };
  std::vector<Change> changes;
  for (const auto& o : old.scenarios) {
    auto it =
        std::find_if(scenarios.begin(), scenarios.end(), [&](const auto& s) { return s.name == o.name; });
    changes.push_back({o.line, &o, it == scenarios.end() ? nullptr : &*it});
  }
  std::sort(changes.begin(), changes.end(), [](const Change& a, const Change& b) { return a.line > b.line; });
  std::string added;
  for (const auto& s : scenarios) {
    if (std::any_of(old.scenarios.begin(), old.scenarios.end(),
                    [&](const auto& o) { return o.name == s.name; }))
      continue;
    added += "\n[[scenario]]\n";
    for (const auto& [key, value] : scenario_values(s))
      if (value) added += key + " = " + *value + "\n";
  }
  // new entries first, after the last old entry: the old entries' header lines stay where
  // they are, so the changes below still find them
  std::string out(text);
  if (!added.empty()) {
    const std::size_t after = last_scenario_end(out, old);
    if (after == 0) {
      if (!out.empty() && out.back() != '\n') out += '\n';
      out += added;
    } else {
      std::size_t pos = 0;
      for (std::size_t i = 0; i < after && pos != std::string::npos; ++i) {
        pos = out.find('\n', pos);
        if (pos != std::string::npos) ++pos;
      }
      if (pos == std::string::npos) pos = out.size();
      out.insert(pos, added);
      // a blank line between the inserted entries and what follows
      const std::size_t end = pos + added.size();
      if (end < out.size() && out[end] != '\n') out.insert(end, "\n");
    }
  }
  for (const auto& c : changes) {
    if (!c.now) {
      out = remove_table(out, c.line);
      continue;
    }
    const auto before = scenario_values(*c.was), after = scenario_values(*c.now);
    // in the documented order: a key the entry lacks goes after its last key
    for (std::size_t k = 0; k < after.size(); ++k) {
      if (before[k].second == after[k].second) continue;
      if (after[k].second)
        out = set_table_key(out, c.line, after[k].first, *after[k].second);
      else
        out = remove_table_key(out, c.line, after[k].first);
    }
  }
  return out;
}

}  // namespace kepumap::io
