#include "io/project.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>

#include <toml++/toml.h>

#include "core/road_tags.hpp"
#include "io/basemap.hpp"
#include "io/source_guard.hpp"

namespace kepumap::io {

namespace {

using core::ProjectConfig;

/// Where problems go while parsing: the file, the diagnostics, and the [[layer]] being read.
struct Ctx {
  std::string file;
  core::Diagnostics* diag = nullptr;
  std::string layer;   // name of the [[layer]] entry being parsed, if known
  std::string target;  // id of the [[target]] entry being parsed, if known

  void error(int line, std::string what, std::string field = {}) const {
    core::Problem p;
    p.file = file;
    p.line = line;
    p.layer = layer;
    p.target = target;
    p.field = std::move(field);
    p.what = std::move(what);
    diag->error(std::move(p));
  }
};

int line_of(const toml::node& n) { return static_cast<int>(n.source().begin.line); }

std::string did_you_mean(std::string_view word, const std::vector<std::string_view>& candidates) {
  std::string best = closest_match(word, candidates);
  return best.empty() ? std::string{} : " (did you mean '" + best + "'?)";
}

std::string join(const std::vector<std::string_view>& v) {
  std::string s;
  for (const auto& x : v) {
    if (!s.empty()) s += ", ";
    s += x;
  }
  return s;
}

// ---- value kinds and type checks ---------------------------------------------------------

enum class Kind { String, Number, Integer, Bool, StringArray, NumberArray, NumberTable, StringTable, Table };

std::string_view kind_name(Kind k) {
  switch (k) {
    case Kind::String:
      return "a string";
    case Kind::Number:
      return "a number";
    case Kind::Integer:
      return "an integer";
    case Kind::Bool:
      return "true or false";
    case Kind::StringArray:
      return "an array of strings";
    case Kind::NumberArray:
      return "an array of numbers";
    case Kind::NumberTable:
      return "a table of numbers ({ key = 1.0, ... })";
    case Kind::StringTable:
      return "a table of strings ({ key = \"value\", ... })";
    case Kind::Table:
      return "a table ({ key = value, ... })";
  }
  return "a value";
}

std::string_view node_type_name(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a number";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    default:
      return "a date/time";
  }
}

bool has_kind(const toml::node& n, Kind k) {
  switch (k) {
    case Kind::String:
      return n.is_string();
    case Kind::Number:
      return n.is_number();
    case Kind::Integer:
      return n.is_integer();
    case Kind::Bool:
      return n.is_boolean();
    case Kind::StringArray: {
      const auto* a = n.as_array();
      return a && std::all_of(a->begin(), a->end(), [](const toml::node& e) { return e.is_string(); });
    }
    case Kind::NumberArray: {
      const auto* a = n.as_array();
      return a && std::all_of(a->begin(), a->end(), [](const toml::node& e) { return e.is_number(); });
    }
    case Kind::NumberTable: {
      const auto* t = n.as_table();
      if (!t) return false;
      for (auto&& [k2, v] : *t)
        if (!v.is_number()) return false;
      return true;
    }
    case Kind::StringTable: {
      const auto* t = n.as_table();
      if (!t) return false;
      for (auto&& [k2, v] : *t)
        if (!v.is_string()) return false;
      return true;
    }
    case Kind::Table:
      return n.is_table();
  }
  return false;
}

std::string str(const toml::node& n) { return n.value<std::string>().value_or(std::string{}); }
double num(const toml::node& n) { return n.value<double>().value_or(0.0); }
long long integer(const toml::node& n) { return n.value<long long>().value_or(0); }

// ---- number ranges: NaN, infinities and absurd values are refused with the value shown --------

/// The fastest speed kepumap accepts anywhere, km/h.
constexpr double k_max_kmh = 300.0;
/// The most entries an array section ([[layer]], [[scenario]], ...) may have.
constexpr std::size_t k_max_entries = 1000;

std::string shown(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char b[32];
  std::snprintf(b, sizeof b, "%g", v);
  return b;
}

/// True if `v` is finite and lies in (lo, hi] (`lo_open`) or [lo, hi]; else an error on `line`.
bool in_range(double v, double lo, bool lo_open, double hi, std::string_view key, std::string_view unit,
              int line, const Ctx& ctx) {
  if (std::isfinite(v) && (lo_open ? v > lo : v >= lo) && v <= hi) return true;
  ctx.error(line, "key '" + std::string(key) + "' must be " + (lo_open ? "above " : "from ") + shown(lo) +
                      (lo_open ? " and at most " : " to ") + shown(hi) + " " + std::string(unit) + " (got " +
                      shown(v) + ")");
  return false;
}

/// A speed in km/h: above 0, at most k_max_kmh (0 = impassable allowed when `zero_ok`).
bool speed_ok(double kmh, std::string_view key, int line, const Ctx& ctx, bool zero_ok = false) {
  return in_range(kmh, 0.0, !zero_ok, k_max_kmh, key, "km/h", line, ctx);
}

/// An integer key within [lo, hi] (checked before narrowing, so 2^32 + 8 is not 8).
bool int_in_range(const toml::node& v, long long lo, long long hi, std::string_view key, const Ctx& ctx) {
  const long long x = integer(v);
  if (x >= lo && x <= hi) return true;
  ctx.error(line_of(v), "key '" + std::string(key) + "' must be an integer from " + std::to_string(lo) +
                            " to " + std::to_string(hi) + " (got " + std::to_string(x) + ")");
  return false;
}

/// A road class -> km/h table; every speed above 0 and at most k_max_kmh.
std::vector<std::pair<std::string, double>> road_speed_table(const toml::node& n, const Ctx& ctx) {
  std::vector<std::pair<std::string, double>> out;
  for (auto&& [k, v] : *n.as_table())
    if (speed_ok(num(v), "road_speeds." + std::string(k.str()), line_of(v), ctx))
      out.emplace_back(std::string(k.str()), num(v));
  return out;
}

// A land-cover speed table: keys are class values ("21" = 40.0), speeds km/h, 0 = impassable.
std::vector<std::pair<double, double>> class_speed_table(const toml::node& n, const Ctx& ctx) {
  std::vector<std::pair<double, double>> out;
  for (auto&& [k, v] : *n.as_table()) {
    const std::string key(k.str());
    char* end = nullptr;
    const double cls = std::strtod(key.c_str(), &end);
    if (key.empty() || end != key.c_str() + key.size() || !std::isfinite(cls)) {
      ctx.error(line_of(v), "key 'landcover_speeds': class '" + key +
                                "' is not a number (土地覆被类别必须是数字, e.g. \"21\" = 40)");
      continue;
    }
    const double kmh = num(v);
    if (!speed_ok(kmh, "landcover_speeds." + key, line_of(v), ctx, true)) continue;
    out.emplace_back(cls, kmh);
  }
  return out;
}

// Tag rules ("surface=unpaved|dirt"): each must be key=value with a tag kepumap reads.
bool check_tag_rule(const std::string& rule, std::string_view key, int line, const Ctx& ctx) {
  std::string why;
  if (core::parse_tag_rule(rule, &why)) return true;
  std::vector<std::string_view> keys(core::road_tag_keys().begin(), core::road_tag_keys().end());
  const auto eq = rule.find('=');
  const std::string tag = rule.substr(0, eq == std::string::npos ? rule.size() : eq);
  ctx.error(line, "key '" + std::string(key) + "': '" + rule + "' is not a tag rule (" + why + ")" +
                      (why.rfind("unknown tag", 0) == 0 ? did_you_mean(tag, keys) : std::string{}) +
                      "; write \"tag=value\", \"tag=v1|v2\" or \"tag=*\" with a tag of: " + join(keys));
  return false;
}

std::vector<std::string> tag_rule_list(const toml::node& n, std::string_view key, const Ctx& ctx) {
  std::vector<std::string> out;
  for (const auto& e : *n.as_array()) {
    const std::string rule = str(e);
    if (check_tag_rule(rule, key, line_of(e), ctx)) out.push_back(rule);
  }
  return out;
}

std::vector<std::pair<std::string, double>> tag_speed_table(const toml::node& n, const Ctx& ctx) {
  std::vector<std::pair<std::string, double>> out;
  for (auto&& [k, v] : *n.as_table()) {
    const std::string rule(k.str());
    if (!check_tag_rule(rule, "tag_speeds", line_of(v), ctx)) continue;
    if (!(num(v) > 0)) {
      ctx.error(line_of(v), "key 'tag_speeds': '" + rule +
                                "' must have a positive speed (km/h); close roads with closed_tags");
      continue;
    }
    if (!speed_ok(num(v), "tag_speeds", line_of(v), ctx)) continue;
    out.emplace_back(rule, num(v));
  }
  return out;
}

// ---- key tables: one per section; later sections add a table and a SectionSpec ----------

template <class T>
struct KeySpec {
  std::string_view name;
  Kind kind;
  bool required;
  /// Stores the (type-checked) value; may report further problems (bad enum value, ...).
  void (*set)(T& out, const toml::node& value, const Ctx& ctx);
};

template <class T>
std::vector<std::string_view> key_names(const std::vector<KeySpec<T>>& keys) {
  std::vector<std::string_view> v;
  for (const auto& k : keys) v.push_back(k.name);
  return v;
}

/// Checks every key of `tbl` against `keys` and stores the values into `out`.
template <class T>
void read_keys(const toml::table& tbl, const std::vector<KeySpec<T>>& keys, std::string_view what, T& out,
               const Ctx& ctx) {
  const auto names = key_names(keys);
  for (auto&& [k, v] : tbl) {
    const std::string_view key = k.str();
    auto it = std::find_if(keys.begin(), keys.end(), [&](const KeySpec<T>& s) { return s.name == key; });
    const int line = static_cast<int>(k.source().begin.line ? k.source().begin.line : v.source().begin.line);
    if (it == keys.end()) {
      ctx.error(line, "key '" + std::string(key) + "' is not " + std::string(what) + " key" +
                          did_you_mean(key, names) + "; known keys: " + join(names));
      continue;
    }
    if (!has_kind(v, it->kind)) {
      ctx.error(line, "key '" + std::string(key) + "' must be " + std::string(kind_name(it->kind)) +
                          ", not " + std::string(node_type_name(v)));
      continue;
    }
    it->set(out, v, ctx);
  }
  for (const auto& spec : keys)
    if (spec.required && !tbl.contains(spec.name))
      ctx.error(static_cast<int>(tbl.source().begin.line),
                std::string(what) + " entry lacks the required key '" + std::string(spec.name) + "'");
}

/// Checks that a string value is one of `allowed` (with a did-you-mean when not).
bool check_one_of(const toml::node& v, std::string_view key, const std::vector<std::string_view>& allowed,
                  const Ctx& ctx, std::string field = {}) {
  const std::string s = str(v);
  if (std::find(allowed.begin(), allowed.end(), s) != allowed.end()) return true;
  ctx.error(line_of(v),
            "'" + s + "' is not a valid " + std::string(key) + did_you_mean(s, allowed) +
                "; one of: " + join(allowed),
            std::move(field));
  return false;
}

std::vector<std::string_view> role_names() {
  std::vector<std::string_view> v;
  for (auto r : core::all_roles()) v.push_back(core::role_name(r));
  return v;
}

const std::vector<KeySpec<ProjectConfig>>& project_keys() {
  static const std::vector<KeySpec<ProjectConfig>> keys{
      {"name", Kind::String, true,
       [](ProjectConfig& c, const toml::node& v, const Ctx&) { c.name = str(v); }},
      {"name_en", Kind::String, false,
       [](ProjectConfig& c, const toml::node& v, const Ctx&) { c.name_en = str(v); }},
      {"region", Kind::String, false,
       [](ProjectConfig& c, const toml::node& v, const Ctx&) { c.region = str(v); }},
      {"crs", Kind::String, false,
       [](ProjectConfig& c, const toml::node& v, const Ctx& ctx) {
         c.analysis_crs = str(v);
         if (c.analysis_crs.empty())
           ctx.error(line_of(v), "key 'crs' is empty; use \"auto\" or a CRS definition");
       }},
      {"encoding", Kind::String, false,
       [](ProjectConfig& c, const toml::node& v, const Ctx&) { c.encoding = str(v); }},
      {"extent", Kind::NumberArray, false,
       [](ProjectConfig& c, const toml::node& v, const Ctx& ctx) {
         // [minlon, minlat, maxlon, maxlat] in WGS84 degrees: the study area as a box.
         std::vector<double> e;
         for (const auto& x : *v.as_array()) e.push_back(num(x));
         c.extent_line = line_of(v);
         if (e.size() != 4 ||
             !(e[0] >= -180 && e[2] <= 180 && e[1] >= -90 && e[3] <= 90 && e[0] < e[2] && e[1] < e[3])) {
           ctx.error(line_of(v),
                     "key 'extent' must be [minlon, minlat, maxlon, maxlat] in WGS84 degrees with min < max "
                     "(研究区范围格式错误)");
           return;
         }
         c.extent = std::move(e);
       }},
      {"margin_km", Kind::Number, false,
       [](ProjectConfig& c, const toml::node& v, const Ctx& ctx) {
         c.margin_km = num(v);
         if (!(c.margin_km >= 0 && c.margin_km <= 1000))
           ctx.error(line_of(v), "key 'margin_km' must be between 0 and 1000 (km)");
       }},
  };
  return keys;
}

const std::vector<KeySpec<core::FieldMap>>& field_keys() {
  using F = core::FieldMap;
#define KEPUMAP_FIELD(member)                                                                       \
  {                                                                                                 \
#member, Kind::String, false, [](F & f, const toml::node& v, const Ctx&) { f.member = str(v); } \
  }
  static const std::vector<KeySpec<F>> keys{
      KEPUMAP_FIELD(name),     KEPUMAP_FIELD(name_en),  KEPUMAP_FIELD(code),       KEPUMAP_FIELD(population),
      KEPUMAP_FIELD(level),    KEPUMAP_FIELD(capacity), KEPUMAP_FIELD(road_class), KEPUMAP_FIELD(speed),
      KEPUMAP_FIELD(pastoral), KEPUMAP_FIELD(oneway),   KEPUMAP_FIELD(lon),        KEPUMAP_FIELD(lat),
  };
#undef KEPUMAP_FIELD
  return keys;
}

const std::vector<KeySpec<core::LayerSpec::Seat>>& seat_keys() {
  using S = core::LayerSpec::Seat;
  static const std::vector<KeySpec<S>> keys{
      {"layer", Kind::String, false, [](S& s, const toml::node& v, const Ctx&) { s.layer = str(v); }},
      {"by", Kind::String, false, [](S& s, const toml::node& v, const Ctx&) { s.by = str(v); }},
      {"field", Kind::String, false, [](S& s, const toml::node& v, const Ctx&) { s.field = str(v); }},
      {"lon", Kind::String, false, [](S& s, const toml::node& v, const Ctx&) { s.lon = str(v); }},
      {"lat", Kind::String, false, [](S& s, const toml::node& v, const Ctx&) { s.lat = str(v); }},
  };
  return keys;
}

const std::vector<KeySpec<core::DemandSettings>>& demand_keys() {
  using D = core::DemandSettings;
  static const std::vector<KeySpec<D>> keys{
      {"seat_share", Kind::Number, false,
       [](D& d, const toml::node& v, const Ctx& ctx) {
         d.seat_share = num(v);
         if (!(d.seat_share >= 0 && d.seat_share <= 1))
           ctx.error(line_of(v), "key 'seat_share' must lie between 0 and 1 (驻地人口比例)");
       }},
  };
  return keys;
}

// "#rgb", "#rgba", "#rrggbb" or "#rrggbbaa", as core::parse_colour reads them (core/style.cpp is
// not linked into the project-file fuzzer, so the check is spelt out here).
bool is_colour(std::string_view s) {
  if (s.empty() || s[0] != '#') return false;
  s.remove_prefix(1);
  if (s.size() != 3 && s.size() != 4 && s.size() != 6 && s.size() != 8) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; });
}

void style_colour(std::string& out, const toml::node& v, const Ctx& ctx, const char* key) {
  out = str(v);
  if (!is_colour(out))
    ctx.error(line_of(v),
              std::string("key 'style.") + key + "': bad colour \"" + out + "\" (use #rrggbb or #rrggbbaa)");
}

// `style = { kind = "graduated", field = "population", ... }` of a [[layer]] entry; every
// mistake is one line naming the key as style.KEY.
const std::vector<KeySpec<core::LayerStyleSpec>>& style_keys() {
  using S = core::LayerStyleSpec;
  static const std::vector<KeySpec<S>> keys{
      {"kind", Kind::String, false,
       [](S& s, const toml::node& v, const Ctx& ctx) {
         if (check_one_of(v, "style.kind", {"single", "categories", "graduated"}, ctx)) s.kind = str(v);
       }},
      {"field", Kind::String, false, [](S& s, const toml::node& v, const Ctx&) { s.field = str(v); }},
      {"method", Kind::String, false,
       [](S& s, const toml::node& v, const Ctx& ctx) {
         if (check_one_of(v, "style.method", {"quantile", "equal", "manual"}, ctx)) s.method = str(v);
       }},
      {"breaks", Kind::NumberArray, false,
       [](S& s, const toml::node& v, const Ctx& ctx) {
         s.breaks.clear();
         for (const auto& e : *v.as_array()) s.breaks.push_back(num(e));
         const bool finite =
             std::all_of(s.breaks.begin(), s.breaks.end(), [](double b) { return std::isfinite(b); });
         if (s.breaks.empty() || s.breaks.size() > 8 || !finite ||
             std::adjacent_find(s.breaks.begin(), s.breaks.end(), std::greater_equal<>()) != s.breaks.end()) {
           ctx.error(line_of(v),
                     "key 'style.breaks' must be 1 to 8 ascending numbers (the upper bounds of "
                     "the classes but the last, e.g. [0, 30, 60, 120])");
           s.breaks.clear();
         }
       }},
      {"ramp", Kind::String, false,
       [](S& s, const toml::node& v, const Ctx& ctx) {
         // core::ramp_names() (core/style.cpp is not linked into the project-file fuzzer)
         if (check_one_of(v, "style.ramp", {"travel_time", "gap", "index", "population"}, ctx))
           s.ramp = str(v);
       }},
      {"colors", Kind::StringTable, false,
       [](S& s, const toml::node& v, const Ctx& ctx) {
         s.category_colors.clear();
         for (auto&& [value, colour] : *v.as_table()) {
           const std::string c = str(colour);
           if (!is_colour(c)) {
             ctx.error(line_of(colour), "key 'style.colors': bad colour \"" + c + "\" for \"" +
                                            std::string(value.str()) + "\" (use #rrggbb or #rrggbbaa)");
             continue;
           }
           s.category_colors.emplace_back(std::string(value.str()), c);
         }
         std::sort(s.category_colors.begin(), s.category_colors.end());
       }},
      {"classes", Kind::Integer, false,
       [](S& s, const toml::node& v, const Ctx& ctx) {
         s.classes = static_cast<int>(integer(v));
         if (s.classes < 2 || s.classes > 9) ctx.error(line_of(v), "key 'style.classes' must be 2 to 9");
       }},
      {"fill", Kind::String, false,
       [](S& s, const toml::node& v, const Ctx& ctx) { style_colour(s.fill, v, ctx, "fill"); }},
      {"line", Kind::String, false,
       [](S& s, const toml::node& v, const Ctx& ctx) { style_colour(s.line, v, ctx, "line"); }},
      {"width", Kind::Number, false,
       [](S& s, const toml::node& v, const Ctx& ctx) {
         s.width = num(v);
         if (!(s.width >= 0 && s.width <= 50))
           ctx.error(line_of(v), "key 'style.width' must be 0 to 50 (pixels)");
       }},
      {"symbol", Kind::String, false,
       [](S& s, const toml::node& v, const Ctx& ctx) {
         if (check_one_of(v, "style.symbol", {"circle", "square", "triangle", "diamond", "star", "cross"},
                          ctx))
           s.symbol = str(v);
       }},
      {"size", Kind::Number, false,
       [](S& s, const toml::node& v, const Ctx& ctx) {
         s.size = num(v);
         if (!(s.size > 0 && s.size <= 100))
           ctx.error(line_of(v), "key 'style.size' must be above 0 and at most 100 (pixels)");
       }},
      {"opacity", Kind::Number, false,
       [](S& s, const toml::node& v, const Ctx& ctx) {
         s.opacity = num(v);
         if (!(s.opacity >= 0 && s.opacity <= 1)) ctx.error(line_of(v), "key 'style.opacity' must be 0 to 1");
       }},
      {"labels", Kind::Bool, false,
       [](S& s, const toml::node& v, const Ctx&) { s.labels = v.value<bool>().value_or(false) ? 1 : 0; }},
      {"label_field", Kind::String, false,
       [](S& s, const toml::node& v, const Ctx&) { s.label_field = str(v); }},
  };
  return keys;
}

const std::vector<KeySpec<core::LayerSpec>>& layer_keys() {
  using L = core::LayerSpec;
  static const std::vector<KeySpec<L>> keys{
      {"name", Kind::String, true,
       [](L& l, const toml::node& v, const Ctx& ctx) {
         l.name = str(v);
         if (l.name.empty()) ctx.error(line_of(v), "key 'name' is empty");
       }},
      {"role", Kind::String, true,
       [](L& l, const toml::node& v, const Ctx& ctx) {
         if (check_one_of(v, "role", role_names(), ctx)) l.role = *core::role_from_name(str(v));
       }},
      {"source", Kind::String, true,
       [](L& l, const toml::node& v, const Ctx& ctx) {
         l.source = str(v);
         l.source_line = line_of(v);
         if (l.source.empty()) ctx.error(line_of(v), "key 'source' is empty");
         if (l.source.find('\0') != std::string::npos)
           ctx.error(line_of(v), "key 'source': the source name contains a NUL character (\\u0000)");
       }},
      {"layer", Kind::String, false, [](L& l, const toml::node& v, const Ctx&) { l.layer = str(v); }},
      {"crs", Kind::String, false, [](L& l, const toml::node& v, const Ctx&) { l.crs = str(v); }},
      {"encoding", Kind::String, false, [](L& l, const toml::node& v, const Ctx&) { l.encoding = str(v); }},
      {"title", Kind::String, false, [](L& l, const toml::node& v, const Ctx&) { l.title = str(v); }},
      {"visible", Kind::Bool, false,
       [](L& l, const toml::node& v, const Ctx&) { l.visible = v.value<bool>().value_or(true); }},
      {"draw_order", Kind::Integer, false,
       [](L& l, const toml::node& v, const Ctx& ctx) {
         l.draw_order = static_cast<int>(integer(v));
         if (l.draw_order < 1)
           ctx.error(line_of(v), "key 'draw_order' must be 1 or more (1 = drawn at the bottom)");
       }},
      {"where", Kind::String, false,
       [](L& l, const toml::node& v, const Ctx& ctx) {
         l.where = str(v);
         l.where_line = line_of(v);
         if (l.where.empty())
           ctx.error(line_of(v), "key 'where' is empty; give an OGR SQL filter or leave the key out");
       }},
      {"fields", Kind::StringTable, false,
       [](L& l, const toml::node& v, const Ctx& ctx) {
         read_keys(*v.as_table(), field_keys(), "a fields", l.fields, ctx);
       }},
      {"style", Kind::Table, false,
       [](L& l, const toml::node& v, const Ctx& ctx) {
         read_keys(*v.as_table(), style_keys(), "a style", l.style, ctx);
         const int line = line_of(v);
         if (l.style.kind.empty()) {
           if (!v.as_table()->contains("kind"))
             ctx.error(line, "key 'style' needs kind = \"single\", \"categories\" or \"graduated\"");
           l.style = {};
         } else if (l.style.kind != "single" && l.style.field.empty()) {
           ctx.error(line, "key 'style': kind \"" + l.style.kind +
                               "\" needs field = \"...\" (the attribute classified)");
         } else if (l.style.method == "manual" && l.style.breaks.empty()) {
           if (!v.as_table()->contains("breaks"))
             ctx.error(line, "key 'style': method \"manual\" needs breaks = [...] (e.g. [0, 30, 60, 120])");
         } else if (!l.style.breaks.empty() && l.style.method != "manual") {
           ctx.error(line, "key 'style': breaks are for method = \"manual\" only");
         } else if (l.style.kind != "graduated" && (!l.style.ramp.empty() || !l.style.method.empty())) {
           ctx.error(line, "key 'style': method, breaks and ramp are for kind = \"graduated\" only");
         } else if (l.style.kind != "categories" && !l.style.category_colors.empty()) {
           ctx.error(line, "key 'style': colors are for kind = \"categories\" only");
         }
         if (l.style.method == "manual") l.style.classes = static_cast<int>(l.style.breaks.size()) + 1;
       }},
      {"seat", Kind::StringTable, false,
       [](L& l, const toml::node& v, const Ctx& ctx) {
         l.seat.line = line_of(v);
         read_keys(*v.as_table(), seat_keys(), "a seat", l.seat, ctx);
         const auto& st = l.seat;
         if (st.layer.empty() == (st.lon.empty() && st.lat.empty()))
           ctx.error(l.seat.line,
                     "key 'seat' needs either layer (a point layer joined by code or name) or lon and lat "
                     "(fields with the seat's longitude/latitude) (驻地: 图层或经纬度字段)");
         else if (!st.layer.empty() && st.by != "code" && st.by != "name")
           ctx.error(l.seat.line,
                     "key 'seat': by must be \"code\" or \"name\" (the field the seat layer is joined on)");
         else if (st.layer.empty() && (st.lon.empty() || st.lat.empty()))
           ctx.error(l.seat.line, "key 'seat': give both lon and lat fields");
       }},
  };
  return keys;
}

const std::vector<KeySpec<core::BasemapSpec>>& basemap_keys() {
  using B = core::BasemapSpec;
  static const std::vector<KeySpec<B>> keys{
      {"name", Kind::String, true,
       [](B& b, const toml::node& v, const Ctx& ctx) {
         b.name = str(v);
         if (b.name.empty()) ctx.error(line_of(v), "key 'name' is empty");
       }},
      {"title", Kind::String, false, [](B& b, const toml::node& v, const Ctx&) { b.title = str(v); }},
      {"source", Kind::String, true,
       [](B& b, const toml::node& v, const Ctx& ctx) {
         b.source = str(v);
         b.source_line = line_of(v);
         if (b.source.empty()) ctx.error(line_of(v), "key 'source' is empty");
         if (b.source.find('\0') != std::string::npos)
           ctx.error(line_of(v), "key 'source': the source name contains a NUL character (\\u0000)");
       }},
      {"kind", Kind::String, false,
       [](B& b, const toml::node& v, const Ctx& ctx) {
         if (check_one_of(v, "basemap kind", {"file", "xyz", "wms", "tianditu"}, ctx)) b.kind = str(v);
       }},
      {"key", Kind::String, false, [](B& b, const toml::node& v, const Ctx&) { b.key = str(v); }},
      {"shift", Kind::String, false,
       [](B& b, const toml::node& v, const Ctx& ctx) {
         if (check_one_of(v, "basemap shift", {"gcj02", "none"}, ctx))
           b.shift = str(v) == "none" ? "" : str(v);
       }},
      {"opacity", Kind::Number, false,
       [](B& b, const toml::node& v, const Ctx& ctx) {
         b.opacity = num(v);
         if (!in_range(b.opacity, 0.0, false, 1.0, "opacity", "(0 = invisible, 1 = opaque)", line_of(v), ctx))
           b.opacity = 1.0;
       }},
      {"visible", Kind::Bool, false,
       [](B& b, const toml::node& v, const Ctx&) { b.visible = v.value<bool>().value_or(true); }},
      {"attribution", Kind::String, false,
       [](B& b, const toml::node& v, const Ctx&) { b.attribution = str(v); }},
      {"cache", Kind::String, false,
       [](B& b, const toml::node& v, const Ctx& ctx) {
         b.cache = str(v);
         if (b.cache.empty())
           ctx.error(line_of(v), "key 'cache' is empty; give a folder or leave the key out");
       }},
  };
  return keys;
}

/// What is wrong with a basemap's source for its kind ("" = nothing): a tile URL needs {z}, {x}
/// and {y}, a 天地图 source is one of its layer names.
std::string basemap_source_problem(const core::BasemapSpec& b) {
  const std::string kind = basemap_kind(b);
  if (kind == "xyz") {
    for (const char* part : {"{z}", "{x}", "{y}"})
      if (b.source.find(part) == std::string::npos)
        return "key 'source': the tile URL '" + b.source + "' lacks " + part +
               " (an XYZ template looks like https://tile.openstreetmap.org/{z}/{x}/{y}.png)";
    const auto scheme = b.source.find("://");
    if (scheme != std::string::npos) {
      const std::string s = b.source.substr(0, scheme);
      if (s != "http" && s != "https" && s != "file")
        return "key 'source': '" + s + "://' is not a tile URL scheme (use http://, https:// or file://)";
      if (s != "file" && b.source.find('/', scheme + 3) == scheme + 3)
        return "key 'source': the tile URL '" + b.source + "' has no host";
    }
  } else if (kind == "tianditu") {
    if (!tianditu_layer_known(b.source))
      return "key 'source': '" + b.source + "' is not a 天地图 layer; one of: " + tianditu_layer_names();
  }
  return {};
}

const std::vector<KeySpec<core::TravelSettings>>& travel_keys() {
  using T = core::TravelSettings;
  static const std::vector<KeySpec<T>> keys{
      {"cell_size_m", Kind::Number, false,
       [](T& t, const toml::node& v, const Ctx& ctx) {
         t.cell_size_m = num(v);
         in_range(t.cell_size_m, 1.0, false, 100000.0, "cell_size_m", "metres", line_of(v), ctx);
       }},
      {"offroad_kmh", Kind::Number, false,
       [](T& t, const toml::node& v, const Ctx& ctx) {
         t.offroad_kmh = num(v);
         speed_ok(t.offroad_kmh, "offroad_kmh", line_of(v), ctx);
       }},
      {"neighbours", Kind::Integer, false,
       [](T& t, const toml::node& v, const Ctx& ctx) {
         t.neighbours = integer(v) == 8 || integer(v) == 16 ? static_cast<int>(integer(v)) : 0;
         if (t.neighbours == 0) ctx.error(line_of(v), "key 'neighbours' must be 8 or 16");
       }},
      {"snap_tolerance_m", Kind::Number, false,
       [](T& t, const toml::node& v, const Ctx& ctx) {
         t.snap_tolerance_m = num(v);
         in_range(t.snap_tolerance_m, 0.0, false, 10000.0, "snap_tolerance_m", "metres", line_of(v), ctx);
       }},
      {"split_at_crossings", Kind::Bool, false,
       [](T& t, const toml::node& v, const Ctx&) { t.split_at_crossings = v.value<bool>().value_or(false); }},
      {"road_speeds", Kind::NumberTable, false,
       [](T& t, const toml::node& v, const Ctx& ctx) { t.road_speeds = road_speed_table(v, ctx); }},
      {"closed_tags", Kind::StringArray, false,
       [](T& t, const toml::node& v, const Ctx& ctx) {
         t.closed_tags = tag_rule_list(v, "closed_tags", ctx);
       }},
      {"open_tags", Kind::StringArray, false,
       [](T& t, const toml::node& v, const Ctx& ctx) { t.open_tags = tag_rule_list(v, "open_tags", ctx); }},
      {"tag_speeds", Kind::NumberTable, false,
       [](T& t, const toml::node& v, const Ctx& ctx) { t.tag_speeds = tag_speed_table(v, ctx); }},
      {"landcover", Kind::String, false,
       [](T& t, const toml::node& v, const Ctx& ctx) {
         t.landcover = str(v);
         if (t.landcover.empty())
           ctx.error(line_of(v), "key 'landcover' is empty; give a raster file or leave the key out");
         if (t.landcover.find('\0') != std::string::npos)
           ctx.error(line_of(v), "key 'landcover': the file name contains a NUL character (\\u0000)");
       }},
      {"landcover_crs", Kind::String, false,
       [](T& t, const toml::node& v, const Ctx&) { t.landcover_crs = str(v); }},
      {"landcover_speeds", Kind::NumberTable, false,
       [](T& t, const toml::node& v, const Ctx& ctx) { t.landcover_speeds = class_speed_table(v, ctx); }},
  };
  return keys;
}

const std::vector<KeySpec<core::ReportSettings>>& report_keys() {
  using T = core::ReportSettings;
  static const std::vector<KeySpec<T>> keys{
      {"review_number", Kind::String, false,
       [](T& t, const toml::node& v, const Ctx&) { t.review_number = str(v); }},
      {"sources", Kind::String, false, [](T& t, const toml::node& v, const Ctx&) { t.sources = str(v); }},
      {"sources_en", Kind::String, false,
       [](T& t, const toml::node& v, const Ctx&) { t.sources_en = str(v); }},
  };
  return keys;
}

const std::vector<KeySpec<core::Limits>>& limits_keys() {
  using T = core::Limits;
  static const std::vector<KeySpec<T>> keys{
      {"memory_gb", Kind::Number, false,
       [](T& t, const toml::node& v, const Ctx& ctx) {
         t.memory_gb = num(v);
         if (!(t.memory_gb > 0) || !std::isfinite(t.memory_gb))
           ctx.error(line_of(v), "key 'memory_gb' must be a positive number of GB");
       }},
      {"allow_network_sources", Kind::Bool, false,
       [](T& t, const toml::node& v, const Ctx&) {
         t.allow_network_sources = v.value<bool>().value_or(false);
       }},
  };
  return keys;
}

const std::vector<KeySpec<core::Scenario>>& scenario_keys() {
  using S = core::Scenario;
  static const std::vector<KeySpec<S>> keys{
      {"name", Kind::String, true, [](S& s, const toml::node& v, const Ctx&) { s.name = str(v); }},
      {"label", Kind::String, false, [](S& s, const toml::node& v, const Ctx&) { s.label = str(v); }},
      {"offroad_kmh", Kind::Number, false,
       [](S& s, const toml::node& v, const Ctx& ctx) {
         s.offroad_kmh = num(v);
         speed_ok(*s.offroad_kmh, "offroad_kmh", line_of(v), ctx);
       }},
      {"road_speeds", Kind::NumberTable, false,
       [](S& s, const toml::node& v, const Ctx& ctx) { s.road_speeds = road_speed_table(v, ctx); }},
      {"closed_classes", Kind::StringArray, false,
       [](S& s, const toml::node& v, const Ctx&) {
         for (const auto& e : *v.as_array()) s.closed_classes.push_back(str(e));
       }},
      {"landcover_speeds", Kind::NumberTable, false,
       [](S& s, const toml::node& v, const Ctx& ctx) { s.landcover_speeds = class_speed_table(v, ctx); }},
      {"closed_tags", Kind::StringArray, false,
       [](S& s, const toml::node& v, const Ctx& ctx) {
         s.closed_tags = tag_rule_list(v, "closed_tags", ctx);
       }},
      {"open_tags", Kind::StringArray, false,
       [](S& s, const toml::node& v, const Ctx& ctx) { s.open_tags = tag_rule_list(v, "open_tags", ctx); }},
      {"tag_speeds", Kind::NumberTable, false,
       [](S& s, const toml::node& v, const Ctx& ctx) { s.tag_speeds = tag_speed_table(v, ctx); }},
      {"ice", Kind::Bool, false,
       [](S& s, const toml::node& v, const Ctx&) { s.ice = v.value<bool>().value_or(false); }},
  };
  return keys;
}

std::vector<std::string_view> facility_names() {
  auto v = role_names();
  v.push_back("caravan");
  v.push_back("expert_tour");
  return v;
}

const std::vector<KeySpec<core::ServiceStandard>>& standard_keys() {
  using S = core::ServiceStandard;
  static const std::vector<KeySpec<S>> keys{
      {"facility", Kind::String, true,
       [](S& s, const toml::node& v, const Ctx& ctx) {
         if (check_one_of(v, "facility", facility_names(), ctx)) s.facility = str(v);
       }},
      {"minutes", Kind::Number, false,
       [](S& s, const toml::node& v, const Ctx& ctx) {
         s.minutes = num(v);
         in_range(s.minutes, 0.0, false, 10080.0, "minutes", "minutes", line_of(v), ctx);
       }},
      {"visits_per_year", Kind::Integer, false,
       [](S& s, const toml::node& v, const Ctx& ctx) {
         if (int_in_range(v, 0, 100000, "visits_per_year", ctx))
           s.visits_per_year = static_cast<int>(integer(v));
       }},
      {"label", Kind::String, false, [](S& s, const toml::node& v, const Ctx&) { s.label = str(v); }},
      {"capacity_unit", Kind::String, false,
       [](S& s, const toml::node& v, const Ctx& ctx) {
         static const std::vector<std::string_view> units{"people/year", "visitors/year", "seats", "people"};
         if (check_one_of(v, "capacity_unit", units, ctx)) s.capacity_unit = str(v);
       }},
      {"capacity_order", Kind::String, false,
       [](S& s, const toml::node& v, const Ctx& ctx) {
         static const std::vector<std::string_view> orders{"capacity", "population", "field"};
         if (check_one_of(v, "capacity_order", orders, ctx)) s.capacity_order = str(v);
       }},
      {"order_field", Kind::String, false,
       [](S& s, const toml::node& v, const Ctx&) { s.order_field = str(v); }},
  };
  return keys;
}

const std::vector<KeySpec<core::Target>>& target_keys() {
  using T = core::Target;
  static const std::vector<KeySpec<T>> keys{
      {"id", Kind::String, true, [](T& t, const toml::node& v, const Ctx&) { t.id = str(v); }},
      {"metric", Kind::String, true,
       [](T& t, const toml::node& v, const Ctx& ctx) {
         static const std::vector<std::string_view> metrics = [] {
           std::vector<std::string_view> n;
           for (const auto& r : core::metric_table()) n.push_back(r.name);
           return n;
         }();
         if (check_one_of(v, "metric", metrics, ctx, "metric")) t.metric = *core::metric_from_name(str(v));
       }},
      {"facility", Kind::String, false,
       [](T& t, const toml::node& v, const Ctx& ctx) {
         if (check_one_of(v, "facility", facility_names(), ctx)) t.facility = str(v);
       }},
      {"scope", Kind::String, false,
       [](T& t, const toml::node& v, const Ctx& ctx) {
         static const std::vector<std::string_view> scopes = [] {
           std::vector<std::string_view> n;
           for (const auto& r : core::scope_table()) n.push_back(r.name);
           return n;
         }();
         if (check_one_of(v, "scope", scopes, ctx, "scope")) t.scope = *core::scope_from_name(str(v));
       }},
      {"level", Kind::String, false,
       [](T& t, const toml::node& v, const Ctx& ctx) {
         static const std::vector<std::string_view> levels{"", "national", "region", "league", "banner"};
         if (check_one_of(v, "level", levels, ctx)) t.level = str(v);
       }},
      {"threshold", Kind::Number, true,
       [](T& t, const toml::node& v, const Ctx& ctx) {
         t.threshold = num(v);
         in_range(t.threshold, 0.0, false, 1e15, "threshold", "(in the target's unit)", line_of(v), ctx);
       }},
      {"unit", Kind::String, false, [](T& t, const toml::node& v, const Ctx&) { t.unit = str(v); }},
      {"deadline", Kind::Integer, false,
       [](T& t, const toml::node& v, const Ctx& ctx) {
         if (int_in_range(v, 0, 9999, "deadline", ctx)) t.deadline = static_cast<int>(integer(v));
       }},
      {"source", Kind::String, false, [](T& t, const toml::node& v, const Ctx&) { t.source = str(v); }},
      {"quote", Kind::String, false, [](T& t, const toml::node& v, const Ctx&) { t.quote = str(v); }},
  };
  return keys;
}

// ---- sections -----------------------------------------------------------------------------

/// A top-level section: a table ([travel]) or an array of tables ([[layer]]).
struct SectionSpec {
  std::string_view name;
  bool array;
  bool required;
  /// Parses one table of the section into the config.
  void (*parse)(const toml::table& tbl, ProjectConfig& cfg, Ctx& ctx);
};

const std::vector<SectionSpec>& sections() {
  static const std::vector<SectionSpec> specs{
      {"project", false, true,
       [](const toml::table& t, ProjectConfig& c, Ctx& ctx) {
         read_keys(t, project_keys(), "a [project]", c, ctx);
       }},
      {"layer", true, false,
       [](const toml::table& t, ProjectConfig& c, Ctx& ctx) {
         core::LayerSpec l;
         l.line = static_cast<int>(t.source().begin.line);
         ctx.layer = t["name"].value<std::string>().value_or(std::string{});
         read_keys(t, layer_keys(), "a [[layer]]", l, ctx);
         for (const auto& other : c.layers)
           if (!l.name.empty() && other.name == l.name)
             ctx.error(l.line, "layer name '" + l.name + "' is used twice (first at line " +
                                   std::to_string(other.line) + ")");
         ctx.layer.clear();
         c.layers.push_back(std::move(l));
       }},
      {"basemap", true, false,
       [](const toml::table& t, ProjectConfig& c, Ctx& ctx) {
         core::BasemapSpec b;
         b.line = static_cast<int>(t.source().begin.line);
         const std::size_t before = ctx.diag->problems.size();
         read_keys(t, basemap_keys(), "a [[basemap]]", b, ctx);
         if (ctx.diag->problems.size() == before && !b.source.empty())
           if (std::string why = basemap_source_problem(b); !why.empty()) ctx.error(b.source_line, why);
         for (const auto& other : c.basemaps)
           if (!b.name.empty() && other.name == b.name)
             ctx.error(b.line, "basemap name '" + b.name + "' is used twice (first at line " +
                                   std::to_string(other.line) + ")");
         c.basemaps.push_back(std::move(b));
       }},
      {"travel", false, false,
       [](const toml::table& t, ProjectConfig& c, Ctx& ctx) {
         c.travel.line = static_cast<int>(t.source().begin.line);
         read_keys(t, travel_keys(), "a [travel]", c.travel, ctx);
       }},
      {"demand", false, false,
       [](const toml::table& t, ProjectConfig& c, Ctx& ctx) {
         c.demand.line = static_cast<int>(t.source().begin.line);
         read_keys(t, demand_keys(), "a [demand]", c.demand, ctx);
       }},
      {"report", false, false,
       [](const toml::table& t, ProjectConfig& c, Ctx& ctx) {
         c.report.line = static_cast<int>(t.source().begin.line);
         read_keys(t, report_keys(), "a [report]", c.report, ctx);
       }},
      {"limits", false, false,
       [](const toml::table& t, ProjectConfig& c, Ctx& ctx) {
         c.limits.line = static_cast<int>(t.source().begin.line);
         read_keys(t, limits_keys(), "a [limits]", c.limits, ctx);
       }},
      {"scenario", true, false,
       [](const toml::table& t, ProjectConfig& c, Ctx& ctx) {
         core::Scenario s;
         s.line = static_cast<int>(t.source().begin.line);
         read_keys(t, scenario_keys(), "a [[scenario]]", s, ctx);
         c.scenarios.push_back(std::move(s));
       }},
      {"standard", true, false,
       [](const toml::table& t, ProjectConfig& c, Ctx& ctx) {
         core::ServiceStandard s;
         s.line = static_cast<int>(t.source().begin.line);
         const std::size_t before = ctx.diag->problems.size();
         read_keys(t, standard_keys(), "a [[standard]]", s, ctx);
         const bool keys_ok = ctx.diag->problems.size() == before;  // else the bad key is the one error
         if (keys_ok && s.minutes <= 0 && s.visits_per_year <= 0 && !s.facility.empty())
           ctx.error(s.line, "[[standard]] for '" + s.facility + "' needs 'minutes' or 'visits_per_year'");
         if (s.capacity_order == "field" && s.order_field.empty())
           ctx.error(s.line,
                     "[[standard]] for '" + s.facility + "': capacity_order = \"field\" needs 'order_field'");
         c.standards.push_back(std::move(s));
       }},
      {"target", true, false,
       [](const toml::table& t, ProjectConfig& c, Ctx& ctx) {
         core::Target g;
         g.line = static_cast<int>(t.source().begin.line);
         ctx.target = t["id"].value<std::string>().value_or(std::string{});
         read_keys(t, target_keys(), "a [[target]]", g, ctx);
         ctx.target.clear();
         c.targets.push_back(std::move(g));
       }},
  };
  return specs;
}

}  // namespace

std::string closest_match(std::string_view word, const std::vector<std::string_view>& candidates) {
  // Optimal string alignment distance (a transposition of neighbours is one edit), ASCII case ignored.
  auto distance = [](std::string_view a, std::string_view b) {
    const std::size_t w = b.size() + 1;
    std::vector<std::size_t> d((a.size() + 1) * w);
    auto lower = [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); };
    for (std::size_t i = 0; i <= a.size(); ++i) d[i * w] = i;
    for (std::size_t j = 0; j <= b.size(); ++j) d[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i)
      for (std::size_t j = 1; j <= b.size(); ++j) {
        const bool same = lower(a[i - 1]) == lower(b[j - 1]);
        std::size_t v =
            std::min({d[(i - 1) * w + j] + 1, d[i * w + j - 1] + 1, d[(i - 1) * w + j - 1] + (same ? 0 : 1)});
        if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) && lower(a[i - 2]) == lower(b[j - 1]))
          v = std::min(v, d[(i - 2) * w + j - 2] + 1);
        d[i * w + j] = v;
      }
    return d.back();
  };
  std::string best;
  std::size_t best_d = ~std::size_t{0};
  for (const auto& c : candidates) {
    if (c.empty()) continue;
    const std::size_t d = distance(word, c);
    if (d < best_d) {
      best_d = d;
      best = std::string(c);
    }
  }
  // A plausible typo: up to one edit for short words, two for longer, a third of the length at most.
  const std::size_t allowed = word.size() <= 4 ? 1 : (word.size() <= 8 ? 2 : 3);
  if (best == word || best_d > allowed) return {};
  return best;
}

core::ProjectConfig parse_project(std::string_view toml_text, const std::filesystem::path& file,
                                  core::Diagnostics& diag) {
  ProjectConfig cfg;
  cfg.file = file;
  const std::size_t first_problem = diag.problems.size();
  Ctx ctx;
  ctx.file = file.string();
  ctx.diag = &diag;

  toml::table root;
  try {
    root = toml::parse(toml_text, ctx.file);
  } catch (const toml::parse_error& e) {
    ctx.error(static_cast<int>(e.source().begin.line), "not valid TOML: " + std::string(e.description()));
    return cfg;
  }

  std::vector<std::string_view> names;
  for (const auto& s : sections()) names.push_back(s.name);

  for (auto&& [k, v] : root) {
    const std::string_view key = k.str();
    const int line = static_cast<int>(k.source().begin.line ? k.source().begin.line : v.source().begin.line);
    auto it = std::find_if(sections().begin(), sections().end(),
                           [&](const SectionSpec& s) { return s.name == key; });
    if (it == sections().end()) {
      ctx.error(line, "'" + std::string(key) + "' is not a project section" + did_you_mean(key, names) +
                          "; sections: " + join(names));
      continue;
    }
    if (it->array) {
      const auto* arr = v.as_array();
      if (!arr || !arr->is_array_of_tables()) {
        ctx.error(line, "'" + std::string(key) + "' must be written as [[" + std::string(key) + "]] tables");
        continue;
      }
      if (arr->size() > k_max_entries) {
        ctx.error(line, "the project has " + std::to_string(arr->size()) + " [[" + std::string(key) +
                            "]] entries; kepumap reads at most " + std::to_string(k_max_entries));
        continue;
      }
      for (const auto& e : *arr) it->parse(*e.as_table(), cfg, ctx);
    } else {
      const auto* t = v.as_table();
      if (!t) {
        ctx.error(line, "'" + std::string(key) + "' must be a [" + std::string(key) + "] section, not " +
                            std::string(node_type_name(v)));
        continue;
      }
      it->parse(*t, cfg, ctx);
    }
  }
  for (const auto& s : sections())
    if (s.required && !root.contains(s.name))
      ctx.error(1, "the [" + std::string(s.name) + "] section is missing");
  // toml++ visits keys in sorted order: report in file order.
  std::stable_sort(diag.problems.begin() + static_cast<std::ptrdiff_t>(first_problem), diag.problems.end(),
                   [](const core::Problem& a, const core::Problem& b) { return a.line < b.line; });
  return cfg;
}

core::ProjectConfig read_project(const std::filesystem::path& file, core::Diagnostics& diag) {
  // A project file that is a device, a FIFO or a folder would hang or mislead the reader.
  if (std::string why = source_refusal(file.string(), SourcePolicy{}); !why.empty()) {
    core::Problem p;
    p.file = file.string();
    p.what = "project file (项目文件): " + why;
    diag.error(std::move(p));
    core::ProjectConfig cfg;
    cfg.file = file;
    return cfg;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    core::Problem p;
    p.file = file.string();
    p.what = std::filesystem::exists(file) ? "cannot read the project file (无法读取项目文件)"
                                           : "project file not found (项目文件不存在)";
    diag.error(std::move(p));
    core::ProjectConfig cfg;
    cfg.file = file;
    return cfg;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_project(ss.str(), file, diag);
}

}  // namespace kepumap::io
