#pragma once
// CSV point tables as offices keep them: a header row, longitude/latitude columns found by name
// (经度/纬度, lon/lat, x/y, POINT_X/POINT_Y, ...), coordinates as decimal degrees or
// degrees-minutes-seconds, UTF-8 or GB18030, comma/semicolon/tab/full-width-comma delimited.
// std and glibc iconv only: no GDAL here, so the fuzz targets can build this file alone.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.hpp"
#include "core/geometry.hpp"
#include "core/table.hpp"

namespace kepumap::io {

/// How to read a CSV point table; every field empty means "find out from the file".
struct CsvOptions {
  std::string encoding;     ///< forced encoding (see canonical_encoding); empty = detect_encoding
  std::string delimiter;    ///< forced delimiter (",", ";", "\t", "，"); empty = sniffed
  std::string lon_column;   ///< forced longitude column header (trimmed, any case); empty = by name
  std::string lat_column;   ///< forced latitude column header; empty = by name
  bool fix_swapped = true;  ///< detect swapped longitude/latitude columns and swap them back
  /// Rows with unparsable or out-of-range coordinates are skipped and reported as errors (true)
  /// or as warnings (false).
  bool bad_rows_are_errors = true;
};

/// A CSV point table read into core types. Coordinates are degrees as written in the file
/// (x = longitude, y = latitude; the CRS is whatever the file's author used, usually WGS84).
struct CsvPoints {
  core::Geometries points;        ///< kind Point, one feature per kept row
  core::Table table;              ///< every column except the coordinate columns, typed; one row per point
  std::vector<int> source_lines;  ///< CSV line (1-based, the header is line 1) of each point
  std::string encoding;           ///< encoding the bytes were decoded from ("UTF-8", "GB18030", ...)
  std::string delimiter;          ///< delimiter used, as UTF-8 ("," ";" "\t" "，")
  std::string lon_column;         ///< header of the longitude column as written (after any swap fix)
  std::string lat_column;         ///< header of the latitude column as written (after any swap fix)
  bool swapped = false;           ///< the columns named as longitude/latitude held the other coordinate
  std::size_t rows_read = 0;      ///< data rows in the file (blank lines not counted)
  std::size_t rows_skipped = 0;   ///< data rows dropped for bad coordinates
  core::Diagnostics diagnostics;  ///< problems, each with file, line and field
};

/// Reads the CSV file at `path`. Never throws for bad content or a missing file: problems are in
/// the result's diagnostics (errors there mean the table is not usable as is).
CsvPoints read_csv_points(const std::filesystem::path& path, const CsvOptions& options);

/// Same as read_csv_points on bytes already in memory; `file_label` names the file in problems.
CsvPoints parse_csv_points(std::string_view bytes, const CsvOptions& options, const std::string& file_label);

/// True if `header` (trimmed, any case, full-width folded, a unit in brackets ignored) names a
/// longitude column: 经度, 东经, lon, lng, long, longitude, x, point_x, ...
bool is_longitude_header(std::string_view header);
/// True if `header` names a latitude column: 纬度, 北纬, lat, latitude, y, point_y, ...
bool is_latitude_header(std::string_view header);

}  // namespace kepumap::io
