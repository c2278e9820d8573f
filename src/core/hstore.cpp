#include "core/hstore.hpp"

namespace kepumap::core {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// A cursor over the text; every read checks the end first.
struct Reader {
  std::string_view s;
  std::size_t i = 0;

  void skip_spaces() {
    while (i < s.size() && is_space(s[i])) ++i;
  }
  bool at_end() const { return i >= s.size(); }

  // One token: a quoted string (backslash escapes the next byte) or a bare word up to a
  // space, ',', '=' or '"'. `quoted` says which; false if there is no token here.
  bool token(std::string& out, bool& quoted) {
    out.clear();
    skip_spaces();
    if (at_end()) return false;
    if (s[i] == '"') {
      quoted = true;
      ++i;
      while (i < s.size()) {
        const char c = s[i++];
        if (c == '"') return true;
        if (c == '\\') {
          if (i >= s.size()) return false;
          out.push_back(s[i++]);
        } else {
          out.push_back(c);
        }
      }
      return false;  // unterminated
    }
    quoted = false;
    const std::size_t b = i;
    while (i < s.size() && !is_space(s[i]) && s[i] != ',' && s[i] != '=' && s[i] != '"') ++i;
    if (i == b) return false;
    out.assign(s.substr(b, i - b));
    return true;
  }

  bool arrow() {
    skip_spaces();
    if (i + 1 < s.size() && s[i] == '=' && s[i + 1] == '>') {
      i += 2;
      return true;
    }
    return false;
  }
};

// Calls `pair(key, value)` for each pair in order until it returns false; returns whether
// the whole text was a well-formed list.
template <class F>
bool walk(std::string_view text, F&& pair) {
  Reader r{text};
  std::string key, value;
  r.skip_spaces();
  if (r.at_end()) return true;
  for (;;) {
    bool kq = false, vq = false;
    if (!r.token(key, kq)) return false;
    if (!r.arrow()) return false;
    if (!r.token(value, vq)) return false;
    if (!vq && (value == "NULL" || value == "null")) value.clear();
    if (!pair(key, value)) return true;
    r.skip_spaces();
    if (r.at_end()) return true;
    if (r.s[r.i] != ',') return false;
    ++r.i;
  }
}

}  // namespace

bool parse_hstore(std::string_view text, std::vector<std::pair<std::string, std::string>>& out) {
  return walk(text, [&](const std::string& k, const std::string& v) {
    out.emplace_back(k, v);
    return true;
  });
}

std::optional<std::string> hstore_get(std::string_view text, std::string_view key) {
  // Fast reject: without backslash escapes in the text, every key read is a verbatim part of it.
  // (With escapes, "a\bc" is the key abc, which the text does not contain verbatim.)
  if (key.empty()) return std::nullopt;
  if (text.find('\\') == std::string_view::npos && key.find('"') == std::string_view::npos &&
      text.find(key) == std::string_view::npos)
    return std::nullopt;
  std::optional<std::string> found;
  walk(text, [&](const std::string& k, const std::string& v) {
    if (k != key) return true;
    found = v;
    return false;
  });
  return found;
}

std::string format_hstore(const std::vector<std::pair<std::string, std::string>>& pairs) {
  std::string out;
  auto quote = [&](const std::string& s) {
    out.push_back('"');
    for (char c : s) {
      if (c == '"' || c == '\\') out.push_back('\\');
      out.push_back(c);
    }
    out.push_back('"');
  };
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    if (i) out.push_back(',');
    quote(pairs[i].first);
    out += "=>";
    quote(pairs[i].second);
  }
  return out;
}

}  // namespace kepumap::core
