#include "io/text.hpp"

#include "core/utf8.hpp"

#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <stdexcept>
#include <vector>

namespace kepumap::io {

namespace {

constexpr char32_t INVALID_CP = 0xFFFFFFFF;

/// Decodes one UTF-8 code point at `s[i]`; returns it and sets `len`, or INVALID_CP with len 1.
/// If `allow_truncated` and the sequence is cut off by the end of `s`, returns 0 with len 0.
char32_t decode_utf8(std::string_view s, std::size_t i, std::size_t& len, bool allow_truncated = false) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  len = 1;
  if (b0 < 0x80) return b0;
  std::size_t n = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    n = 2;
    cp = b0 & 0x1F;
    min = 0x80;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    n = 3;
    cp = b0 & 0x0F;
    min = 0x800;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    n = 4;
    cp = b0 & 0x07;
    min = 0x10000;
  } else
    return INVALID_CP;
  for (std::size_t k = 1; k < n; ++k) {
    if (i + k >= s.size()) {
      if (allow_truncated) {
        len = 0;
        return 0;
      }
      return INVALID_CP;
    }
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return INVALID_CP;
    cp = (cp << 6) | (b & 0x3F);
    // Reject overlong forms and out-of-range values as early as the second byte allows, so a
    // truncated tail is only accepted when it could still become valid.
    if (k == 1) {
      if (b0 == 0xE0 && b < 0xA0) return INVALID_CP;
      if (b0 == 0xED && b > 0x9F) return INVALID_CP;  // surrogates
      if (b0 == 0xF0 && b < 0x90) return INVALID_CP;
      if (b0 == 0xF4 && b > 0x8F) return INVALID_CP;
    }
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return INVALID_CP;
  len = n;
  return cp;
}

bool has_utf8_bom(std::string_view s) { return s.size() >= 3 && s.substr(0, 3) == "\xEF\xBB\xBF"; }

bool has_utf16_bom(std::string_view s) {
  return s.size() >= 2 && ((s[0] == '\xFF' && s[1] == '\xFE') || (s[0] == '\xFE' && s[1] == '\xFF'));
}

/// Well-formed UTF-8 check; `allow_truncated_tail` accepts a sequence cut off at the end.
bool valid_utf8(std::string_view s, bool allow_truncated_tail) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    const char32_t cp = decode_utf8(s, i, len, allow_truncated_tail);
    if (cp == INVALID_CP) return false;
    if (len == 0) return true;  // truncated tail
    i += len;
  }
  return true;
}

/// UTF-8 to UTF-8: removes a BOM and replaces malformed sequences with U+FFFD.
std::string clean_utf8(std::string_view s, std::size_t* replaced) {
  if (has_utf8_bom(s)) s.remove_prefix(3);
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      out += static_cast<char>(b);
      ++i;
      continue;
    }
    std::size_t len = 0;
    const char32_t cp = decode_utf8(s, i, len);
    if (cp == INVALID_CP) {
      core::append_utf8(out, 0xFFFD);
      if (replaced) ++*replaced;
      i += 1;
    } else {
      out.append(s.substr(i, len));
      i += len;
    }
  }
  return out;
}

std::string upper_trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  std::string r(s);
  for (char& c : r)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return r;
}

}  // namespace

bool is_valid_utf8(std::string_view bytes) { return valid_utf8(bytes, false); }

std::string detect_encoding(std::string_view sample) {
  if (has_utf8_bom(sample)) return "UTF-8";
  if (has_utf16_bom(sample)) return "UTF-16";
  if (valid_utf8(sample, true)) return "UTF-8";
  return "GB18030";
}

std::string canonical_encoding(std::string_view encoding) {
  const std::string up = upper_trimmed(encoding);
  std::string key;  // without '-', '_' and spaces
  for (char c : up)
    if (c != '-' && c != '_' && c != ' ') key += c;
  if (key == "UTF8" || key == "UTF8SIG" || key == "65001" || key == "UTF8BOM") return "UTF-8";
  if (key == "GBK" || key == "GB2312" || key == "EUCCN" || key == "CP936" || key == "936" || key == "MS936" ||
      key == "WINDOWS936" || key == "GB18030" || key == "ANSI936" || key == "CP54936" || key == "54936")
    return "GB18030";
  if (key == "BIG5" || key == "CP950" || key == "950") return "BIG5";
  if (key == "UTF16") return "UTF-16";
  if (key == "UTF16LE") return "UTF-16LE";
  if (key == "UTF16BE") return "UTF-16BE";
  return up;
}

std::string to_utf8(std::string_view bytes, const std::string& encoding, std::size_t* replaced) {
  const std::string enc = canonical_encoding(encoding);
  if (enc == "UTF-8") return clean_utf8(bytes, replaced);
  // UTF-16LE/BE do not consume a BOM in glibc; strip one that matches.
  if (enc == "UTF-16LE" && bytes.size() >= 2 && bytes[0] == '\xFF' && bytes[1] == '\xFE')
    bytes.remove_prefix(2);
  if (enc == "UTF-16BE" && bytes.size() >= 2 && bytes[0] == '\xFE' && bytes[1] == '\xFF')
    bytes.remove_prefix(2);

  iconv_t cd = iconv_open("UTF-8", enc.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1))
    throw std::invalid_argument("未知编码 (unknown encoding): " + encoding);

  std::string out;
  std::vector<char> buf(4096 + bytes.size() * 2);
  char* in = const_cast<char*>(bytes.data());  // iconv's signature is not const-correct
  std::size_t in_left = bytes.size();
  // Bytes skipped after an invalid sequence: 2 for UTF-16 so the stream stays aligned.
  const std::size_t skip = enc.rfind("UTF-16", 0) == 0 ? 2 : 1;
  while (true) {
    char* o = buf.data();
    std::size_t out_left = buf.size();
    const std::size_t r =
        in_left > 0 ? iconv(cd, &in, &in_left, &o, &out_left) : iconv(cd, nullptr, nullptr, &o, &out_left);
    out.append(buf.data(), static_cast<std::size_t>(o - buf.data()));
    if (r != static_cast<std::size_t>(-1)) {
      if (in_left == 0) {
        // Flush any shift state, then stop.
        o = buf.data();
        out_left = buf.size();
        iconv(cd, nullptr, nullptr, &o, &out_left);
        out.append(buf.data(), static_cast<std::size_t>(o - buf.data()));
        break;
      }
      continue;
    }
    if (errno == E2BIG) continue;
    // EILSEQ (invalid sequence) or EINVAL (incomplete sequence at the end): replace and go on.
    core::append_utf8(out, 0xFFFD);
    if (replaced) ++*replaced;
    const std::size_t n = std::min(skip, in_left);
    in += n;
    in_left -= n;
    if (in_left == 0) break;
  }
  iconv_close(cd);
  if (has_utf8_bom(out)) out.erase(0, 3);
  return out;
}

std::string normalize_fullwidth(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  std::size_t i = 0;
  while (i < utf8.size()) {
    const auto b = static_cast<unsigned char>(utf8[i]);
    if (b < 0x80) {
      out += static_cast<char>(b);
      ++i;
      continue;
    }
    std::size_t len = 0;
    const char32_t cp = decode_utf8(utf8, i, len);
    if (cp == INVALID_CP) {
      out += static_cast<char>(b);
      ++i;
      continue;
    }
    if (cp >= 0xFF01 && cp <= 0xFF5E)
      out += static_cast<char>(cp - 0xFEE0);
    else if (cp == 0x3000)
      out += ' ';
    else
      out.append(utf8.substr(i, len));
    i += len;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Coordinates

namespace {

bool is_space(char32_t c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0xA0 || c == 0x3000;
}
bool is_digit(char32_t c) { return c >= '0' && c <= '9'; }
bool is_degree_mark(char32_t c) { return c == 0xB0 || c == 0xBA || c == 0x2DA || c == U'度'; }
bool is_minute_mark(char32_t c) {
  return c == '\'' || c == 0x2032 || c == 0x2019 || c == 0x2018 || c == 0xB4 || c == U'分';
}
bool is_second_mark(char32_t c) {
  return c == '"' || c == 0x2033 || c == 0x201D || c == 0x201C || c == U'秒';
}
bool is_minus(char32_t c) { return c == '-' || c == 0x2212 || c == 0x2013 || c == 0x2012 || c == 0x2010; }

std::string cp_to_string(char32_t c) {
  std::string s;
  core::append_utf8(s, c);
  return s;
}

/// Hemisphere marker at the start (prefix) or end of `t`; returns its length in code points and
/// the sign/axis, or 0 if none.
struct Hemi {
  std::size_t len = 0;
  Axis axis = Axis::Unknown;
  bool negative = false;
};

Hemi hemisphere_of(char32_t c) {
  switch (c) {
    case 'E':
    case 'e':
    case U'东':
      return {1, Axis::Longitude, false};
    case 'W':
    case 'w':
    case U'西':
      return {1, Axis::Longitude, true};
    case 'N':
    case 'n':
    case U'北':
      return {1, Axis::Latitude, false};
    case 'S':
    case 's':
    case U'南':
      return {1, Axis::Latitude, true};
    default:
      return {};
  }
}

Hemi hemisphere_prefix(const std::u32string& t) {
  if (t.empty()) return {};
  Hemi h = hemisphere_of(t[0]);
  if (h.len == 0) return {};
  if (t.size() >= 2) {
    // 东经, 西经, 北纬, 南纬
    if ((t[1] == U'经' && h.axis == Axis::Longitude) || (t[1] == U'纬' && h.axis == Axis::Latitude)) {
      h.len = 2;
      return h;
    }
    // A Latin letter must not be followed by another letter ("East" is not accepted; "e1" is).
    if (t[0] < 0x80 && ((t[1] >= 'a' && t[1] <= 'z') || (t[1] >= 'A' && t[1] <= 'Z'))) return {};
  }
  return h;
}

Hemi hemisphere_suffix(const std::u32string& t) {
  if (t.empty()) return {};
  const std::size_t n = t.size();
  if (n >= 2 && (t[n - 1] == U'经' || t[n - 1] == U'纬')) {
    Hemi h = hemisphere_of(t[n - 2]);
    if (h.len && t[n - 2] >= 0x80 &&
        ((t[n - 1] == U'经' && h.axis == Axis::Longitude) ||
         (t[n - 1] == U'纬' && h.axis == Axis::Latitude))) {
      h.len = 2;
      return h;
    }
    return {};
  }
  Hemi h = hemisphere_of(t[n - 1]);
  if (h.len == 0) return {};
  if (n >= 2 && t[n - 1] < 0x80 &&
      ((t[n - 2] >= 'a' && t[n - 2] <= 'z') || (t[n - 2] >= 'A' && t[n - 2] <= 'Z')))
    return {};
  return h;
}

void trim(std::u32string& t) {
  std::size_t b = 0, e = t.size();
  while (b < e && is_space(t[b])) ++b;
  while (e > b && is_space(t[e - 1])) --e;
  t = t.substr(b, e - b);
}

enum class Mark : std::uint8_t { Degree, Minute, Second, Separator, End };

struct Component {
  std::string number;  // ASCII digits with at most one '.'
  bool has_fraction = false;
  Mark mark = Mark::End;
};

bool fail(std::string* error, std::string why) {
  if (error) *error = std::move(why);
  return false;
}

}  // namespace

std::optional<ParsedCoordinate> parse_coordinate_parts(std::string_view text, std::string* error) {
  // Fast path for the common plain decimal ("114.958", "-3.5"); anything else, or a value out of
  // range, takes the full path below (which gives the same value or the reason).
  {
    std::string_view v = text;
    while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
    while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
    std::size_t k = (!v.empty() && (v[0] == '-' || v[0] == '+')) ? 1 : 0;
    const std::size_t int_begin = k;
    while (k < v.size() && is_digit(static_cast<unsigned char>(v[k]))) ++k;
    bool plain = k > int_begin && v.size() <= 40;
    if (plain && k < v.size()) {
      plain = v[k] == '.' && k + 1 < v.size();
      for (std::size_t m = k + 1; plain && m < v.size(); ++m)
        plain = is_digit(static_cast<unsigned char>(v[m]));
    }
    if (plain) {
      if (v[0] == '+') v.remove_prefix(1);
      double d = 0.0;
      const auto r = std::from_chars(v.data(), v.data() + v.size(), d, std::chars_format::fixed);
      if (r.ec == std::errc() && r.ptr == v.data() + v.size() && std::abs(d) <= 180.0)
        return ParsedCoordinate{d, Axis::Unknown};
    }
  }
  if (!is_valid_utf8(text)) {
    fail(error, "不是有效的 UTF-8 文本 (not valid UTF-8 text)");
    return std::nullopt;
  }
  // Decode to code points with full-width forms folded to ASCII.
  std::u32string t;
  {
    const std::string norm = normalize_fullwidth(text);
    std::size_t i = 0;
    while (i < norm.size()) {
      std::size_t len = 0;
      const char32_t cp = decode_utf8(norm, i, len);
      if (cp == INVALID_CP) {
        ++i;
        continue;
      }  // cannot happen after the validity check
      t.push_back(cp);
      i += len;
    }
  }
  trim(t);
  const std::string shown(text.size() > 80 ? text.substr(0, 80) : text);
  if (t.empty()) {
    fail(error, "空值 (empty value)");
    return std::nullopt;
  }

  // Hemisphere before or after the number.
  Hemi hemi;
  const Hemi pre = hemisphere_prefix(t);
  if (pre.len) {
    hemi = pre;
    t.erase(0, pre.len);
    trim(t);
  }
  const Hemi suf = hemisphere_suffix(t);
  if (suf.len) {
    if (hemi.len) {
      fail(error, "方位写了两次 (hemisphere given twice): " + shown);
      return std::nullopt;
    }
    hemi = suf;
    t.erase(t.size() - suf.len);
    trim(t);
  }

  // Sign.
  bool negative = false;
  std::size_t i = 0;
  if (i < t.size() && (is_minus(t[i]) || t[i] == '+')) {
    negative = is_minus(t[i]);
    if (hemi.len) {
      fail(error, "正负号与方位不能同时使用 (sign and hemisphere both given): " + shown);
      return std::nullopt;
    }
    ++i;
    while (i < t.size() && is_space(t[i])) ++i;
  }
  if (i >= t.size()) {
    fail(error, "没有数字 (no number): " + shown);
    return std::nullopt;
  }

  // Numbers, each followed by a mark (°, ′, ″, 度分秒), a separator (spaces, ':') or the end.
  std::vector<Component> comps;
  while (i < t.size()) {
    Component c;
    bool dot = false;
    std::size_t digits = 0;
    while (i < t.size() && (is_digit(t[i]) || (t[i] == '.' && !dot))) {
      if (t[i] == '.')
        dot = true;
      else
        ++digits;
      c.number += static_cast<char>(t[i]);
      ++i;
    }
    if (digits == 0) {
      if (i < t.size())
        fail(error, "意外的字符 '" + cp_to_string(t[i]) + "' (unexpected character): " + shown);
      else
        fail(error, "没有数字 (no number): " + shown);
      return std::nullopt;
    }
    if (c.number.size() > 40) {
      fail(error, "数字太长 (number too long): " + shown);
      return std::nullopt;
    }
    c.has_fraction = dot;
    const std::size_t before_ws = i;
    while (i < t.size() && is_space(t[i])) ++i;
    if (i >= t.size()) {
      c.mark = Mark::End;
    } else if (is_degree_mark(t[i])) {
      c.mark = Mark::Degree;
      ++i;
    } else if (t[i] == '\'' && i + 1 < t.size() && t[i + 1] == '\'') {
      c.mark = Mark::Second;  // two apostrophes written for ″
      i += 2;
    } else if (is_minute_mark(t[i])) {
      c.mark = Mark::Minute;
      ++i;
    } else if (is_second_mark(t[i])) {
      c.mark = Mark::Second;
      ++i;
    } else if (t[i] == ':') {
      c.mark = Mark::Separator;
      ++i;
    } else if (is_digit(t[i]) && i > before_ws) {
      c.mark = Mark::Separator;  // "114 57 30"
    } else {
      fail(error, "意外的字符 '" + cp_to_string(t[i]) + "' (unexpected character): " + shown);
      return std::nullopt;
    }
    while (i < t.size() && is_space(t[i])) ++i;
    comps.push_back(std::move(c));
    if (comps.size() > 3) {
      fail(error,
           "数字太多，最多为度、分、秒 (too many numbers; at most degrees, minutes, seconds): " + shown);
      return std::nullopt;
    }
    if (comps.back().mark == Mark::Separator && i >= t.size()) {
      fail(error, "分隔符后缺少数字 (number missing after separator): " + shown);
      return std::nullopt;
    }
  }

  // Marks must match positions: degrees, then minutes, then seconds.
  double parts[3] = {0, 0, 0};
  for (std::size_t k = 0; k < comps.size(); ++k) {
    const Component& c = comps[k];
    if ((c.mark == Mark::Degree && k != 0) || (c.mark == Mark::Minute && k != 1) ||
        (c.mark == Mark::Second && k != 2)) {
      fail(error, "度分秒的顺序不对 (degrees, minutes, seconds out of order): " + shown);
      return std::nullopt;
    }
    if (c.has_fraction && k + 1 < comps.size()) {
      fail(error,
           "只有最后一项可以带小数 (only the last of degrees/minutes/seconds may have a fraction): " + shown);
      return std::nullopt;
    }
    double v = 0.0;
    const char* b = c.number.data();
    const char* e = b + c.number.size();
    auto r = std::from_chars(b, e, v, std::chars_format::fixed);
    if (r.ec != std::errc() || r.ptr != e || !std::isfinite(v)) {
      fail(error, "无法读取数字 (cannot read number): " + shown);
      return std::nullopt;
    }
    parts[k] = v;
  }
  if (comps.size() >= 2 && parts[1] >= 60.0) {
    fail(error, "分必须小于 60 (minutes must be below 60): " + shown);
    return std::nullopt;
  }
  if (comps.size() >= 3 && parts[2] >= 60.0) {
    fail(error, "秒必须小于 60 (seconds must be below 60): " + shown);
    return std::nullopt;
  }
  double deg = parts[0] + parts[1] / 60.0 + parts[2] / 3600.0;
  if (negative || hemi.negative) deg = -deg;

  const double limit = hemi.axis == Axis::Latitude ? 90.0 : 180.0;
  if (std::abs(deg) > limit) {
    if (hemi.axis == Axis::Latitude)
      fail(error, "纬度超出 ±90° (latitude beyond ±90°): " + shown);
    else
      fail(error, "超出 ±180° (beyond ±180°): " + shown);
    return std::nullopt;
  }
  return ParsedCoordinate{deg, hemi.axis};
}

std::optional<double> parse_coordinate(std::string_view text, Axis hint, std::string* error) {
  auto p = parse_coordinate_parts(text, error);
  if (!p) return std::nullopt;
  const std::string shown(text.size() > 80 ? text.substr(0, 80) : text);
  if (hint != Axis::Unknown && p->hemisphere != Axis::Unknown && p->hemisphere != hint) {
    fail(error, hint == Axis::Longitude ? "经度写了南北方位 (longitude given with N/S): " + shown
                                        : "纬度写了东西方位 (latitude given with E/W): " + shown);
    return std::nullopt;
  }
  const Axis axis = hint != Axis::Unknown ? hint : p->hemisphere;
  if (axis == Axis::Latitude && std::abs(p->degrees) > 90.0) {
    fail(error, "纬度超出 ±90° (latitude beyond ±90°): " + shown);
    return std::nullopt;
  }
  if (std::abs(p->degrees) > 180.0) {
    fail(error, "经度超出 ±180° (longitude beyond ±180°): " + shown);
    return std::nullopt;
  }
  return p->degrees;
}

namespace {

/// The first GB2312 code (row << 8 | cell) of each pinyin initial in the first level (B0A1-D7F9),
/// which is ordered by pinyin; i, u and v begin no syllable.
struct Initial {
  unsigned code;
  char letter;
};
constexpr Initial k_initials[] = {
    {0xB0A1, 'a'}, {0xB0C5, 'b'}, {0xB2C1, 'c'}, {0xB4EE, 'd'}, {0xB6EA, 'e'}, {0xB7A2, 'f'},
    {0xB8C1, 'g'}, {0xB9FE, 'h'}, {0xBBF7, 'j'}, {0xBFA6, 'k'}, {0xC0AC, 'l'}, {0xC2E8, 'm'},
    {0xC4C3, 'n'}, {0xC5B6, 'o'}, {0xC5BE, 'p'}, {0xC6DA, 'q'}, {0xC8BB, 'r'}, {0xC8F6, 's'},
    {0xCBFA, 't'}, {0xCDDA, 'w'}, {0xCEF4, 'x'}, {0xD1B9, 'y'}, {0xD4D1, 'z'},
};
constexpr unsigned k_level1_end = 0xD7F9;  // the last character of the first level

}  // namespace

std::string pinyin_initials(std::string_view utf8) {
  std::string out;
  iconv_t cd = iconv_open("GB2312", "UTF-8");
  for (std::size_t i = 0; i < utf8.size();) {
    const std::size_t at = i;
    std::size_t len = 1;
    const char32_t cp = decode_utf8(utf8, i, len);
    i += len;
    if (cp < 0x80) {
      const char c = static_cast<char>(cp);
      if (c >= 'A' && c <= 'Z')
        out += static_cast<char>(c - 'A' + 'a');
      else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
        out += c;
      continue;
    }
    if (cp < 0x4E00 || cp > 0x9FFF || cd == reinterpret_cast<iconv_t>(-1)) continue;  // not a CJK ideograph
    char* in = const_cast<char*>(utf8.data() + at);  // iconv's signature is not const-correct
    std::size_t in_left = i - at;
    char gb[4];
    char* o = gb;
    std::size_t out_left = sizeof gb;
    iconv(cd, nullptr, nullptr, nullptr, nullptr);
    if (iconv(cd, &in, &in_left, &o, &out_left) == static_cast<std::size_t>(-1) || o - gb != 2) continue;
    const unsigned code =
        static_cast<unsigned>(static_cast<unsigned char>(gb[0])) << 8 | static_cast<unsigned char>(gb[1]);
    if (code < k_initials[0].code || code > k_level1_end) continue;  // the second level: by radical
    char letter = k_initials[0].letter;
    for (const Initial& e : k_initials)
      if (code >= e.code) letter = e.letter;
    out += letter;
  }
  if (cd != reinterpret_cast<iconv_t>(-1)) iconv_close(cd);
  return out;
}

std::optional<std::pair<double, double>> parse_lon_lat(std::string_view text, std::string* error) {
  auto fail = [&](const std::string& why) -> std::optional<std::pair<double, double>> {
    if (error) *error = why;
    return std::nullopt;
  };
  // the places the line can be cut into two coordinates: separators first, then spaces
  std::vector<std::pair<std::size_t, std::size_t>> cuts;  // [first end, second begin)
  for (std::string_view sep : {",", "，", ";", "；"})
    for (std::size_t p = text.find(sep); p != std::string_view::npos; p = text.find(sep, p + 1))
      cuts.emplace_back(p, p + sep.size());
  if (cuts.empty())
    for (std::size_t p = 0; p < text.size(); ++p)
      if (text[p] == ' ' && p > 0 && text[p - 1] != ' ') cuts.emplace_back(p, p + 1);
  if (cuts.empty()) return fail("两个坐标（经度，纬度）(two coordinates, longitude and latitude)");
  std::string why;
  for (const auto& [end, begin] : cuts) {
    std::string e1, e2;
    const auto a = parse_coordinate_parts(text.substr(0, end), &e1);
    const auto b = parse_coordinate_parts(text.substr(begin), &e2);
    if (!a || !b) {
      if (why.empty()) why = !a ? e1 : e2;
      continue;
    }
    double lon = a->degrees, lat = b->degrees;
    if (a->hemisphere == Axis::Latitude || b->hemisphere == Axis::Longitude ||
        (a->hemisphere == Axis::Unknown && b->hemisphere == Axis::Unknown && std::abs(a->degrees) <= 90 &&
         std::abs(b->degrees) > 90))
      std::swap(lon, lat);
    if (a->hemisphere != Axis::Unknown && a->hemisphere == b->hemisphere)
      return fail("两个坐标同为经度或同为纬度 (both coordinates are longitudes, or both latitudes)");
    if (std::abs(lat) > 90) return fail("纬度超出 ±90° (latitude beyond ±90°)");
    if (std::abs(lon) > 180) return fail("经度超出 ±180° (longitude beyond ±180°)");
    return std::make_pair(lon, lat);
  }
  return fail(why.empty() ? std::string("两个坐标（经度，纬度）(two coordinates, longitude and latitude)")
                          : why);
}

}  // namespace kepumap::io
