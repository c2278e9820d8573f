#include "io/csv_points.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <optional>
#include <stdexcept>
#include <system_error>
#include <utility>

#include "io/text.hpp"

namespace kepumap::io {

namespace {

/// One CSV record: its fields and the line it starts on (1-based).
struct Record {
  int line = 0;
  std::vector<std::string> fields;
};

bool is_newline(char c) { return c == '\n' || c == '\r'; }

/// Splits UTF-8 text into RFC 4180 records with delimiter `d`: fields may be quoted with '"',
/// a doubled quote inside is a quote, quoted fields may hold delimiters and newlines. Lenient:
/// text after a closing quote is kept, a quote inside an unquoted field is literal. Stops after
/// `max_records` records. Returns the line of an unterminated quote, or 0.
int split_records(std::string_view s, std::string_view d, std::size_t max_records, std::vector<Record>& out) {
  std::size_t i = 0;
  const std::size_t n = s.size();
  int line = 1;
  int unterminated = 0;
  auto at_delim = [&](std::size_t k) { return !d.empty() && s[k] == d[0] && s.compare(k, d.size(), d) == 0; };
  while (i < n && out.size() < max_records) {
    Record rec;
    rec.line = line;
    while (true) {
      std::string f;
      if (i < n && s[i] == '"') {
        const int start_line = line;
        ++i;
        bool closed = false;
        while (i < n) {
          const char c = s[i];
          if (c == '"') {
            if (i + 1 < n && s[i + 1] == '"') {
              f += '"';
              i += 2;
              continue;
            }
            ++i;
            closed = true;
            break;
          }
          if (c == '\n' || (c == '\r' && (i + 1 >= n || s[i + 1] != '\n'))) ++line;
          // Copy the run up to the next quote or line break at once.
          std::size_t j = i + 1;
          while (j < n && s[j] != '"' && !is_newline(s[j])) ++j;
          f.append(s.substr(i, j - i));
          i = j;
        }
        if (!closed && unterminated == 0) unterminated = start_line;
      }
      {
        std::size_t j = i;
        while (j < n && !is_newline(s[j]) && !at_delim(j)) ++j;
        f.append(s.substr(i, j - i));
        i = j;
      }
      rec.fields.push_back(std::move(f));
      if (i < n && at_delim(i)) {
        i += d.size();
        continue;
      }
      if (i < n) {  // newline
        if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n') ++i;
        ++i;
        ++line;
      }
      break;
    }
    out.push_back(std::move(rec));
  }
  return unterminated;
}

bool blank_record(const Record& r) {
  for (const auto& f : r.fields)
    for (char c : f)
      if (c != ' ' && c != '\t') return false;
  return true;
}

/// Picks the delimiter that splits the first records into the most consistent number (> 1) of fields.
std::string sniff_delimiter(std::string_view text) {
  static const char* const candidates[] = {",", "\t", ";", "\xEF\xBC\x8C" /* ， */};
  std::string best = ",";
  double best_consistency = -1.0;
  std::size_t best_fields = 0;
  for (const char* cand : candidates) {
    std::vector<Record> recs;
    split_records(text, cand, 30, recs);
    if (recs.empty()) continue;
    const std::size_t h = recs.front().fields.size();
    if (h < 2) continue;
    std::size_t total = 0, same = 0;
    for (const auto& r : recs) {
      if (blank_record(r)) continue;
      ++total;
      if (r.fields.size() == h) ++same;
    }
    const double consistency = total ? static_cast<double>(same) / static_cast<double>(total) : 0.0;
    if (consistency > best_consistency || (consistency == best_consistency && h > best_fields)) {
      best = cand;
      best_consistency = consistency;
      best_fields = h;
    }
  }
  return best;
}

std::string_view trim_ascii(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

/// Header as compared with known names: full-width folded, trimmed, ASCII lower case, a trailing
/// unit in brackets ("经度(°)", "lon (deg)") and a trailing degree sign removed.
std::string header_key(std::string_view header) {
  std::string h = normalize_fullwidth(header);
  std::string_view v = trim_ascii(h);
  if (!v.empty() && v.back() == ')') {
    const auto open = v.rfind('(');
    if (open != std::string_view::npos && open > 0) v = trim_ascii(v.substr(0, open));
  }
  if (v.size() >= 2 && v.substr(v.size() - 2) == "\xC2\xB0") v = trim_ascii(v.substr(0, v.size() - 2));
  std::string k(v);
  for (char& c : k)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return k;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

/// Rank of a header as a longitude (or latitude) name: lower is a better match, -1 none.
int header_rank(std::string_view header, bool longitude) {
  static const char* const lon_names[] = {"经度",    "东经", "longitude", "lon",   "lng",       "long",
                                          "point_x", "x",    "经度坐标",  "x坐标", "wgs84_lon", "lon_wgs84"};
  static const char* const lat_names[] = {"纬度", "北纬",     "latitude", "lat",       "point_y",
                                          "y",    "纬度坐标", "y坐标",    "wgs84_lat", "lat_wgs84"};
  const std::string k = header_key(header);
  if (k.empty()) return -1;
  int rank = 0;
  if (longitude) {
    for (const char* n : lon_names) {
      if (k == n) return rank;
      ++rank;
    }
    if (ends_with(k, "经度")) return rank;  // "GPS经度", "中心点经度"
  } else {
    for (const char* n : lat_names) {
      if (k == n) return rank;
      ++rank;
    }
    if (ends_with(k, "纬度")) return rank;
  }
  return -1;
}

/// Index of the best-ranked column for one axis, or -1.
int find_by_name(const std::vector<std::string>& headers, bool longitude) {
  int best = -1, best_rank = 1 << 30;
  for (std::size_t j = 0; j < headers.size(); ++j) {
    const int r = header_rank(headers[j], longitude);
    if (r >= 0 && r < best_rank) {
      best = static_cast<int>(j);
      best_rank = r;
    }
  }
  return best;
}

/// Index of the column whose header equals `name` (trimmed, any case, full-width folded), or -1.
int find_forced(const std::vector<std::string>& headers, std::string_view name) {
  const std::string want = header_key(name);
  for (std::size_t j = 0; j < headers.size(); ++j)
    if (headers[j] == name) return static_cast<int>(j);
  for (std::size_t j = 0; j < headers.size(); ++j) {
    std::string h = normalize_fullwidth(headers[j]);
    std::string k(trim_ascii(h));
    for (char& c : k)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    std::string w(trim_ascii(normalize_fullwidth(name)));
    for (char& c : w)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (k == w || header_key(headers[j]) == want) return static_cast<int>(j);
  }
  return -1;
}

std::string list_headers(const std::vector<std::string>& headers) {
  std::string s;
  for (std::size_t j = 0; j < headers.size(); ++j) {
    if (j) s += ", ";
    s += "'" + headers[j] + "'";
  }
  return s.empty() ? "(none)" : s;
}

bool in_china(double lon, double lat) { return lon >= 73.0 && lon <= 135.0 && lat >= 18.0 && lat <= 54.0; }

/// Numeric text as a table value: full-width folded and trimmed.
std::string numeric_form(std::string_view raw) {
  const std::string n = normalize_fullwidth(raw);
  return std::string(trim_ascii(n));
}

bool has_leading_zero(std::string_view v) {
  if (!v.empty() && (v[0] == '-' || v[0] == '+')) v.remove_prefix(1);
  return v.size() >= 2 && v[0] == '0' && v[1] >= '0' && v[1] <= '9';
}

std::optional<std::int64_t> as_integer(std::string_view v) {
  if (v.empty() || has_leading_zero(v)) return std::nullopt;
  if (v[0] == '+') v.remove_prefix(1);
  std::int64_t x = 0;
  auto r = std::from_chars(v.data(), v.data() + v.size(), x);
  if (r.ec != std::errc() || r.ptr != v.data() + v.size()) return std::nullopt;
  return x;
}

std::optional<double> as_real(std::string_view v) {
  if (v.empty() || has_leading_zero(v)) return std::nullopt;
  bool digit = false;
  for (char c : v) {
    if (c >= '0' && c <= '9')
      digit = true;
    else if (c != '.' && c != '-' && c != '+' && c != 'e' && c != 'E')
      return std::nullopt;
  }
  if (!digit) return std::nullopt;
  if (v[0] == '+') v.remove_prefix(1);
  double x = 0.0;
  auto r = std::from_chars(v.data(), v.data() + v.size(), x);
  if (r.ec != std::errc() || r.ptr != v.data() + v.size() || !std::isfinite(x)) return std::nullopt;
  return x;
}

/// The header names made unique and non-empty ("field_3", "name_2").
std::vector<std::string> column_names(const std::vector<std::string>& raw) {
  std::vector<std::string> names;
  for (std::size_t j = 0; j < raw.size(); ++j) {
    std::string base(trim_ascii(raw[j]));
    if (base.empty()) base = "field_" + std::to_string(j + 1);
    std::string name = base;
    for (int k = 2; std::find(names.begin(), names.end(), name) != names.end(); ++k)
      name = base + "_" + std::to_string(k);
    names.push_back(std::move(name));
  }
  return names;
}

}  // namespace

bool is_longitude_header(std::string_view header) { return header_rank(header, true) >= 0; }
bool is_latitude_header(std::string_view header) { return header_rank(header, false) >= 0; }

CsvPoints parse_csv_points(std::string_view bytes, const CsvOptions& options, const std::string& file_label) {
  CsvPoints out;
  out.points.kind = core::GeomKind::Point;
  auto problem = [&](int line, std::string field, std::string what) {
    core::Problem p;
    p.file = file_label;
    p.line = line;
    p.field = std::move(field);
    p.what = std::move(what);
    return p;
  };

  // Encoding.
  out.encoding = options.encoding.empty() ? detect_encoding(bytes) : canonical_encoding(options.encoding);
  std::string text;
  try {
    std::size_t replaced = 0;
    text = to_utf8(bytes, out.encoding, &replaced);
    if (replaced > 0)
      out.diagnostics.warn(problem(0, "",
                                   std::to_string(replaced) + " 处字节不是有效的 " + out.encoding +
                                       "，已替换为 U+FFFD (" + std::to_string(replaced) +
                                       " invalid byte sequences replaced)"));
  } catch (const std::invalid_argument& e) {
    out.diagnostics.error(problem(0, "encoding", e.what()));
    return out;
  }

  // Records.
  out.delimiter = options.delimiter.empty() ? sniff_delimiter(text) : options.delimiter;
  if (out.delimiter == "\\t" || out.delimiter == "tab") out.delimiter = "\t";
  std::vector<Record> recs;
  const int unterminated = split_records(text, out.delimiter, static_cast<std::size_t>(-1), recs);
  if (unterminated > 0)
    out.diagnostics.warn(problem(
        unterminated, "", "引号没有闭合，读到文件末尾 (unterminated quote; read to the end of the file)"));
  // Leading blank lines before the header are skipped.
  std::size_t first = 0;
  while (first < recs.size() && blank_record(recs[first])) ++first;
  if (first >= recs.size()) {
    out.diagnostics.error(problem(0, "", "空文件，没有表头 (empty file: no header row)"));
    return out;
  }
  const Record& header = recs[first];
  const std::vector<std::string> names = column_names(header.fields);

  // Coordinate columns.
  int lon = options.lon_column.empty() ? find_by_name(header.fields, true)
                                       : find_forced(header.fields, options.lon_column);
  int lat = options.lat_column.empty() ? find_by_name(header.fields, false)
                                       : find_forced(header.fields, options.lat_column);
  if (!options.lon_column.empty() && lon < 0) {
    out.diagnostics.error(
        problem(header.line, options.lon_column,
                "没有这一经度列 (no such longitude column); 表头 (headers): " + list_headers(header.fields)));
    return out;
  }
  if (!options.lat_column.empty() && lat < 0) {
    out.diagnostics.error(
        problem(header.line, options.lat_column,
                "没有这一纬度列 (no such latitude column); 表头 (headers): " + list_headers(header.fields)));
    return out;
  }
  if (lon < 0 || lat < 0) {
    std::string missing = lon < 0 && lat < 0 ? "找不到经度列和纬度列 (no longitude and latitude columns)"
                          : lon < 0          ? "找不到经度列 (no longitude column)"
                                             : "找不到纬度列 (no latitude column)";
    out.diagnostics.error(
        problem(header.line, "",
                missing + "; 表头 (headers seen): " + list_headers(header.fields) +
                    "; 可用列名 (accepted names): 经度/纬度, 东经/北纬, lon/lat, lng, longitude/latitude, "
                    "x/y, POINT_X/POINT_Y"));
    return out;
  }
  if (lon == lat) {
    out.diagnostics.error(problem(header.line, names[static_cast<std::size_t>(lon)],
                                  "经度和纬度是同一列 (longitude and latitude are the same column)"));
    return out;
  }

  // Data rows.
  std::vector<const Record*> rows;
  for (std::size_t r = first + 1; r < recs.size(); ++r)
    if (!blank_record(recs[r])) rows.push_back(&recs[r]);
  out.rows_read = rows.size();
  if (rows.empty()) {
    out.diagnostics.error(problem(header.line, "", "只有表头，没有数据行 (header only: no data rows)"));
    return out;
  }
  auto field_of = [](const Record& r, int j) -> std::string_view {
    return static_cast<std::size_t>(j) < r.fields.size()
               ? std::string_view(r.fields[static_cast<std::size_t>(j)])
               : std::string_view();
  };

  // Swapped columns: decided over every row where both values read.
  {
    std::size_t n = 0, lon_small = 0, lat_big = 0, given_in = 0, swapped_in = 0, hemi_ok = 0,
                hemi_swapped = 0;
    for (const Record* r : rows) {
      auto a = parse_coordinate_parts(field_of(*r, lon), nullptr);
      auto b = parse_coordinate_parts(field_of(*r, lat), nullptr);
      if (!a || !b) continue;
      ++n;
      if (std::abs(a->degrees) <= 90.0) ++lon_small;
      if (std::abs(b->degrees) > 90.0) ++lat_big;
      if (in_china(a->degrees, b->degrees)) ++given_in;
      if (in_china(b->degrees, a->degrees)) ++swapped_in;
      if (a->hemisphere == Axis::Longitude || b->hemisphere == Axis::Latitude) ++hemi_ok;
      if (a->hemisphere == Axis::Latitude || b->hemisphere == Axis::Longitude) ++hemi_swapped;
    }
    std::string why;
    if (hemi_swapped > 0 && hemi_ok == 0)
      why = "方位字母 (hemisphere letters)";
    else if (hemi_ok == 0 && n > 0 && lon_small == n && lat_big == n)
      why = "“经度”都在 ±90° 内而“纬度”都超出 ±90° (all 'longitudes' within ±90°, all 'latitudes' beyond)";
    else if (hemi_ok == 0 && n > 0 && given_in == 0 && swapped_in * 10 >= n * 9)
      why = "交换后落在中国范围内 (swapped, the points fall within China's extent 73–135°E, 18–54°N)";
    if (!why.empty()) {
      const std::string lon_name = names[static_cast<std::size_t>(lon)];
      const std::string lat_name = names[static_cast<std::size_t>(lat)];
      if (options.fix_swapped) {
        std::swap(lon, lat);
        out.swapped = true;
        out.diagnostics.warn(
            problem(header.line, lon_name + ", " + lat_name,
                    "经纬度列颠倒，已交换 (longitude and latitude columns swapped; fixed): " + why));
      } else {
        out.diagnostics.warn(problem(
            header.line, lon_name + ", " + lat_name,
            "经纬度列似乎颠倒，未交换 (longitude and latitude columns look swapped; not fixed): " + why));
      }
    }
  }
  out.lon_column = names[static_cast<std::size_t>(lon)];
  out.lat_column = names[static_cast<std::size_t>(lat)];

  // Points; rows with bad coordinates are reported and skipped.
  std::vector<const Record*> kept;
  for (const Record* r : rows) {
    const std::string_view lon_text = field_of(*r, lon), lat_text = field_of(*r, lat);
    if (trim_ascii(lon_text).empty() && trim_ascii(lat_text).empty()) {
      core::Problem p =
          problem(r->line, out.lon_column + ", " + out.lat_column, "缺少坐标 (missing coordinates)");
      options.bad_rows_are_errors ? out.diagnostics.error(std::move(p)) : out.diagnostics.warn(std::move(p));
      ++out.rows_skipped;
      continue;
    }
    std::string lon_err, lat_err;
    const auto x = parse_coordinate(lon_text, Axis::Longitude, &lon_err);
    const auto y = parse_coordinate(lat_text, Axis::Latitude, &lat_err);
    if (!x || !y) {
      std::string field, what;
      if (!x) {
        field = out.lon_column;
        what = "经度 (longitude): " + lon_err;
      }
      if (!y) {
        field = field.empty() ? out.lat_column : field + ", " + out.lat_column;
        what += (what.empty() ? "" : "; ") + std::string("纬度 (latitude): ") + lat_err;
      }
      // A row swapped on its own: say so when the other order reads as a point in China.
      const auto sx = parse_coordinate(lat_text, Axis::Longitude, nullptr);
      const auto sy = parse_coordinate(lon_text, Axis::Latitude, nullptr);
      if (sx && sy && in_china(*sx, *sy))
        what += "; 这一行经纬度似乎颠倒 (this row's longitude and latitude look swapped)";
      core::Problem p = problem(r->line, field, what);
      options.bad_rows_are_errors ? out.diagnostics.error(std::move(p)) : out.diagnostics.warn(std::move(p));
      ++out.rows_skipped;
      continue;
    }
    if (r->fields.size() != header.fields.size()) {
      bool extra_nonempty = false;
      for (std::size_t j = header.fields.size(); j < r->fields.size(); ++j)
        if (!trim_ascii(r->fields[j]).empty()) extra_nonempty = true;
      if (r->fields.size() < header.fields.size() || extra_nonempty)
        out.diagnostics.warn(problem(r->line, "",
                                     "此行有 " + std::to_string(r->fields.size()) + " 个字段，表头有 " +
                                         std::to_string(header.fields.size()) + " 个 (row has " +
                                         std::to_string(r->fields.size()) + " fields, the header " +
                                         std::to_string(header.fields.size()) + ")"));
    }
    if (!in_china(*x, *y) && in_china(*y, *x))
      out.diagnostics.warn(
          problem(r->line, out.lon_column + ", " + out.lat_column,
                  "这一行经纬度似乎颠倒，未交换 (this row's longitude and latitude look swapped; not "
                  "changed): " +
                      std::string(trim_ascii(lon_text)) + ", " + std::string(trim_ascii(lat_text))));
    out.points.add_point_feature(core::Vec2{*x, *y});
    out.source_lines.push_back(r->line);
    kept.push_back(r);
  }
  if (kept.empty())
    out.diagnostics.error(problem(header.line, out.lon_column + ", " + out.lat_column,
                                  "没有一行坐标可用 (no row has usable coordinates)"));

  // Attribute columns, typed from every kept value.
  for (std::size_t j = 0; j < header.fields.size(); ++j) {
    if (static_cast<int>(j) == lon || static_cast<int>(j) == lat) continue;
    bool all_int = true, all_real = true, any = false;
    for (const Record* r : kept) {
      const std::string v = numeric_form(field_of(*r, static_cast<int>(j)));
      if (v.empty()) continue;
      any = true;
      if (all_int && !as_integer(v)) all_int = false;
      if (all_real && !as_real(v)) all_real = false;
      if (!all_real) break;
    }
    const core::FieldType type = !any       ? core::FieldType::Text
                                 : all_int  ? core::FieldType::Integer
                                 : all_real ? core::FieldType::Real
                                            : core::FieldType::Text;
    core::Column col;
    col.name = names[j];
    col.type = type;
    for (const Record* r : kept) {
      const std::string_view raw = field_of(*r, static_cast<int>(j));
      const std::string v = numeric_form(raw);
      if (v.empty()) {
        col.push_null();
      } else if (type == core::FieldType::Integer) {
        col.push_int(*as_integer(v));
      } else if (type == core::FieldType::Real) {
        col.push_real(*as_real(v));
      } else {
        col.push_text(std::string(trim_ascii(raw)));
      }
    }
    out.table.columns.push_back(std::move(col));
  }
  if (out.table.columns.empty()) out.table.set_rows_without_columns(kept.size());
  return out;
}

CsvPoints read_csv_points(const std::filesystem::path& path, const CsvOptions& options) {
  const std::string label = path.string();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec) || std::filesystem::is_directory(path, ec)) {
    CsvPoints out;
    out.points.kind = core::GeomKind::Point;
    core::Problem p;
    p.file = label;
    p.what = std::filesystem::is_directory(path, ec) ? "是目录而不是文件 (is a directory, not a file)"
                                                     : "文件不存在 (file not found)";
    out.diagnostics.error(std::move(p));
    return out;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in.is_open()) {
    CsvPoints out;
    out.points.kind = core::GeomKind::Point;
    core::Problem p;
    p.file = label;
    p.what = "无法读取文件 (cannot read the file)";
    out.diagnostics.error(std::move(p));
    return out;
  }
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return parse_csv_points(bytes, options, label);
}

}  // namespace kepumap::io
