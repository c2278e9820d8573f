#include "io/project_text.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>

namespace kepumap::io {

namespace fs = std::filesystem;

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool is_header(std::string_view line) { return !trim(line).empty() && trim(line).front() == '['; }

/// `[[layer]]` with optional spaces inside the brackets and a comment after.
bool is_layer_header(std::string_view line) {
  std::string compact;
  for (char c : trim(line)) {
    if (c == '#') break;
    if (c != ' ' && c != '\t') compact += c;
  }
  return compact == "[[layer]]";
}

/// A header of a sub-table of the entry ([layer.fields], [layer.seat]).
bool is_layer_subheader(std::string_view line) {
  std::string_view t = trim(line);
  if (t.size() < 2 || t[0] != '[' || t[1] == '[') return false;
  t.remove_prefix(1);
  t = trim(t);
  return t.substr(0, 6) == "layer." || t.substr(0, 7) == "\"layer\"";
}

/// The key a line sets (`key = value`), or empty.
std::string key_of(std::string_view line) {
  std::string_view t = trim(line);
  if (t.empty() || t.front() == '#' || t.front() == '[') return {};
  std::size_t eq = t.find('=');
  if (eq == std::string_view::npos) return {};
  std::string_view k = trim(t.substr(0, eq));
  if (k.size() >= 2 && (k.front() == '"' || k.front() == '\'') && k.back() == k.front())
    k = k.substr(1, k.size() - 2);
  return std::string(k);
}

/// The trailing comment of a one-line `key = value` (with the spaces before it), or empty.
std::string trailing_comment(std::string_view line) {
  char quote = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quote) {
      if (c == '\\' && quote == '"')
        ++i;
      else if (c == quote)
        quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '#') {
      std::size_t b = i;
      while (b > 0 && (line[b - 1] == ' ' || line[b - 1] == '\t')) --b;
      return std::string(line.substr(b));
    }
  }
  return {};
}

/// Lines a key's value spans from line `i` (a multi-line string runs to its closing quotes).
std::size_t value_span(const std::vector<std::string>& lines, std::size_t i, std::size_t end) {
  const std::string& l = lines[i];
  for (const char* q : {"\"\"\"", "'''"}) {
    std::size_t open = l.find(q);
    if (open == std::string::npos) continue;
    if (l.find(q, open + 3) != std::string::npos) return 1;
    for (std::size_t j = i + 1; j < end; ++j)
      if (lines[j].find(q) != std::string::npos) return j - i + 1;
    return end - i;
  }
  return 1;
}

/// The keys of a [[layer]] entry as project.toml spells them, in the documented order; the
/// value as the file should hold it, nullopt when the key is at its default (left out).
std::vector<std::pair<std::string, std::optional<std::string>>> layer_values(const core::LayerSpec& l) {
  auto opt = [](const std::string& s) -> std::optional<std::string> {
    return s.empty() ? std::nullopt : std::optional<std::string>(toml_quote(s));
  };
  std::vector<std::pair<std::string, std::optional<std::string>>> v;
  v.emplace_back("name", toml_quote(l.name));
  v.emplace_back("title", opt(l.title));
  v.emplace_back("role", toml_quote(core::role_name(l.role)));
  v.emplace_back("source", toml_quote(l.source));
  v.emplace_back("layer", opt(l.layer));
  v.emplace_back("crs", opt(l.crs));
  v.emplace_back("encoding", opt(l.encoding));
  v.emplace_back("where", opt(l.where));
  const std::string f = toml_fields(l.fields);
  v.emplace_back("fields", f.empty() ? std::nullopt : std::optional<std::string>(f));
  v.emplace_back("visible", l.visible ? std::nullopt : std::optional<std::string>("false"));
  v.emplace_back("draw_order",
                 l.draw_order > 0 ? std::optional<std::string>(std::to_string(l.draw_order)) : std::nullopt);
  const std::string st = toml_style(l.style);
  v.emplace_back("style", st.empty() ? std::nullopt : std::optional<std::string>(st));
  return v;
}

struct Block {
  std::size_t begin = 0, end = 0;  ///< [begin, end): header through the last key or comment of the entry
  const core::LayerSpec* spec = nullptr;
};

/// The new lines of kept entry `b` (spec `now`, was `was`).
std::vector<std::string> edit_block(const std::vector<std::string>& lines, const Block& b,
                                    const core::LayerSpec& was, const core::LayerSpec& now) {
  std::vector<std::string> out(lines.begin() + static_cast<std::ptrdiff_t>(b.begin),
                               lines.begin() + static_cast<std::ptrdiff_t>(b.end));
  const auto before = layer_values(was), after = layer_values(now);
  for (std::size_t k = 0; k < after.size(); ++k) {
    const auto& [key, value] = after[k];
    if (before[k].second == value) continue;
    // the entry's own keys end at its first sub-table header
    std::size_t own_end = out.size();
    for (std::size_t i = 1; i < out.size(); ++i)
      if (is_header(out[i])) {
        own_end = i;
        break;
      }
    std::size_t at = out.size();
    for (std::size_t i = 1; i < own_end; ++i)
      if (key_of(out[i]) == key) {
        at = i;
        break;
      }
    if (key == "fields") {
      // fields written as a [layer.fields] sub-table: that sub-table goes, an inline table replaces it
      for (std::size_t i = own_end; i < out.size(); ++i) {
        std::string_view t = trim(out[i]);
        if (t.substr(0, 1) == "[" && t.find("fields") != std::string_view::npos && is_layer_subheader(t)) {
          std::size_t j = i + 1;
          while (j < out.size() && !is_header(out[j])) ++j;
          out.erase(out.begin() + static_cast<std::ptrdiff_t>(i),
                    out.begin() + static_cast<std::ptrdiff_t>(j));
          break;
        }
      }
    }
    if (at < out.size()) {
      const std::size_t span = value_span(out, at, own_end);
      const std::string comment = span == 1 ? trailing_comment(out[at]) : std::string();
      out.erase(out.begin() + static_cast<std::ptrdiff_t>(at),
                out.begin() + static_cast<std::ptrdiff_t>(at + span));
      if (value) out.insert(out.begin() + static_cast<std::ptrdiff_t>(at), key + " = " + *value + comment);
    } else if (value) {
      // after the entry's last key line
      std::size_t last = 0;
      for (std::size_t i = 1; i < own_end; ++i)
        if (!key_of(out[i]).empty()) last = i + value_span(out, i, own_end) - 1;
      out.insert(out.begin() + static_cast<std::ptrdiff_t>(last + 1), key + " = " + *value);
    }
  }
  return out;
}

std::vector<std::string> new_block(const core::LayerSpec& l) {
  std::vector<std::string> out{"[[layer]]"};
  for (const auto& [key, value] : layer_values(l))
    if (value) out.push_back(key + " = " + *value);
  return out;
}

}  // namespace

std::string toml_quote(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::string toml_style(const core::LayerStyleSpec& s) {
  if (!s.given()) return {};
  std::string out = "{ kind = " + toml_quote(s.kind);
  auto key = [&](const char* k, const std::string& v) { out += std::string(", ") + k + " = " + v; };
  auto number = [](double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.15g", v);
    std::string t = buf;
    return t;
  };
  if (!s.field.empty()) key("field", toml_quote(s.field));
  if (!s.method.empty()) key("method", toml_quote(s.method));
  if (s.classes > 0 && s.method != "manual") key("classes", std::to_string(s.classes));
  if (!s.breaks.empty()) {
    std::string b;
    for (double x : s.breaks) b += (b.empty() ? "" : ", ") + number(x);
    key("breaks", "[" + b + "]");
  }
  if (!s.ramp.empty()) key("ramp", toml_quote(s.ramp));
  if (!s.category_colors.empty()) {
    std::string c;
    for (const auto& [value, colour] : s.category_colors)
      c += (c.empty() ? "" : ", ") + toml_quote(value) + " = " + toml_quote(colour);
    key("colors", "{ " + c + " }");
  }
  if (!s.fill.empty()) key("fill", toml_quote(s.fill));
  if (!s.line.empty()) key("line", toml_quote(s.line));
  if (s.width >= 0) key("width", number(s.width));
  if (!s.symbol.empty()) key("symbol", toml_quote(s.symbol));
  if (s.size >= 0) key("size", number(s.size));
  if (s.opacity >= 0) key("opacity", number(s.opacity));
  if (s.labels >= 0) key("labels", s.labels ? "true" : "false");
  if (!s.label_field.empty()) key("label_field", toml_quote(s.label_field));
  return out + " }";
}

std::string toml_fields(const core::FieldMap& f) {
  std::string s;
  for (const auto& [k, v] : core::field_keys(f))
    if (!v->empty()) s += (s.empty() ? "" : ", ") + std::string(k) + " = " + toml_quote(*v);
  return s.empty() ? std::string{} : "{ " + s + " }";
}

std::string edit_project_layers(std::string_view text, const core::ProjectConfig& old,
                                const std::vector<core::LayerSpec>& layers) {
  std::vector<std::string> lines;
  {
    std::size_t p = 0;
    while (p <= text.size()) {
      std::size_t nl = text.find('\n', p);
      if (nl == std::string_view::npos) {
        if (p < text.size()) lines.emplace_back(text.substr(p));
        break;
      }
      lines.emplace_back(text.substr(p, nl - p));
      p = nl + 1;
    }
  }
  // the old entries' blocks, in file order
  std::vector<Block> blocks;
  for (const auto& spec : old.layers) {
    if (spec.line <= 0) continue;
    std::size_t h = std::min(static_cast<std::size_t>(spec.line - 1), lines.empty() ? 0 : lines.size() - 1);
    while (h > 0 && !is_layer_header(lines[h])) --h;
    if (lines.empty() || !is_layer_header(lines[h])) continue;
    std::size_t e = h + 1;
    while (e < lines.size() && (!is_header(lines[e]) || is_layer_subheader(lines[e]))) ++e;
    // comments and blank lines just above the next section belong to it
    while (e > h + 1 && (trim(lines[e - 1]).empty() || trim(lines[e - 1]).front() == '#')) --e;
    blocks.push_back({h, e, &spec});
  }
  std::sort(blocks.begin(), blocks.end(), [](const Block& a, const Block& b) { return a.begin < b.begin; });
  std::map<int, const core::LayerSpec*> kept;  // old line -> the new spec
  std::vector<const core::LayerSpec*> added;
  for (const auto& l : layers) {
    if (l.line > 0 &&
        std::any_of(blocks.begin(), blocks.end(), [&](const Block& b) { return b.spec->line == l.line; }))
      kept[l.line] = &l;
    else
      added.push_back(&l);
  }
  std::vector<std::string> out;
  std::size_t pos = 0;
  const std::size_t insert_after = blocks.empty() ? lines.size() : blocks.back().end;
  auto emit_added = [&] {
    if (added.empty()) return;
    if (!out.empty() && !trim(out.back()).empty()) out.emplace_back();
    for (std::size_t k = 0; k < added.size(); ++k) {
      if (k > 0) out.emplace_back();
      for (auto& s : new_block(*added[k])) out.push_back(std::move(s));
    }
    if (pos < lines.size() && !trim(lines[pos]).empty()) out.emplace_back();
  };
  for (const Block& b : blocks) {
    for (; pos < b.begin; ++pos) out.push_back(lines[pos]);
    auto it = kept.find(b.spec->line);
    if (it != kept.end()) {
      for (auto& s : edit_block(lines, b, *b.spec, *it->second)) out.push_back(std::move(s));
      pos = b.end;
    } else {
      pos = b.end;
      // the blank line that separated the removed entry from what follows goes too
      if (pos < lines.size() && trim(lines[pos]).empty()) ++pos;
    }
    if (b.end == insert_after) emit_added();
  }
  if (blocks.empty()) {
    for (; pos < lines.size(); ++pos) out.push_back(lines[pos]);
    emit_added();
  }
  for (; pos < lines.size(); ++pos) out.push_back(lines[pos]);
  std::string result;
  for (const auto& l : out) result += l + "\n";
  return result;
}

std::string set_table_key(std::string_view text, int line, const std::string& key, const std::string& value) {
  std::vector<std::string> lines;
  for (std::size_t p = 0; p < text.size();) {
    std::size_t nl = text.find('\n', p);
    if (nl == std::string_view::npos) nl = text.size();
    lines.emplace_back(text.substr(p, nl - p));
    p = nl + 1;
  }
  if (lines.empty()) return std::string(text);
  std::size_t h = std::min(static_cast<std::size_t>(std::max(line, 1) - 1), lines.size() - 1);
  while (h > 0 && !is_header(lines[h])) --h;
  std::size_t e = h + 1, last = h, at = lines.size();
  for (; e < lines.size() && !is_header(lines[e]); ++e) {
    if (key_of(lines[e]).empty()) continue;
    if (key_of(lines[e]) == key && at == lines.size()) at = e;
    last = e + value_span(lines, e, lines.size()) - 1;
  }
  if (at < lines.size()) {
    const std::size_t span = value_span(lines, at, e);
    const std::string comment = span == 1 ? trailing_comment(lines[at]) : std::string();
    lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(at),
                lines.begin() + static_cast<std::ptrdiff_t>(at + span));
    lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(at), key + " = " + value + comment);
  } else {
    lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(last + 1), key + " = " + value);
  }
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

namespace {

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  for (std::size_t p = 0; p < text.size();) {
    std::size_t nl = text.find('\n', p);
    if (nl == std::string_view::npos) nl = text.size();
    lines.emplace_back(text.substr(p, nl - p));
    p = nl + 1;
  }
  return lines;
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

/// The header line (0-based) of the table holding 1-based line `line`.
std::size_t header_at(const std::vector<std::string>& lines, int line) {
  std::size_t h = std::min(static_cast<std::size_t>(std::max(line, 1) - 1), lines.size() - 1);
  while (h > 0 && !is_header(lines[h])) --h;
  return h;
}

}  // namespace

std::string remove_table_key(std::string_view text, int line, const std::string& key) {
  std::vector<std::string> lines = split_lines(text);
  if (lines.empty()) return std::string(text);
  const std::size_t h = header_at(lines, line);
  std::size_t e = h + 1;
  while (e < lines.size() && !is_header(lines[e])) ++e;
  for (std::size_t i = h + 1; i < e; ++i)
    if (key_of(lines[i]) == key) {
      const std::size_t span = value_span(lines, i, e);
      lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(i),
                  lines.begin() + static_cast<std::ptrdiff_t>(i + span));
      break;
    }
  return join_lines(lines);
}

std::string remove_table(std::string_view text, int line) {
  std::vector<std::string> lines = split_lines(text);
  if (lines.empty()) return std::string(text);
  const std::size_t h = header_at(lines, line);
  if (!is_header(lines[h])) return std::string(text);
  std::string name;  // "scenario" of [[scenario]]: its sub-tables ([scenario.road_speeds]) go too
  {
    std::string_view t = trim(lines[h]);
    while (!t.empty() && t.front() == '[') t.remove_prefix(1);
    const std::size_t close = t.find(']');
    name = std::string(trim(t.substr(0, close)));
  }
  std::size_t e = h + 1;
  auto sub = [&](std::string_view l) {
    std::string_view t = trim(l);
    if (t.size() < 2 || t[0] != '[' || t[1] == '[') return false;
    t.remove_prefix(1);
    t = trim(t);
    return t.substr(0, name.size() + 1) == name + ".";
  };
  while (e < lines.size() && (!is_header(lines[e]) || sub(lines[e]))) ++e;
  // comments and blank lines just above the next section belong to it
  while (e > h + 1 && (trim(lines[e - 1]).empty() || trim(lines[e - 1]).front() == '#')) --e;
  // the blank line that separated the entry from what follows goes too
  if (e < lines.size() && trim(lines[e]).empty()) ++e;
  lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(h), lines.begin() + static_cast<std::ptrdiff_t>(e));
  return join_lines(lines);
}

std::string source_for_project(const std::string& source, const fs::path& project) {
  if (source.empty() || source.find("://") != std::string::npos || source.rfind("/vsi", 0) == 0)
    return source;
  // connection strings ("PG:dbname=...", "WFS:https://..."): a driver prefix before a colon
  const std::size_t colon = source.find(':');
  if (colon != std::string::npos && colon > 1 && source.find('/') > colon) return source;
  std::error_code ec;
  const fs::path abs = fs::weakly_canonical(fs::absolute(source, ec), ec);
  const fs::path dir = fs::weakly_canonical(fs::absolute(project, ec).parent_path(), ec);
  if (ec) return source;
  fs::path rel = abs.lexically_relative(dir);
  if (rel.empty()) return abs.generic_string();
  auto it = rel.begin();
  int ups = 0;
  for (; it != rel.end() && *it == ".."; ++it) ++ups;
  if (ups > 1) return abs.generic_string();
  return rel.generic_string();
}

}  // namespace kepumap::io
