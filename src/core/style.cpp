#include "core/style.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/json.hpp"

namespace kepumap::core {

std::optional<Rgba> parse_colour(std::string_view s) {
  if (s.empty() || s[0] != '#') return std::nullopt;
  s.remove_prefix(1);
  auto hexval = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string full;
  if (s.size() == 3 || s.size() == 4) {
    for (char c : s) {
      full += c;
      full += c;
    }
  } else if (s.size() == 6 || s.size() == 8) {
    full = std::string(s);
  } else {
    return std::nullopt;
  }
  if (full.size() == 6) full += "ff";
  float comp[4];
  for (int i = 0; i < 4; ++i) {
    int hi = hexval(full[2 * i]), lo = hexval(full[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    comp[i] = static_cast<float>(hi * 16 + lo) / 255.0f;
  }
  return Rgba{comp[0], comp[1], comp[2], comp[3]};
}

std::string colour_hex(Rgba c) {
  auto b = [](float v) { return static_cast<int>(std::lround(std::clamp(v, 0.0f, 1.0f) * 255.0f)); };
  char buf[16];
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x%02x", b(c.r), b(c.g), b(c.b), b(c.a));
  return buf;
}

Rgba ramp_at(const std::vector<Rgba>& ramp, double t) {
  if (ramp.size() == 1) return ramp[0];
  t = std::clamp(t, 0.0, 1.0) * static_cast<double>(ramp.size() - 1);
  auto i = std::min(static_cast<std::size_t>(t), ramp.size() - 2);
  float f = static_cast<float>(t - static_cast<double>(i));
  const Rgba& a = ramp[i];
  const Rgba& b = ramp[i + 1];
  return {a.r + (b.r - a.r) * f, a.g + (b.g - a.g) * f, a.b + (b.b - a.b) * f, a.a + (b.a - a.a) * f};
}

namespace {
constexpr std::pair<Symbol, std::string_view> k_symbols[] = {
    {Symbol::Circle, "circle"},   {Symbol::Square, "square"}, {Symbol::Triangle, "triangle"},
    {Symbol::Diamond, "diamond"}, {Symbol::Star, "star"},     {Symbol::Cross, "cross"}};
}

std::string_view symbol_name(Symbol s) {
  for (const auto& [sym, name] : k_symbols)
    if (sym == s) return name;
  return "circle";
}
std::optional<Symbol> symbol_from_name(std::string_view s) {
  for (const auto& [sym, name] : k_symbols)
    if (name == s) return sym;
  return std::nullopt;
}

int Choropleth::class_of(double v) const {
  int k = 0;
  while (k < static_cast<int>(breaks.size()) && v > breaks[static_cast<std::size_t>(k)]) ++k;
  return k;
}

std::string Choropleth::class_label(int k) const {
  auto num = [](double v) {
    char b[64];
    std::snprintf(b, sizeof b, "%.2f", v);
    std::string t = b;
    if (t.find('.') != std::string::npos) {
      while (t.back() == '0') t.pop_back();
      if (t.back() == '.') t.pop_back();
    }
    return t == "-0" ? std::string("0") : t;
  };
  const int n = static_cast<int>(breaks.size()) + 1;
  if (n <= 1) return {};
  if (k <= 0) return "≤ " + num(breaks.front());
  if (k >= n - 1) return "> " + num(breaks.back());
  return num(breaks[static_cast<std::size_t>(k - 1)]) + " – " + num(breaks[static_cast<std::size_t>(k)]);
}

Rgba Choropleth::class_colour(int k) const {
  if (ramp.empty()) return {0.5f, 0.5f, 0.5f, 1.0f};
  int n = static_cast<int>(breaks.size()) + 1;
  return ramp_at(ramp, n <= 1 ? 0.0 : static_cast<double>(k) / static_cast<double>(n - 1));
}

void Choropleth::compute_breaks(const std::vector<double>& values) {
  if (method == "manual") return;
  std::vector<double> v;
  for (double x : values)
    if (!std::isnan(x)) v.push_back(x);
  breaks.clear();
  if (v.empty() || classes < 2) return;
  std::sort(v.begin(), v.end());
  for (int k = 1; k < classes; ++k) {
    double b;
    if (method == "equal") {
      b = v.front() + (v.back() - v.front()) * k / classes;
    } else {
      auto idx = static_cast<std::size_t>(std::ceil(static_cast<double>(v.size()) * k / classes)) - 1;
      b = v[std::min(idx, v.size() - 1)];
    }
    if (breaks.empty() || b > breaks.back()) breaks.push_back(b);
  }
}

const LayerStyle& Style::for_role(Role r) const {
  for (const auto& [role, s] : roles)
    if (role == r) return s;
  return fallback;
}

namespace {

struct Ctx {
  const std::string& source;
  std::string where;
  [[noreturn]] void fail(const std::string& key, const std::string& what) const {
    throw std::runtime_error(source + ": " + where + (key.empty() ? "" : "." + key) + ": " + what);
  }
};

Rgba colour_of(const Ctx& c, const std::string& key, const JsonValue& v) {
  if (!v.is_string()) c.fail(key, "expected a colour string like \"#a0b0c0\"");
  auto col = parse_colour(v.string);
  if (!col) c.fail(key, "bad colour \"" + v.string + "\" (use #rrggbb or #rrggbbaa)");
  return *col;
}
double number_of(const Ctx& c, const std::string& key, const JsonValue& v, double lo, double hi) {
  if (!v.is_number()) c.fail(key, "expected a number");
  if (v.number < lo || v.number > hi)
    c.fail(key, "value " + std::to_string(v.number) + " outside [" + std::to_string(lo) + ", " +
                    std::to_string(hi) + "]");
  return v.number;
}
std::vector<Rgba> ramp_of(const Ctx& c, const std::string& key, const JsonValue& v) {
  if (!v.is_array() || v.array.empty()) c.fail(key, "expected a non-empty array of colours");
  std::vector<Rgba> out;
  for (const auto& e : v.array) out.push_back(colour_of(c, key, e));
  return out;
}
bool bool_of(const Ctx& c, const std::string& key, const JsonValue& v) {
  if (!v.is_bool()) c.fail(key, "expected true or false");
  return v.boolean;
}
std::string string_of(const Ctx& c, const std::string& key, const JsonValue& v) {
  if (!v.is_string()) c.fail(key, "expected a string");
  return v.string;
}

LayerStyle layer_style(const Ctx& c, const JsonValue& obj, LayerStyle s) {
  if (!obj.is_object()) c.fail("", "expected an object");
  for (const auto& [k, v] : obj.object) {
    if (k == "fill")
      s.fill = colour_of(c, k, v);
    else if (k == "line")
      s.line = colour_of(c, k, v);
    else if (k == "line_width")
      s.line_width_px = static_cast<float>(number_of(c, k, v, 0, 50));
    else if (k == "dashed")
      s.dashed = bool_of(c, k, v);
    else if (k == "dash") {
      if (!v.is_array() || v.array.size() < 2 || v.array.size() % 2 != 0)
        c.fail(k, "expected an even number (at least two) of on/off lengths");
      s.dash_px.clear();
      for (const auto& e : v.array) s.dash_px.push_back(static_cast<float>(number_of(c, k, e, 0.1, 100)));
    } else if (k == "symbol") {
      auto sym = symbol_from_name(string_of(c, k, v));
      if (!sym)
        c.fail(k, "unknown symbol \"" + v.string + "\" (circle, square, triangle, diamond, star, cross)");
      s.symbol = *sym;
    } else if (k == "size")
      s.symbol_size_px = static_cast<float>(number_of(c, k, v, 1, 100));
    else if (k == "opacity")
      s.opacity = static_cast<float>(number_of(c, k, v, 0, 1));
    else if (k == "labels")
      s.labels = bool_of(c, k, v);
    else if (k == "label_priority")
      s.label_priority = static_cast<int>(number_of(c, k, v, 0, 100));
    else if (k == "label_size")
      s.label_size_px = static_cast<float>(number_of(c, k, v, 6, 72));
    else if (k == "label_colour")
      s.label_colour = colour_of(c, k, v);
    else if (k == "label_max_m_per_px")
      s.label_min_zoom_m_per_px = number_of(c, k, v, 0, 1e9);
    else if (k == "class_field")
      s.class_field = string_of(c, k, v);
    else if (k == "classes") {
      if (!v.is_array()) c.fail(k, "expected an array of {value, line, width}");
      s.line_classes.clear();
      for (const auto& e : v.array) {
        if (!e.is_object()) c.fail(k, "expected an object {value, line, width}");
        LineClass lc{"", "", "", s.line, s.line_width_px};
        for (const auto& [ck, cv] : e.object) {
          if (ck == "value")
            lc.value = string_of(c, k + "." + ck, cv);
          else if (ck == "label")
            lc.label = string_of(c, k + "." + ck, cv);
          else if (ck == "label_en")
            lc.label_en = string_of(c, k + "." + ck, cv);
          else if (ck == "line")
            lc.line = colour_of(c, k + "." + ck, cv);
          else if (ck == "width")
            lc.width_px = static_cast<float>(number_of(c, k + "." + ck, cv, 0, 50));
          else
            c.fail(k + "." + ck, "unknown key");
        }
        if (lc.value.empty()) c.fail(k, "a class needs a \"value\"");
        if (lc.label.empty()) lc.label = lc.value;
        if (lc.label_en.empty()) lc.label_en = lc.label;
        s.line_classes.push_back(lc);
      }
    } else if (k == "choropleth") {
      if (!v.is_object()) c.fail(k, "expected an object {attribute, classes, method, ramp}");
      Choropleth ch;
      for (const auto& [ck, cv] : v.object) {
        std::string kk = k + "." + ck;
        if (ck == "attribute")
          ch.attribute = string_of(c, kk, cv);
        else if (ck == "classes")
          ch.classes = static_cast<int>(number_of(c, kk, cv, 2, 12));
        else if (ck == "method") {
          ch.method = string_of(c, kk, cv);
          if (ch.method != "quantile" && ch.method != "equal" && ch.method != "manual")
            c.fail(kk, "unknown method \"" + ch.method + "\" (quantile, equal, manual)");
        } else if (ck == "breaks") {
          if (!cv.is_array()) c.fail(kk, "expected an array of numbers");
          for (const auto& b : cv.array) ch.breaks.push_back(number_of(c, kk, b, -1e300, 1e300));
          if (!std::is_sorted(ch.breaks.begin(), ch.breaks.end())) c.fail(kk, "breaks must ascend");
        } else if (ck == "ramp")
          ch.ramp = ramp_of(c, kk, cv);
        else
          c.fail(kk, "unknown key");
      }
      if (ch.attribute.empty()) c.fail(k, "needs an \"attribute\"");
      if (ch.ramp.empty()) c.fail(k, "needs a \"ramp\"");
      if (ch.method == "manual") {
        if (ch.breaks.empty()) c.fail(k, "method \"manual\" needs \"breaks\"");
        ch.classes = static_cast<int>(ch.breaks.size()) + 1;
      }
      s.choropleth = ch;
    } else if (k == "ramp")
      s.raster_ramp = ramp_of(c, k, v);
    else if (k == "log")
      s.raster_log = bool_of(c, k, v);
    else
      c.fail(k, "unknown key");
  }
  return s;
}

}  // namespace

Style parse_style(std::string_view json_text, const std::string& source) {
  JsonValue root;
  try {
    root = parse_json(json_text);
  } catch (const JsonError& e) {
    throw std::runtime_error(source + ": " + e.what());
  }
  Ctx c{source, "style"};
  if (!root.is_object()) c.fail("", "expected a JSON object");
  Style st;
  for (const auto& [k, v] : root.object) {
    if (k == "name")
      st.name = string_of(c, k, v);
    else if (k == "name_en")
      st.name_en = string_of(c, k, v);
    else if (k == "background")
      st.background = colour_of(c, k, v);
    else if (k == "highlight")
      st.highlight = colour_of(c, k, v);
    else if (k == "default") {
      Ctx cc{source, "default"};
      st.fallback = layer_style(cc, v, st.fallback);
    } else if (k == "roles") {
      if (!v.is_object()) c.fail(k, "expected an object keyed by role name");
      for (const auto& [rk, rv] : v.object) {
        auto role = role_from_name(rk);
        Ctx cc{source, "roles." + rk};
        if (!role) cc.fail("", "unknown role");
        st.roles.emplace_back(*role, layer_style(cc, rv, st.fallback));
      }
    } else if (k == "travel_time") {
      Ctx cc{source, "travel_time"};
      if (!v.is_object()) cc.fail("", "expected an object {ramp, max_min, legend_min}");
      for (const auto& [tk, tv] : v.object) {
        if (tk == "ramp")
          st.travel_time_ramp = ramp_of(cc, tk, tv);
        else if (tk == "max_min")
          st.travel_time_max_min = number_of(cc, tk, tv, 1, 100000);
        else if (tk == "legend_min") {
          if (!tv.is_array()) cc.fail(tk, "expected an array of minutes");
          st.travel_time_legend_min.clear();
          for (const auto& m : tv.array) st.travel_time_legend_min.push_back(number_of(cc, tk, m, 0, 100000));
        } else
          cc.fail(tk, "unknown key");
      }
    } else if (k == "quiet_background") {
      Ctx cc{source, "quiet_background"};
      if (!v.is_object())
        cc.fail("", "expected an object {water, water_line, river, border, river_width, border_width}");
      for (const auto& [qk, qv] : v.object) {
        if (qk == "water")
          st.quiet.water = colour_of(cc, qk, qv);
        else if (qk == "water_line")
          st.quiet.water_line = colour_of(cc, qk, qv);
        else if (qk == "river")
          st.quiet.river = colour_of(cc, qk, qv);
        else if (qk == "border")
          st.quiet.border = colour_of(cc, qk, qv);
        else if (qk == "river_width")
          st.quiet.river_width_px = static_cast<float>(number_of(cc, qk, qv, 0, 20));
        else if (qk == "border_width")
          st.quiet.border_width_px = static_cast<float>(number_of(cc, qk, qv, 0, 20));
        else
          cc.fail(qk, "unknown key");
      }
    } else if (k == "gap") {
      Ctx cc{source, "gap"};
      if (!v.is_object()) cc.fail("", "expected an object {ramp, zero_below}");
      for (const auto& [gk, gv] : v.object) {
        if (gk == "ramp") {
          st.gap_ramp = ramp_of(cc, gk, gv);
          if (st.gap_ramp.size() < 2) cc.fail(gk, "needs at least two colours");
        } else if (gk == "zero_below")
          st.gap_zero_below = number_of(cc, gk, gv, 0, 1e12);
        else
          cc.fail(gk, "unknown key");
      }
    } else if (k == "index") {
      Ctx cc{source, "index"};
      if (!v.is_object()) cc.fail("", "expected an object {ramp, breaks}");
      for (const auto& [ik, iv] : v.object) {
        if (ik == "ramp") {
          st.index_ramp = ramp_of(cc, ik, iv);
          if (st.index_ramp.size() < 2) cc.fail(ik, "needs at least two colours");
        } else if (ik == "breaks") {
          if (!iv.is_array() || iv.array.empty())
            cc.fail(ik, "expected an array of ascending positive numbers");
          st.index_breaks.clear();
          for (const auto& b : iv.array) {
            const double x = number_of(cc, ik, b, 1e-9, 1e9);
            if (!st.index_breaks.empty() && x <= st.index_breaks.back()) cc.fail(ik, "breaks must ascend");
            st.index_breaks.push_back(x);
          }
        } else
          cc.fail(ik, "unknown key");
      }
    } else if (k != "comment") {
      c.fail(k, "unknown key");
    }
  }
  return st;
}

const std::vector<std::string_view>& ramp_names() {
  static const std::vector<std::string_view> names{"travel_time", "gap", "index", "population"};
  return names;
}

std::vector<Rgba> named_ramp(const Style& st, std::string_view name) {
  std::vector<Rgba> out;
  if (name == "travel_time")
    out = st.travel_time_ramp;
  else if (name == "gap")
    out = st.gap_ramp;
  else if (name == "index")
    out = st.index_ramp;
  else if (name == "population")
    out = st.for_role(Role::Population).raster_ramp;
  for (Rgba& c : out) c.a = 1;
  return out;
}

Rgba travel_time_colour(const Style& st, double seconds) {
  if (!std::isfinite(seconds) || st.travel_time_ramp.empty()) return {0, 0, 0, 0};
  const double max_s = std::max(1.0, st.travel_time_max_min * 60.0);
  return ramp_at(st.travel_time_ramp, std::clamp(seconds / max_s, 0.0, 1.0));
}

Choropleth gap_classes(const std::vector<double>& gaps, const Style& st) {
  Choropleth ch;
  ch.attribute = "kepumap_gap";
  ch.method = "manual";
  ch.ramp = st.gap_ramp;
  std::vector<double> positive;
  for (double g : gaps)
    if (g > st.gap_zero_below) positive.push_back(g);
  std::sort(positive.begin(), positive.end());
  ch.breaks = {st.gap_zero_below};
  const std::size_t classes = std::max<std::size_t>(2, st.gap_ramp.size());
  for (std::size_t q = 1; q + 1 < classes; ++q) {
    if (positive.empty()) break;
    const double at = static_cast<double>(q) / static_cast<double>(classes - 1);
    const double b = positive[static_cast<std::size_t>(at * static_cast<double>(positive.size() - 1))];
    if (b > ch.breaks.back()) ch.breaks.push_back(b);
  }
  ch.classes = static_cast<int>(ch.breaks.size()) + 1;
  return ch;
}

Choropleth index_classes(const Style& st, const std::string& attribute) {
  Choropleth ch;
  ch.attribute = attribute;
  ch.method = "manual";
  ch.ramp = st.index_ramp;
  ch.breaks = st.index_breaks;
  ch.classes = static_cast<int>(ch.breaks.size()) + 1;
  return ch;
}

Rgba index_colour(const Style& st, double relative) {
  if (st.index_ramp.empty()) return {0.5f, 0.5f, 0.5f, 1.0f};
  if (!std::isfinite(relative) || relative <= 0 || st.index_breaks.empty()) return st.index_ramp.front();
  const double lo = std::log2(st.index_breaks.front()), hi = std::log2(st.index_breaks.back());
  const double t = hi > lo ? (std::log2(relative) - lo) / (hi - lo) : (relative < 1 ? 0.0 : 1.0);
  return ramp_at(st.index_ramp, std::clamp(t, 0.0, 1.0));
}

Rgba category_colour(std::size_t i) {
  // Distinct hues around the colour wheel (golden-angle steps), medium lightness.
  const double h = std::fmod(static_cast<double>(i) * 137.508, 360.0) / 60.0;
  const double x = 1.0 - std::abs(std::fmod(h, 2.0) - 1.0);
  double r = 0, g = 0, b = 0;
  switch (static_cast<int>(h)) {
    case 0:
      r = 1, g = x;
      break;
    case 1:
      r = x, g = 1;
      break;
    case 2:
      g = 1, b = x;
      break;
    case 3:
      g = x, b = 1;
      break;
    case 4:
      r = x, b = 1;
      break;
    default:
      r = 1, b = x;
      break;
  }
  return {static_cast<float>(0.25 + 0.6 * r), static_cast<float>(0.25 + 0.6 * g),
          static_cast<float>(0.25 + 0.6 * b), 1};
}

Style load_style(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot read the style file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_style(ss.str(), path);
}

Style default_style() {
  Style s;
  s.name = "默认";
  s.name_en = "Default";
  LayerStyle banner;
  banner.fill = {0.95f, 0.93f, 0.87f, 1.0f};
  banner.line = {0.42f, 0.36f, 0.27f, 1.0f};
  banner.line_width_px = 2.0f;
  banner.labels = true;
  banner.label_priority = 0;
  s.roles.emplace_back(Role::Banner, banner);
  return s;
}

}  // namespace kepumap::core
