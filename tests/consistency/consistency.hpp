#pragma once
// Readers and comparisons of the consistency test: a figure printed in two outputs is the same
// number at the precision each prints. Tables come from CSV (kepumap's UTF-8 with BOM), from
// GeoPackage layers and XLSX sheets through GDAL, text from pdftotext and the app's state dump.
#include <gdal.h>
#include <ogr_api.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "cli/cli_run.hpp"
#include "gui/gui_harness.hpp"

namespace kepumap::test::consistency {

namespace fs = std::filesystem;

/// A printed number: its value and half a unit of its last printed digit. "86.6 %" is 86.6 ± 0.05,
/// "29,978" is 29978 ± 0.5, "0.755" is 0.755 ± 0.0005. `ok` is false when `text` holds no number.
struct Printed {
  double value = 0.0, half = 0.0;
  bool ok = false;
};

inline Printed parse_printed(const std::string& text) {
  Printed p;
  std::string s;
  for (char c : text)
    if (c != ',' && c != ' ' && c != '%') s += c;
  if (s.empty()) return p;
  char* end = nullptr;
  p.value = std::strtod(s.c_str(), &end);
  if (end == s.c_str()) return p;
  const std::string num(s.c_str(), static_cast<std::size_t>(end - s.c_str()));
  const auto dot = num.find('.');
  const int decimals = dot == std::string::npos ? 0 : static_cast<int>(num.size() - dot - 1);
  p.half = 0.5 * std::pow(10.0, -decimals);
  p.ok = std::isfinite(p.value);
  return p;
}

/// True when `exact` prints as `printed` (times `scale`: 100 for a percentage of a fraction).
inline bool same_at(double exact, const std::string& printed, double scale = 1.0) {
  const Printed p = parse_printed(printed);
  return p.ok && std::abs(exact * scale - p.value) <= p.half * (1.0 + 1e-9) + 1e-12;
}

/// True when two printed figures can be the same number: their rounding intervals overlap.
/// `scale_a`, `scale_b` bring both to one unit (a share as 0.866 and as 86.6 %: 100 and 1).
inline bool same_printed(const std::string& a, const std::string& b, double scale_a = 1.0,
                         double scale_b = 1.0) {
  const Printed x = parse_printed(a), y = parse_printed(b);
  if (!x.ok || !y.ok) return false;
  return std::abs(x.value * scale_a - y.value * scale_b) <=
         (x.half * scale_a + y.half * scale_b) * (1.0 + 1e-9) + 1e-12;
}

/// A table read back from an output: header names and rows of texts.
struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  int col(const std::string& name) const {
    for (std::size_t i = 0; i < header.size(); ++i)
      if (header[i] == name) return static_cast<int>(i);
    return -1;
  }
  /// The cell of `column` in the first row whose column `key_col` is `key` ("" when absent).
  std::string at(const std::string& key, const std::string& column, int key_col = 0) const {
    const int c = col(column);
    if (c < 0) return {};
    for (const auto& r : rows)
      if (key_col < static_cast<int>(r.size()) && r[static_cast<std::size_t>(key_col)] == key)
        return c < static_cast<int>(r.size()) ? r[static_cast<std::size_t>(c)] : std::string();
    return {};
  }
};

/// A kepumap CSV (UTF-8 with BOM, RFC 4180 quoting, codes as ="…"), codes unwrapped.
inline Table read_csv(const fs::path& file) {
  std::string s = slurp(file);
  if (s.rfind("\xEF\xBB\xBF", 0) == 0) s = s.substr(3);
  std::vector<std::vector<std::string>> rows(1);
  std::string cell;
  bool quoted = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (quoted) {
      if (c == '"' && i + 1 < s.size() && s[i + 1] == '"') {
        cell += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().push_back(cell);
      cell.clear();
    } else if (c == '\n') {
      rows.back().push_back(cell);
      cell.clear();
      rows.emplace_back();
    } else if (c != '\r') {
      cell += c;
    }
  }
  if (!cell.empty() || !rows.back().empty()) rows.back().push_back(cell);
  if (rows.back().empty()) rows.pop_back();
  for (auto& r : rows)
    for (auto& c : r)
      if (c.size() > 3 && c.rfind("=\"", 0) == 0 && c.back() == '"') c = c.substr(2, c.size() - 3);
  Table t;
  if (rows.empty()) return t;
  t.header = rows.front();
  t.rows.assign(rows.begin() + 1, rows.end());
  return t;
}

/// A layer of a GeoPackage or a sheet of an XLSX workbook through GDAL (an XLSX sheet's first row
/// is its header); real numbers in full precision.
inline Table read_ogr(const fs::path& file, const std::string& layer) {
  Table t;
  GDALAllRegister();
  const char* xlsx_options[] = {"HEADERS=FORCE", "FIELD_TYPES=AUTO", nullptr};
  const bool xlsx = file.extension() == ".xlsx";
  GDALDatasetH ds = GDALOpenEx(file.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr,
                               xlsx ? xlsx_options : nullptr, nullptr);
  if (!ds) return t;
  if (OGRLayerH l = GDALDatasetGetLayerByName(ds, layer.c_str())) {
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(l);
    const int n = OGR_FD_GetFieldCount(defn);
    for (int i = 0; i < n; ++i) t.header.emplace_back(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i)));
    OGR_L_ResetReading(l);
    while (OGRFeatureH f = OGR_L_GetNextFeature(l)) {
      std::vector<std::string> row;
      for (int i = 0; i < n; ++i) {
        if (!OGR_F_IsFieldSetAndNotNull(f, i)) {
          row.emplace_back();
        } else if (OGR_Fld_GetType(OGR_FD_GetFieldDefn(defn, i)) == OFTReal) {
          char b[64];
          std::snprintf(b, sizeof b, "%.17g", OGR_F_GetFieldAsDouble(f, i));
          row.emplace_back(b);
        } else {
          row.emplace_back(OGR_F_GetFieldAsString(f, i));
        }
      }
      t.rows.push_back(std::move(row));
      OGR_F_Destroy(f);
    }
  }
  GDALClose(ds);
  return t;
}

/// Number of features of a layer, the first one when `layer` is "" (-1 when the file or layer
/// cannot be read).
inline long long feature_count(const fs::path& file, const std::string& layer) {
  GDALAllRegister();
  GDALDatasetH ds = GDALOpenEx(file.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr);
  if (!ds) return -1;
  long long n = -1;
  if (OGRLayerH l = layer.empty() ? GDALDatasetGetLayer(ds, 0) : GDALDatasetGetLayerByName(ds, layer.c_str()))
    n = OGR_L_GetFeatureCount(l, TRUE);
  GDALClose(ds);
  return n;
}

/// The text of a PDF as pdftotext -layout extracts it.
inline std::string pdf_text(const fs::path& pdf) {
  return gui::capture("pdftotext -layout " + shell_quote(pdf.string()) + " - 2>/dev/null");
}

inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

inline std::vector<std::string> words_of(const std::string& line) {
  std::vector<std::string> out;
  std::istringstream in(line);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

/// The rest of the first line of `text` containing `key`, after it ("" when none).
inline std::string after(const std::string& text, const std::string& key) {
  for (const auto& l : lines_of(text))
    if (const auto p = l.find(key); p != std::string::npos) return l.substr(p + key.size());
  return {};
}

/// The first whitespace-separated word of `s`.
inline std::string first_word(const std::string& s) {
  const auto w = words_of(s);
  return w.empty() ? std::string() : w.front();
}

/// The number right after `"key": ` in a JSON text, from `from` on (NaN when absent).
inline double json_number(const std::string& json, const std::string& key, std::size_t from = 0,
                          std::size_t* end = nullptr) {
  const std::string k = "\"" + key + "\": ";
  const auto p = json.find(k, from);
  if (p == std::string::npos) return std::nan("");
  char* e = nullptr;
  const double v = std::strtod(json.c_str() + p + k.size(), &e);
  if (end) *end = static_cast<std::size_t>(e - json.c_str());
  return v;
}

/// A unit of the app's dump ("units" in "session").
struct DumpUnit {
  std::string name;
  double population = 0, covered_any = 0, gap = 0;
  std::vector<double> covered;
};

/// The units of one level of the app's dumped session.
inline std::vector<DumpUnit> dump_units(const std::string& json, const std::string& level) {
  std::vector<DumpUnit> out;
  const auto units = json.find("\"units\": {");
  if (units == std::string::npos) return out;
  auto at = json.find("\"" + level + "\": [", units);
  if (at == std::string::npos) return out;
  while (true) {
    const auto obj = json.find("{\"name\": \"", at);
    const auto close = json.find("}]", at);
    if (obj == std::string::npos || (close != std::string::npos && obj > close)) break;
    DumpUnit u;
    const auto q = obj + 10;
    u.name = json.substr(q, json.find('"', q) - q);
    std::size_t e = q;
    u.population = json_number(json, "population", q, &e);
    const auto cov = json.find("\"covered\": [", e) + 12;
    const auto cov_end = json.find(']', cov);
    std::istringstream in(json.substr(cov, cov_end - cov));
    for (std::string w; std::getline(in, w, ',');) u.covered.push_back(std::strtod(w.c_str(), nullptr));
    u.covered_any = json_number(json, "covered_any", cov_end, &e);
    u.gap = json_number(json, "gap", e, &e);
    out.push_back(std::move(u));
    at = e;
  }
  return out;
}

}  // namespace kepumap::test::consistency
