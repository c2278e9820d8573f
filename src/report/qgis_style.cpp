#include "report/qgis_style.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "report/tour_files.hpp"

namespace kepumap::report {

namespace {

std::string num(double v) {
  char b[64];
  std::snprintf(b, sizeof b, "%.10g", v);
  return b;
}

int byte(float v) { return static_cast<int>(std::lround(std::clamp(v, 0.0f, 1.0f) * 255.0f)); }

std::string hex(core::Rgba c) {
  char b[16];
  std::snprintf(b, sizeof b, "#%02x%02x%02x", byte(c.r), byte(c.g), byte(c.b));
  return b;
}

/// Pixels (the style's unit) to millimetres at the 96 dpi QGIS assumes for screen pixels.
std::string mm(float px) { return num(std::round(static_cast<double>(px) * 25.4 / 96.0 * 100.0) / 100.0); }

std::string head() {
  return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
         "<qgis version=\"3.22.0-Białowieża\" styleCategories=\"AllStyleCategories\">\n";
}

std::string prop(const char* k, const std::string& v) {
  return std::string("          <prop k=\"") + k + "\" v=\"" + xml_escape(v) + "\"/>\n";
}

std::string fill_symbol(const std::string& name, core::Rgba fill, core::Rgba line, float width_px) {
  std::string s =
      "      <symbol type=\"fill\" name=\"" + name + "\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">\n";
  s += "        <layer class=\"SimpleFill\" enabled=\"1\" pass=\"0\" locked=\"0\">\n";
  s += prop("color", qgis_colour(fill));
  s += prop("style", fill.a <= 0.0f ? "no" : "solid");
  s += prop("outline_color", qgis_colour(line));
  s += prop("outline_style", "solid");
  s += prop("outline_width", mm(width_px));
  s += prop("outline_width_unit", "MM");
  s += "        </layer>\n      </symbol>\n";
  return s;
}

std::string line_symbol(const std::string& name, core::Rgba line, float width_px, bool dashed) {
  std::string s =
      "      <symbol type=\"line\" name=\"" + name + "\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">\n";
  s += "        <layer class=\"SimpleLine\" enabled=\"1\" pass=\"0\" locked=\"0\">\n";
  s += prop("line_color", qgis_colour(line));
  s += prop("line_style", dashed ? "dash" : "solid");
  s += prop("line_width", mm(width_px));
  s += prop("line_width_unit", "MM");
  s += prop("capstyle", "round");
  s += prop("joinstyle", "round");
  s += "        </layer>\n      </symbol>\n";
  return s;
}

const char* marker_name(core::Symbol sym) {
  switch (sym) {
    case core::Symbol::Square:
      return "square";
    case core::Symbol::Triangle:
      return "triangle";
    case core::Symbol::Diamond:
      return "diamond";
    case core::Symbol::Star:
      return "star";
    case core::Symbol::Cross:
      return "cross_fill";
    case core::Symbol::Circle:
    default:
      return "circle";
  }
}

std::string labeling(const std::string& field, float size_px, core::Rgba colour, bool polygons) {
  if (field.empty()) return {};
  std::string s = "  <labeling type=\"simple\">\n    <settings calloutType=\"simple\">\n";
  s += "      <text-style fieldName=\"" + xml_escape(field) +
       "\" isExpression=\"0\" fontFamily=\"Noto Sans CJK SC\" namedStyle=\"Bold\" fontWeight=\"75\" "
       "fontSize=\"" +
       num(std::round(static_cast<double>(size_px) * 0.75)) + "\" fontSizeUnit=\"Point\" textColor=\"" +
       qgis_colour(colour) + "\" textOpacity=\"1\" multilineHeight=\"1\">\n";
  s += "        <text-buffer bufferDraw=\"1\" bufferSize=\"0.8\" bufferSizeUnits=\"MM\" "
       "bufferColor=\"255,255,255,255\" "
       "bufferOpacity=\"0.85\" bufferJoinStyle=\"128\" bufferNoFill=\"1\"/>\n";
  s += "      </text-style>\n";
  // Polygons: a horizontal label inside the polygon (OverPoint); points: around the point.
  s += std::string("      <placement placement=\"") + (polygons ? "1" : "0") +
       "\" dist=\"1\" distUnits=\"MM\" fitInPolygonOnly=\"0\" priority=\"5\"/>\n";
  s += "      <rendering obstacle=\"1\" displayAll=\"0\" upsidedownLabels=\"0\" labelPerPart=\"0\" "
       "mergeLines=\"0\" drawLabels=\"1\" limitNumLabels=\"0\" maxNumLabels=\"2000\" minFeatureSize=\"0\" "
       "scaleVisibility=\"0\"/>\n";
  s += "    </settings>\n  </labeling>\n";
  return s;
}

std::string aliases_block(const FieldAliases& aliases) {
  if (aliases.empty()) return {};
  std::string s = "  <aliases>\n";
  for (std::size_t i = 0; i < aliases.size(); ++i)
    s += "    <alias field=\"" + xml_escape(aliases[i].first) + "\" index=\"" + std::to_string(i) +
         "\" name=\"" + xml_escape(aliases[i].second) + "\"/>\n";
  return s + "  </aliases>\n";
}

}  // namespace

std::string qgis_colour(core::Rgba c) {
  return std::to_string(byte(c.r)) + "," + std::to_string(byte(c.g)) + "," + std::to_string(byte(c.b)) + "," +
         std::to_string(byte(c.a));
}

std::string qml_choropleth_polygons(const core::Choropleth& classes, const std::string& field,
                                    const core::LayerStyle& outline, const std::string& label_field,
                                    const FieldAliases& aliases) {
  std::string s = head();
  s += "  <renderer-v2 type=\"graduatedSymbol\" attr=\"" + xml_escape(field) +
       "\" graduatedMethod=\"GraduatedColor\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\">\n";
  s += "    <ranges>\n";
  const int n = std::max(1, static_cast<int>(classes.breaks.size()) + 1);
  // QGIS ranges are closed intervals [lower, upper]; the outer bounds are wide open.
  const double lowest = -1e15, highest = 1e15;
  std::string symbols;
  for (int k = 0; k < n; ++k) {
    const double lo = k == 0 ? lowest : classes.breaks[static_cast<std::size_t>(k - 1)];
    const double hi = k == n - 1 ? highest : classes.breaks[static_cast<std::size_t>(k)];
    // the labels of the app's legend and the report's map (a value on a break is in the lower class)
    const std::string label = classes.class_label(k);
    s += "      <range lower=\"" + num(lo) + "\" upper=\"" + num(hi) + "\" symbol=\"" + std::to_string(k) +
         "\" label=\"" + xml_escape(label) + "\" render=\"true\"/>\n";
    symbols += fill_symbol(std::to_string(k), classes.class_colour(k), outline.line, outline.line_width_px);
  }
  s += "    </ranges>\n    <symbols>\n" + symbols + "    </symbols>\n";
  s += "    <mode name=\"manual\"/>\n  </renderer-v2>\n";
  s += labeling(label_field, outline.label_size_px, outline.label_colour, true);
  s += aliases_block(aliases);
  s += "  <layerGeometryType>2</layerGeometryType>\n</qgis>\n";
  return s;
}

std::string qml_isochrones(const core::Style& st, const std::string& field, const std::vector<double>& levels,
                           const FieldAliases& aliases) {
  std::string s = head();
  s += "  <renderer-v2 type=\"categorizedSymbol\" attr=\"" + xml_escape(field) +
       "\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\">\n    <categories>\n";
  std::string symbols;
  for (std::size_t i = 0; i < levels.size(); ++i) {
    const double minutes = levels[i];
    s += "      <category value=\"" + num(minutes) + "\" symbol=\"" + std::to_string(i) + "\" label=\"" +
         num(minutes) + " 分钟 min\" render=\"true\"/>\n";
    symbols += line_symbol(std::to_string(i),
                           core::ramp_at(st.travel_time_ramp, minutes / st.travel_time_max_min), 2.0f, false);
  }
  s += "    </categories>\n    <symbols>\n" + symbols + "    </symbols>\n  </renderer-v2>\n";
  s += aliases_block(aliases);
  s += "  <layerGeometryType>1</layerGeometryType>\n</qgis>\n";
  return s;
}

std::string qml_points(const core::LayerStyle& ls, const std::string& label_field,
                       const FieldAliases& aliases) {
  std::string s = head();
  s += "  <renderer-v2 type=\"singleSymbol\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\">\n";
  s += "    <symbols>\n      <symbol type=\"marker\" name=\"0\" alpha=\"1\" clip_to_extent=\"1\" "
       "force_rhr=\"0\">\n";
  s += "        <layer class=\"SimpleMarker\" enabled=\"1\" pass=\"0\" locked=\"0\">\n";
  s += prop("name", marker_name(ls.symbol));
  s += prop("color", qgis_colour(ls.fill));
  s += prop("outline_color", qgis_colour(ls.line));
  s += prop("outline_width", "0.3");
  s += prop("outline_width_unit", "MM");
  s += prop("size", mm(ls.symbol_size_px));
  s += prop("size_unit", "MM");
  s += "        </layer>\n      </symbol>\n    </symbols>\n  </renderer-v2>\n";
  s += labeling(label_field, ls.label_size_px, ls.label_colour, false);
  s += aliases_block(aliases);
  s += "  <layerGeometryType>0</layerGeometryType>\n</qgis>\n";
  return s;
}

std::string qml_lines(const core::LayerStyle& ls, const FieldAliases& aliases) {
  std::string s = head();
  s += "  <renderer-v2 type=\"singleSymbol\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\">\n";
  s += "    <symbols>\n" + line_symbol("0", ls.line, ls.line_width_px, ls.dashed) + "    </symbols>\n";
  s += "  </renderer-v2>\n";
  s += aliases_block(aliases);
  s += "  <layerGeometryType>1</layerGeometryType>\n</qgis>\n";
  return s;
}

std::string qml_time_raster(const core::Style& st) {
  const double max_min = st.travel_time_max_min;
  std::string s = head();
  s += "  <pipe>\n    <rasterrenderer type=\"singlebandpseudocolor\" band=\"1\" opacity=\"0.85\" "
       "alphaBand=\"-1\" "
       "classificationMin=\"0\" classificationMax=\"" +
       num(max_min) + "\" nodataColor=\"\">\n";
  s += "      <rasterTransparency/>\n";
  s += "      "
       "<minMaxOrigin><limits>None</limits><extent>WholeRaster</extent><statAccuracy>Estimated</statAccuracy>"
       "<cumulativeCutLower>0.02</cumulativeCutLower><cumulativeCutUpper>0.98</cumulativeCutUpper>"
       "<stdDevFactor>2</stdDevFactor></minMaxOrigin>\n";
  s += "      <rastershader>\n        <colorrampshader colorRampType=\"INTERPOLATED\" "
       "classificationMode=\"1\" "
       "minimumValue=\"0\" maximumValue=\"" +
       num(max_min) + "\" clip=\"0\" labelPrecision=\"0\">\n";
  const auto& ramp = st.travel_time_ramp;
  for (std::size_t i = 0; i < ramp.size(); ++i) {
    const double v =
        ramp.size() == 1 ? 0.0 : max_min * static_cast<double>(i) / static_cast<double>(ramp.size() - 1);
    s += "          <item alpha=\"255\" value=\"" + num(v) + "\" label=\"" + num(std::round(v)) +
         " 分钟\" color=\"" + hex(ramp[i]) + "\"/>\n";
  }
  s += "        </colorrampshader>\n      </rastershader>\n    </rasterrenderer>\n";
  s += "    <brightnesscontrast brightness=\"0\" contrast=\"0\" gamma=\"1\"/>\n";
  s += "    <rasterresampler maxOversampling=\"2\"/>\n  </pipe>\n  <blendMode>0</blendMode>\n</qgis>\n";
  return s;
}

std::string qml_category_polygons(const std::string& field, const std::vector<std::string>& values,
                                  float fill_alpha, const std::string& label_field,
                                  const FieldAliases& aliases) {
  std::string s = head();
  s += "  <renderer-v2 type=\"categorizedSymbol\" attr=\"" + xml_escape(field) +
       "\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\">\n    <categories>\n";
  std::string symbols;
  for (std::size_t i = 0; i < values.size(); ++i) {
    s += "      <category value=\"" + xml_escape(values[i]) + "\" symbol=\"" + std::to_string(i) +
         "\" label=\"" + xml_escape(values[i]) + "\" render=\"true\"/>\n";
    core::Rgba fill = core::category_colour(i), line = core::category_colour(i);
    fill.a = fill_alpha;
    line.r *= 0.6f, line.g *= 0.6f, line.b *= 0.6f;
    symbols += fill_symbol(std::to_string(i), fill, line, 1.2f);
  }
  s += "    </categories>\n    <symbols>\n" + symbols + "    </symbols>\n  </renderer-v2>\n";
  s += labeling(label_field, 12.0f, {0.1f, 0.1f, 0.1f, 1.0f}, true);
  s += aliases_block(aliases);
  s += "  <layerGeometryType>2</layerGeometryType>\n</qgis>\n";
  return s;
}

std::string qml_classed_raster(const core::Choropleth& classes, const std::string& unit) {
  std::string s = head();
  s += "  <pipe>\n    <rasterrenderer type=\"singlebandpseudocolor\" band=\"1\" opacity=\"0.85\" "
       "alphaBand=\"-1\" nodataColor=\"\">\n";
  s += "      <rasterTransparency/>\n";
  s += "      <rastershader>\n        <colorrampshader colorRampType=\"DISCRETE\" classificationMode=\"3\" "
       "clip=\"0\" labelPrecision=\"2\">\n";
  // A DISCRETE shader gives each item's colour to the values up to and including its value; the
  // last item is open upwards.
  const int n = std::max(1, static_cast<int>(classes.breaks.size()) + 1);
  for (int k = 0; k < n; ++k) {
    const bool last = k == n - 1;
    const double hi = last ? 0.0 : classes.breaks[static_cast<std::size_t>(k)];
    const std::string label = classes.class_label(k);
    s += "          <item alpha=\"255\" value=\"" + (last ? std::string("inf") : num(hi)) + "\" label=\"" +
         xml_escape(label + unit) + "\" color=\"" + hex(classes.class_colour(k)) + "\"/>\n";
  }
  s += "        </colorrampshader>\n      </rastershader>\n    </rasterrenderer>\n";
  s += "    <brightnesscontrast brightness=\"0\" contrast=\"0\" gamma=\"1\"/>\n";
  s += "    <rasterresampler maxOversampling=\"2\"/>\n  </pipe>\n  <blendMode>0</blendMode>\n</qgis>\n";
  return s;
}

std::string qml_class_raster(const std::vector<std::string>& names) {
  std::string s = head();
  s += "  <pipe>\n    <rasterrenderer type=\"paletted\" band=\"1\" opacity=\"0.8\" alphaBand=\"-1\" "
       "nodataColor=\"\">\n";
  s += "      <rasterTransparency/>\n      <colorPalette>\n";
  for (std::size_t i = 0; i < names.size(); ++i) {
    const core::Rgba c = core::category_colour(i);
    s += "        <paletteEntry value=\"" + std::to_string(i) + "\" color=\"" + hex(c) +
         "\" alpha=\"255\" label=\"" + xml_escape(names[i]) + "\"/>\n";
  }
  s += "      </colorPalette>\n    </rasterrenderer>\n";
  s += "    <brightnesscontrast brightness=\"0\" contrast=\"0\" gamma=\"1\"/>\n";
  s += "    <rasterresampler maxOversampling=\"2\"/>\n  </pipe>\n  <blendMode>0</blendMode>\n</qgis>\n";
  return s;
}

}  // namespace kepumap::report
