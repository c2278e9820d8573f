#pragma once
// QGIS style documents (QML, QGIS 3 format) for the layers and rasters kepumap writes, made
// from the same core::Style as the app and the report maps, so a GeoPackage or GeoTIFF opened in
// QGIS looks like the report's map without any work.
#include <string>
#include <utility>
#include <vector>

#include "core/style.hpp"

namespace kepumap::report {

/// Field name -> title (Chinese or English), in the layer's field order.
using FieldAliases = std::vector<std::pair<std::string, std::string>>;

/// Unit polygons coloured by `field` in the classes `classes` (e.g. the gap choropleth), outlined
/// like `outline`, labelled with `label_field` in the CJK font, with the field aliases.
std::string qml_choropleth_polygons(const core::Choropleth& classes, const std::string& field,
                                    const core::LayerStyle& outline, const std::string& label_field,
                                    const FieldAliases& aliases);

/// Lines or polygons coloured by an integer `field` whose values are the travel-time minutes
/// `levels` (isochrones), on the style's travel-time ramp.
std::string qml_isochrones(const core::Style& st, const std::string& field, const std::vector<double>& levels,
                           const FieldAliases& aliases);

/// Points drawn with a role's symbol, colour and labels (`label_field`), with the field aliases.
std::string qml_points(const core::LayerStyle& ls, const std::string& label_field,
                       const FieldAliases& aliases);

/// Lines drawn with a role's colour and width (e.g. caravan routes), with the field aliases.
std::string qml_lines(const core::LayerStyle& ls, const FieldAliases& aliases);

/// Single-band raster of minutes on the style's travel-time ramp (0 .. travel_time_max_min),
/// nodata transparent.
std::string qml_time_raster(const core::Style& st);

/// Single-band raster of class numbers 0..names.size()-1 (e.g. the nearest facility), one
/// colour and label per class.
std::string qml_class_raster(const std::vector<std::string>& names);

/// Polygons coloured by the text `field`, one category (and colour) per entry of `values`, fill
/// opacity `fill_alpha`, labelled with `label_field` (e.g. capacity catchments by facility).
/// Category i has core::category_colour(i), as class i of qml_class_raster.
std::string qml_category_polygons(const std::string& field, const std::vector<std::string>& values,
                                  float fill_alpha, const std::string& label_field,
                                  const FieldAliases& aliases);

/// Single-band raster coloured in the classes of `classes` (manual breaks, e.g. the relative
/// accessibility index on the style's diverging ramp), legend labels ending in `unit`; nodata
/// transparent.
std::string qml_classed_raster(const core::Choropleth& classes, const std::string& unit = {});

/// "#rrggbb" -> "r,g,b,a" as QGIS writes colours.
std::string qgis_colour(core::Rgba c);

}  // namespace kepumap::report
