#include "core/json.hpp"

#include "core/utf8.hpp"

#include <charconv>
#include <cstdint>

namespace kepumap::core {

const JsonValue* JsonValue::find(std::string_view key) const {
  if (kind != Kind::Object) return nullptr;
  for (const auto& [k, v] : object)
    if (k == key) return &v;
  return nullptr;
}

namespace {

class Parser {
 public:
  explicit Parser(std::string_view t) : m_text(t) {}

  JsonValue document() {
    JsonValue v = value(0);
    skip_ws();
    if (m_pos != m_text.size()) fail("unexpected text after the JSON value");
    return v;
  }

 private:
  std::string_view m_text;
  std::size_t m_pos = 0;

  [[noreturn]] void fail(const std::string& what) const {
    int line = 1, col = 1;
    for (std::size_t i = 0; i < m_pos && i < m_text.size(); ++i) {
      if (m_text[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    throw JsonError(what, line, col);
  }
  void skip_ws() {
    while (m_pos < m_text.size() &&
           (m_text[m_pos] == ' ' || m_text[m_pos] == '\t' || m_text[m_pos] == '\n' || m_text[m_pos] == '\r'))
      ++m_pos;
  }
  char peek() const { return m_pos < m_text.size() ? m_text[m_pos] : '\0'; }
  void expect(char c) {
    if (peek() != c) fail(std::string("expected '") + c + "'");
    ++m_pos;
  }
  bool literal(std::string_view word) {
    if (m_text.substr(m_pos, word.size()) == word) {
      m_pos += word.size();
      return true;
    }
    return false;
  }

  JsonValue value(int depth) {
    if (depth > 512) fail("nesting too deep");
    skip_ws();
    JsonValue v;
    char c = peek();
    if (c == '{') {
      v.kind = JsonValue::Kind::Object;
      ++m_pos;
      skip_ws();
      if (peek() == '}') {
        ++m_pos;
        return v;
      }
      for (;;) {
        skip_ws();
        if (peek() != '"') fail("expected a member name in quotes");
        std::string key = string_body();
        skip_ws();
        expect(':');
        v.object.emplace_back(std::move(key), value(depth + 1));
        skip_ws();
        if (peek() == ',') {
          ++m_pos;
          continue;
        }
        expect('}');
        return v;
      }
    }
    if (c == '[') {
      v.kind = JsonValue::Kind::Array;
      ++m_pos;
      skip_ws();
      if (peek() == ']') {
        ++m_pos;
        return v;
      }
      for (;;) {
        v.array.push_back(value(depth + 1));
        skip_ws();
        if (peek() == ',') {
          ++m_pos;
          continue;
        }
        expect(']');
        return v;
      }
    }
    if (c == '"') {
      v.kind = JsonValue::Kind::String;
      v.string = string_body();
      return v;
    }
    if (literal("true")) {
      v.kind = JsonValue::Kind::Bool;
      v.boolean = true;
      return v;
    }
    if (literal("false")) {
      v.kind = JsonValue::Kind::Bool;
      return v;
    }
    if (literal("null")) return v;
    if (c == '-' || (c >= '0' && c <= '9')) {
      std::size_t start = m_pos;
      if (peek() == '-') ++m_pos;
      while (m_pos < m_text.size() &&
             ((m_text[m_pos] >= '0' && m_text[m_pos] <= '9') || m_text[m_pos] == '.' ||
              m_text[m_pos] == 'e' || m_text[m_pos] == 'E' || m_text[m_pos] == '+' || m_text[m_pos] == '-'))
        ++m_pos;
      v.kind = JsonValue::Kind::Number;
      auto r = std::from_chars(m_text.data() + start, m_text.data() + m_pos, v.number);
      if (r.ec != std::errc() || r.ptr != m_text.data() + m_pos) {
        m_pos = start;
        fail("bad number");
      }
      return v;
    }
    fail("expected a JSON value");
  }

  std::uint32_t hex4() {
    if (m_pos + 4 > m_text.size()) fail("short \\u escape");
    std::uint32_t cp = 0;
    for (int i = 0; i < 4; ++i) {
      char h = m_text[m_pos++];
      cp <<= 4;
      if (h >= '0' && h <= '9')
        cp |= static_cast<std::uint32_t>(h - '0');
      else if (h >= 'a' && h <= 'f')
        cp |= static_cast<std::uint32_t>(h - 'a' + 10);
      else if (h >= 'A' && h <= 'F')
        cp |= static_cast<std::uint32_t>(h - 'A' + 10);
      else
        fail("bad \\u escape");
    }
    return cp;
  }

  std::string string_body() {
    expect('"');
    std::string out;
    for (;;) {
      if (m_pos >= m_text.size()) fail("unterminated string");
      char c = m_text[m_pos++];
      if (c == '"') return out;
      if (static_cast<unsigned char>(c) < 0x20) fail("control character in string");
      if (c != '\\') {
        out += c;
        continue;
      }
      if (m_pos >= m_text.size()) fail("unterminated string");
      char e = m_text[m_pos++];
      switch (e) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          std::uint32_t cp = hex4();
          if (cp >= 0xD800 && cp < 0xDC00 && m_text.substr(m_pos, 2) == "\\u") {
            m_pos += 2;
            std::uint32_t lo = hex4();
            if (lo < 0xDC00 || lo > 0xDFFF) fail("bad surrogate pair");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          }
          core::append_utf8(out, cp);
          break;
        }
        default:
          fail("bad escape");
      }
    }
  }
};

}  // namespace

JsonValue parse_json(std::string_view text) { return Parser(text).document(); }

}  // namespace kepumap::core
