#pragma once
// Map styles (styles/*.json): how each role is drawn, shared by the screen and report renderers.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/project.hpp"

namespace kepumap::core {

/// A colour, components 0..1, straight (not premultiplied) alpha.
struct Rgba {
  float r = 0, g = 0, b = 0, a = 1;
  friend constexpr bool operator==(const Rgba&, const Rgba&) = default;
};
/// "#rrggbb" or "#rrggbbaa" (also "#rgb"); nullopt if malformed.
std::optional<Rgba> parse_colour(std::string_view hex);
/// "#rrggbbaa".
std::string colour_hex(Rgba c);
/// Linear interpolation along a colour ramp at t in [0, 1] (clamped); ramp must not be empty.
Rgba ramp_at(const std::vector<Rgba>& ramp, double t);

/// Point symbols.
enum class Symbol : unsigned char { Circle, Square, Triangle, Diamond, Star, Cross };
std::string_view symbol_name(Symbol s);
std::optional<Symbol> symbol_from_name(std::string_view s);

/// Colour polygons (or points) by a numeric attribute: `breaks` are the upper bounds of the
/// classes except the last (ascending, classes = breaks.size() + 1); colours one per class.
struct Choropleth {
  std::string attribute;            ///< mapped field key ("population") or source column name
  std::string method = "quantile";  ///< "quantile", "equal" or "manual" (breaks given)
  int classes = 5;
  std::vector<double> breaks;  ///< filled by compute_breaks unless manual
  std::vector<Rgba> ramp;      ///< ramp the class colours are taken from
  /// Class of a value (0 .. classes-1).
  int class_of(double v) const;
  /// Colour of class k: evenly spaced along the ramp.
  Rgba class_colour(int k) const;
  /// Fills `breaks` from values (NaN ignored) for "quantile" and "equal"; "manual" unchanged.
  void compute_breaks(const std::vector<double>& values);
  /// Legend label of class k as class_of assigns values: "≤ b0", "b0 – b1", …, "> bn" with each
  /// break rounded to 2 decimals, trailing zeros dropped. The app's legend, the report's and
  /// `kepumap map`'s legends and the QGIS styles all print these labels.
  std::string class_label(int k) const;
};

/// A line class (roads by class): value of the class attribute -> colour and width.
struct LineClass {
  std::string value;     ///< attribute value, e.g. "primary"
  std::string label;     ///< legend label (中文), defaults to value
  std::string label_en;  ///< legend label in English, defaults to label
  Rgba line;
  float width_px = 1.0f;
};

/// How one role is drawn. Widths and sizes are screen pixels.
struct LayerStyle {
  Rgba fill{0.9f, 0.9f, 0.85f, 1.0f};
  Rgba line{0.3f, 0.3f, 0.3f, 1.0f};
  float line_width_px = 1.0f;
  bool dashed = false;  ///< lines: dashed
  /// Lines: dash pattern, alternating on/off lengths in screen pixels (e.g. dash-dot
  /// {8, 3, 1.5, 3}); empty = {6, 3} when `dashed`, solid otherwise.
  std::vector<float> dash_px;
  Symbol symbol = Symbol::Circle;
  float symbol_size_px = 8.0f;
  float opacity = 1.0f;    ///< whole-layer opacity
  bool labels = false;     ///< draw the name field as labels
  int label_priority = 5;  ///< smaller wins when labels collide
  float label_size_px = 14.0f;
  Rgba label_colour{0.1f, 0.1f, 0.1f, 1.0f};
  double label_min_zoom_m_per_px = 0;  ///< labels shown when metres/pixel <= this (0 = always)
  std::string class_field;             ///< lines: mapped field holding the class (e.g. "road_class")
  std::vector<LineClass> line_classes;
  std::optional<Choropleth> choropleth;
  /// Polygons and points by category (a layer's own style, kind "categories"): features whose
  /// `category_field` (mapped field key or column) holds a value get its colour, others `fill`.
  std::string category_field;
  std::vector<std::pair<std::string, Rgba>> categories;
  std::string label_field;        ///< labels: mapped field key or column shown; "" = the name field
  std::vector<Rgba> raster_ramp;  ///< rasters: ramp from low to high values
  bool raster_log = false;        ///< rasters: ramp over log(1 + value)
};

/// A style file: one LayerStyle per role plus a fallback.
struct Style {
  std::string name;
  std::string name_en;
  Rgba background{0.93f, 0.95f, 0.97f, 1.0f};
  Rgba highlight{1.0f, 0.85f, 0.0f, 1.0f};  ///< selected feature
  std::vector<std::pair<Role, LayerStyle>> roles;
  LayerStyle fallback;
  /// Travel time to the nearest venue (app overlay and report map): ramp from 0 to
  /// `travel_time_max_min` minutes (clamped beyond), legend ticks in minutes.
  /// The built-in ramp is styles/default.json's: yellow to purple, CIE L* falling from 93 to 22.
  std::vector<Rgba> travel_time_ramp{
      {0xfc / 255.f, 0xee / 255.f, 0x6a / 255.f, 1}, {0x83 / 255.f, 0xdf / 255.f, 0x74 / 255.f, 1},
      {0x03 / 255.f, 0xbf / 255.f, 0xa0 / 255.f, 1}, {0x09 / 255.f, 0x98 / 255.f, 0xa8 / 255.f, 1},
      {0x07 / 255.f, 0x74 / 255.f, 0x9f / 255.f, 1}, {0x03 / 255.f, 0x4c / 255.f, 0xa5 / 255.f, 1},
      {0x60 / 255.f, 0x00 / 255.f, 0x69 / 255.f, 1}};
  double travel_time_max_min = 180.0;
  std::vector<double> travel_time_legend_min{0, 30, 60, 120, 180};
  /// Gap choropleth (uncovered people × priority per finest unit), app legend and report map:
  /// the first colour below `gap_zero_below` (no gap), the others over the quartiles of the rest.
  std::vector<Rgba> gap_ramp{{1.0f, 0.97f, 0.93f, 1},
                             {0.99f, 0.83f, 0.62f, 1},
                             {0.99f, 0.55f, 0.35f, 1},
                             {0.84f, 0.19f, 0.12f, 1},
                             {0.5f, 0, 0, 1}};
  double gap_zero_below = 0.5;
  /// Relative accessibility index (1 = the region's mean; `kepumap access`, its figures, the
  /// GeoPackage styles): a diverging ramp from the lowest class to the highest, its middle colour
  /// at 1, over the classes `index_breaks` gives (ascending, symmetric around 1 on a log scale;
  /// classes = breaks + 1). The ramp has one colour per class, or any other count (interpolated).
  /// Continuous uses (the index map) put each break at its class boundary on a log2 scale.
  /// Built-in: styles/default.json's, brown below the mean, blue above, lightest at 1.
  std::vector<Rgba> index_ramp{
      {0x5e / 255.f, 0x1a / 255.f, 0x0b / 255.f, 1}, {0xb8 / 255.f, 0x5a / 255.f, 0x2e / 255.f, 1},
      {0xef / 255.f, 0xb5 / 255.f, 0x8c / 255.f, 1}, {0xf5 / 255.f, 0xf3 / 255.f, 0xef / 255.f, 1},
      {0xbf / 255.f, 0xd9 / 255.f, 0xe9 / 255.f, 1}, {0x76 / 255.f, 0xab / 255.f, 0xd3 / 255.f, 1},
      {0x3f / 255.f, 0x7f / 255.f, 0xb8 / 255.f, 1}};
  std::vector<double> index_breaks{0.25, 0.5, 0.8, 1.25, 2.0, 4.0};
  /// The quiet land/water background drawn when a project has no basemap ("quiet_background":
  /// lakes filled and outlined, rivers, national borders; land is `background`). Muted, so the
  /// project's own water and border layers drawn over it stay the ones that read.
  struct QuietBackground {
    Rgba water{0xd3 / 255.f, 0xe2 / 255.f, 0xec / 255.f, 1};
    Rgba water_line{0xb4 / 255.f, 0xcb / 255.f, 0xdb / 255.f, 1};
    Rgba river{0xb4 / 255.f, 0xcb / 255.f, 0xdb / 255.f, 1};
    Rgba border{0xa8 / 255.f, 0xa8 / 255.f, 0xa8 / 255.f, 1};
    float river_width_px = 0.8f;
    float border_width_px = 1.0f;
  } quiet;
  /// The style for a role (the fallback if the file does not name it).
  const LayerStyle& for_role(Role r) const;
};

/// The ramps of a style file a layer's own graduated style can name (`ramp = "NAME"` in
/// project.toml): "travel_time", "gap", "index" (those sections' ramps) and "population" (the
/// population role's raster ramp), in that order.
const std::vector<std::string_view>& ramp_names();
/// The ramp named `name` in `st` (see ramp_names), fully opaque; empty when the name is not one
/// of them or the style has no such ramp.
std::vector<Rgba> named_ramp(const Style& st, std::string_view name);

/// Colour of a travel time (seconds) on the style's travel-time ramp; transparent (a = 0) when
/// not finite (unreachable).
Rgba travel_time_colour(const Style& st, double seconds);

/// The gap classes of `gaps` (one value per finest unit): manual breaks at `gap_zero_below` and
/// at the quartiles of the gaps above it, one class per colour of `gap_ramp` at most. The app's
/// legend and the report's map both take them from here.
Choropleth gap_classes(const std::vector<double>& gaps, const Style& st);

/// The relative-index classes (a manual Choropleth on `attribute`): the style's breaks, one
/// colour per class taken along the index ramp so the middle class is the ramp's middle colour.
Choropleth index_classes(const Style& st, const std::string& attribute);
/// Colour of a relative index on the style's diverging ramp, continuous on a log2 scale: the
/// lowest break and below the first colour, the highest and above the last, 1 the middle;
/// not finite or <= 0: the first colour.
Rgba index_colour(const Style& st, double relative);

/// Colour i of categories without a style of their own (facilities' catchments, nearest-facility
/// classes): distinct hues around the colour wheel in golden-angle steps, medium lightness. The
/// app's map and the QGIS styles kepumap writes give facility i the same colour.
Rgba category_colour(std::size_t i);

/// Parses a style file's JSON text; `source` names it in errors. Throws std::runtime_error with
/// one line naming the source, the role and the key at fault.
Style parse_style(std::string_view json_text, const std::string& source);
/// Reads and parses a style file (std::runtime_error naming the file when it cannot be read).
Style load_style(const std::string& path);
/// The built-in default style (what styles/default.json holds), for when no file is found.
Style default_style();

}  // namespace kepumap::core
