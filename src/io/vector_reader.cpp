#include "io/vector_reader.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "geo/crs.hpp"
#include "geo/geos_ops.hpp"
#include "io/csv_points.hpp"
#include "io/errors.hpp"
#include "io/gdal_handle.hpp"
#include "io/project.hpp"
#include "io/text.hpp"

namespace kepumap::io {

namespace {

namespace fs = std::filesystem;
using core::GeomKind;
using core::Vec2;

/// At most this many dropped features are named one by one per layer; the rest are counted.
constexpr std::size_t k_max_named_drops = 10;

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string extension_of(const std::string& source) {
  return lower(fs::path(reinterpret_cast<const char8_t*>(source.c_str())).extension().string());
}

bool is_connection_string(const std::string& source) {
  return source.rfind("PG:", 0) == 0 || source.find("://") != std::string::npos ||
         source.rfind("/vsi", 0) == 0;
}

core::Problem problem(const std::string& file, const std::string& layer, long long feature,
                      std::string what) {
  core::Problem p;
  p.file = file;
  p.layer = layer;
  p.feature = feature;
  p.what = std::move(what);
  return p;
}

GeomKind kind_of(OGRwkbGeometryType t) {
  switch (wkbFlatten(t)) {
    case wkbPoint:
    case wkbMultiPoint:
      return GeomKind::Point;
    case wkbLineString:
    case wkbMultiLineString:
    case wkbLinearRing:
    case wkbCircularString:
    case wkbCompoundCurve:
    case wkbMultiCurve:
      return GeomKind::Line;
    case wkbPolygon:
    case wkbMultiPolygon:
    case wkbCurvePolygon:
    case wkbMultiSurface:
    case wkbTriangle:
    case wkbTIN:
    case wkbPolyhedralSurface:
      return GeomKind::Polygon;
    default:
      return GeomKind::None;
  }
}

/// Appends one OGR geometry (already linear) to flat storage in its own coordinates.
/// Returns false if it holds a non-finite coordinate or an unsupported/mixed collection.
class GeometryAppender {
 public:
  explicit GeometryAppender(core::Geometries& g) : m_g(g) {}

  /// Appends the parts of `geom` of kind `kind`; returns the number of parts added, -1 when a
  /// member has another kind (mixed collection).
  int append(const OGRGeometry& geom, GeomKind kind) {
    const auto t = wkbFlatten(geom.getGeometryType());
    if (geom.IsEmpty()) return 0;
    switch (t) {
      case wkbPoint: {
        if (kind != GeomKind::Point) return -1;
        const auto& p = *geom.toPoint();
        const Vec2 v{p.getX(), p.getY()};
        m_g.add_ring(std::span<const Vec2>(&v, 1));
        m_g.end_part();
        return 1;
      }
      case wkbLineString:
      case wkbLinearRing: {
        if (kind != GeomKind::Line) return -1;
        add_curve(*geom.toSimpleCurve());
        m_g.end_part();
        return 1;
      }
      case wkbPolygon:
      case wkbTriangle: {
        if (kind != GeomKind::Polygon) return -1;
        const auto& poly = *geom.toPolygon();
        if (!poly.getExteriorRing() || poly.getExteriorRing()->IsEmpty()) return 0;
        add_curve(*poly.getExteriorRing());
        for (int i = 0; i < poly.getNumInteriorRings(); ++i)
          if (!poly.getInteriorRing(i)->IsEmpty()) add_curve(*poly.getInteriorRing(i));
        m_g.end_part();
        return 1;
      }
      case wkbMultiPoint:
      case wkbMultiLineString:
      case wkbMultiPolygon:
      case wkbGeometryCollection:
      case wkbTIN:
      case wkbPolyhedralSurface: {
        const auto& coll = *geom.toGeometryCollection();
        int parts = 0;
        for (int i = 0; i < coll.getNumGeometries(); ++i) {
          const int n = append(*coll.getGeometryRef(i), kind);
          if (n < 0) return -1;
          parts += n;
        }
        return parts;
      }
      default:
        return -1;
    }
  }

 private:
  void add_curve(const OGRSimpleCurve& c) {
    const int n = c.getNumPoints();
    m_buf.resize(static_cast<std::size_t>(n));
    if (n > 0) c.getPoints(&m_buf[0].x, sizeof(Vec2), &m_buf[0].y, sizeof(Vec2));
    m_g.add_ring(m_buf);
  }
  core::Geometries& m_g;
  std::vector<Vec2> m_buf;
};

/// Kind of the first non-empty member of a collection (for GeometryCollection layers).
GeomKind first_member_kind(const OGRGeometry& geom) {
  const auto t = wkbFlatten(geom.getGeometryType());
  if (t != wkbGeometryCollection) return kind_of(t);
  const auto& coll = *geom.toGeometryCollection();
  for (int i = 0; i < coll.getNumGeometries(); ++i) {
    const GeomKind k = first_member_kind(*coll.getGeometryRef(i));
    if (k != GeomKind::None) return k;
  }
  return GeomKind::None;
}

std::string geometry_type_name(OGRwkbGeometryType t) { return OGRGeometryTypeToName(wkbFlatten(t)); }

/// Removes everything appended after the given sizes (a feature being dropped).
void truncate_geometry(core::Geometries& g, std::size_t coords, std::size_t rings, std::size_t parts) {
  g.coords.resize(coords);
  g.ring_coords.resize(rings);
  g.part_rings.resize(parts);
}

bool all_finite(std::span<const Vec2> pts) {
  return std::all_of(pts.begin(), pts.end(),
                     [](const Vec2& v) { return std::isfinite(v.x) && std::isfinite(v.y); });
}

/// The source CRS as a definition for geo::Transform and a short name.
struct SourceCrs {
  std::string def;  // empty = none
  std::string name;
  bool geographic = false;
};

SourceCrs describe_srs(const OGRSpatialReference* srs) {
  SourceCrs out;
  if (!srs || srs->IsEmpty()) return out;
  OGRSpatialReference copy(*srs);
  const char* auth = copy.GetAuthorityName(nullptr);
  const char* code = copy.GetAuthorityCode(nullptr);
  if (!(auth && code)) {
    copy.AutoIdentifyEPSG();
    auth = copy.GetAuthorityName(nullptr);
    code = copy.GetAuthorityCode(nullptr);
  }
  out.geographic = copy.IsGeographic();
  if (auth && code && std::string(auth) == "EPSG") {
    out.def = "EPSG:" + std::string(code);
  } else {
    char* wkt = nullptr;
    const char* options[] = {"FORMAT=WKT2_2018", nullptr};
    if (copy.exportToWkt(&wkt, options) == OGRERR_NONE && wkt) out.def = wkt;
    CPLFree(wkt);
  }
  out.name = detail::srs_display_name(copy);
  return out;
}

std::string cannot_open_text(const detail::ErrorCapture& errors, bool connection) {
  std::string why = errors.last_failure();
  for (auto& c : why)
    if (c == '\t') c = ' ';
  while (!why.empty() && why.back() == ' ') why.pop_back();
  const std::string head = connection ? "cannot open the data source (无法连接或打开数据源)"
                                      : "cannot open: the file is damaged, truncated or not vector data GDAL "
                                        "reads (无法读取：文件损坏或格式不支持)";
  return head + (why.empty() ? std::string{} : ": " + why);
}

bool is_lonlat_def(const std::string& def) { return geo::is_gcj02(def) || geo::is_bd09(def); }

/// Decodes every text value and column name of a table read raw, with the given encoding.
void decode_table(core::Table& t, const std::string& encoding) {
  for (auto& c : t.columns) {
    c.name = to_utf8(c.name, encoding);
    if (c.type != core::FieldType::Text) continue;
    for (auto& s : c.texts)
      if (!s.empty()) s = to_utf8(s, encoding);
  }
}

/// True if every text value and column name is valid UTF-8; `sample` receives invalid values.
bool table_is_utf8(const core::Table& t, std::string* sample) {
  bool ok = true;
  for (const auto& c : t.columns) {
    if (!is_valid_utf8(c.name)) {
      ok = false;
      *sample += c.name;
    }
    if (c.type != core::FieldType::Text) continue;
    for (const auto& s : c.texts)
      if (!is_valid_utf8(s)) {
        ok = false;
        if (sample->size() < 65536) *sample += s;
      }
  }
  return ok;
}

/// Checks that each mapped field names an existing attribute (error with suggestions if not).
bool check_fields(const core::Layer& layer, const std::string& file, core::Diagnostics& diag) {
  const auto& f = layer.fields;
  const std::pair<const char*, const std::string*> mapped[] = {{"name", &f.name},
                                                               {"name_en", &f.name_en},
                                                               {"code", &f.code},
                                                               {"population", &f.population},
                                                               {"level", &f.level},
                                                               {"capacity", &f.capacity},
                                                               {"road_class", &f.road_class},
                                                               {"speed", &f.speed},
                                                               {"pastoral", &f.pastoral},
                                                               {"oneway", &f.oneway}};
  std::vector<std::string_view> names;
  for (const auto& c : layer.attrs.columns) names.push_back(c.name);
  bool ok = true;
  for (const auto& [key, attr] : mapped) {
    if (attr->empty() || layer.attrs.find(*attr) >= 0) continue;
    std::string avail;
    for (const auto& n : names) avail += (avail.empty() ? "" : ", ") + std::string(n);
    const std::string best = closest_match(*attr, names);
    core::Problem p = problem(file, layer.name, -1,
                              "fields." + std::string(key) + " names attribute '" + *attr +
                                  "', which the layer does not have" +
                                  (best.empty() ? std::string{} : " (did you mean '" + best + "'?)") +
                                  "; attributes: " + (avail.empty() ? std::string("none") : avail));
    p.field = *attr;
    diag.error(std::move(p));
    ok = false;
  }
  return ok;
}

/// Flattens GDAL's message (which spans lines, with a caret line) to one line.
std::string one_line(const std::string& why) {
  std::string flat;
  for (char c : why) {
    const bool space = c == ' ' || c == '\n' || c == '\r' || c == '\t';
    if (space && (flat.empty() || flat.back() == ' ')) continue;
    flat.push_back(space ? ' ' : c);
  }
  while (!flat.empty() && flat.back() == ' ') flat.pop_back();
  return flat;
}

/// The rows of `table` that pass the OGR SQL attribute filter `where`, in order, evaluated by
/// GDAL's own SQL engine over an in-memory copy of the columns (so a CSV point table filters
/// exactly as a GeoPackage or shapefile layer would). nullopt with GDAL's reason in `why` if
/// GDAL rejects the expression.
std::optional<std::vector<std::size_t>> rows_passing(const core::Table& table, const std::string& where,
                                                     std::string& why) {
  GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("Memory");
  if (!mem) {
    why = "GDAL has no Memory driver";
    return std::nullopt;
  }
  detail::DatasetPtr ds(mem->Create("", 0, 0, 0, GDT_Unknown, nullptr));
  OGRLayer* lyr = ds ? ds->CreateLayer("csv", nullptr, wkbNone, nullptr) : nullptr;
  if (!lyr) {
    why = "GDAL could not make an in-memory table";
    return std::nullopt;
  }
  for (const auto& c : table.columns) {
    const OGRFieldType t = c.type == core::FieldType::Integer ? OFTInteger64
                           : c.type == core::FieldType::Real  ? OFTReal
                                                              : OFTString;
    OGRFieldDefn def(c.name.c_str(), t);
    lyr->CreateField(&def);
  }
  const std::size_t rows = table.row_count();
  for (std::size_t r = 0; r < rows; ++r) {
    OGRFeatureUniquePtr f(OGRFeature::CreateFeature(lyr->GetLayerDefn()));
    f->SetFID(static_cast<GIntBig>(r));
    for (std::size_t ci = 0; ci < table.columns.size(); ++ci) {
      const auto& c = table.columns[ci];
      const int i = static_cast<int>(ci);
      if (c.is_null(r)) {
        f->SetFieldNull(i);
      } else if (c.type == core::FieldType::Integer) {
        f->SetField(i, static_cast<GIntBig>(c.ints[r]));
      } else if (c.type == core::FieldType::Real) {
        f->SetField(i, c.reals[r]);
      } else {
        f->SetField(i, c.texts[r].c_str());
      }
    }
    if (lyr->CreateFeature(f.get()) != OGRERR_NONE) {
      why = "GDAL could not copy row " + std::to_string(r + 2) + " into its in-memory table";
      return std::nullopt;
    }
  }
  detail::ErrorCapture filter_errors;
  if (lyr->SetAttributeFilter(where.c_str()) != OGRERR_NONE) {
    why = one_line(filter_errors.last_failure());
    return std::nullopt;
  }
  std::vector<std::size_t> kept;
  lyr->ResetReading();
  for (OGRFeatureUniquePtr f(lyr->GetNextFeature()); f; f.reset(lyr->GetNextFeature()))
    kept.push_back(static_cast<std::size_t>(f->GetFID()));
  std::sort(kept.begin(), kept.end());
  return kept;
}

/// Keeps only `rows` (ascending) of a CSV point layer: points, attributes and source lines.
void keep_rows(core::Layer& layer, const std::vector<std::size_t>& rows) {
  core::Geometries g;
  g.kind = GeomKind::Point;
  core::Table t;
  for (const auto& c : layer.attrs.columns) t.columns.push_back(core::Column{c.name, c.type, {}, {}, {}, {}});
  std::vector<long long> index;
  for (std::size_t r : rows) {
    const auto f = static_cast<core::FeatureId>(r);
    for (auto part = layer.geom.parts_begin(f); part < layer.geom.parts_end(f); ++part) {
      for (auto ring = layer.geom.rings_begin(part); ring < layer.geom.rings_end(part); ++ring)
        g.add_ring(layer.geom.ring(ring));
      g.end_part();
    }
    g.end_feature();
    for (std::size_t ci = 0; ci < t.columns.size(); ++ci) {
      const auto& from = layer.attrs.columns[ci];
      auto& to = t.columns[ci];
      if (from.is_null(r))
        to.push_null();
      else if (from.type == core::FieldType::Integer)
        to.push_int(from.ints[r]);
      else if (from.type == core::FieldType::Real)
        to.push_real(from.reals[r]);
      else
        to.push_text(from.texts[r]);
    }
    if (r < layer.source_index.size()) index.push_back(layer.source_index[r]);
  }
  if (t.columns.empty()) t.set_rows_without_columns(rows.size());
  layer.geom = std::move(g);
  layer.attrs = std::move(t);
  layer.source_index = std::move(index);
}

/// Reads a CSV point table through io-text's reader.
std::optional<core::Layer> read_csv_layer(const std::string& source, const VectorReadOptions& opts,
                                          core::Diagnostics& diag) {
  CsvOptions co;
  co.encoding = opts.encoding;
  co.lon_column = opts.fields.lon;
  co.lat_column = opts.fields.lat;
  CsvPoints csv = read_csv_points(fs::path(reinterpret_cast<const char8_t*>(source.c_str())), co);
  const std::string label = opts.label.empty()
                                ? fs::path(reinterpret_cast<const char8_t*>(source.c_str())).stem().string()
                                : opts.label;
  bool failed = false;
  for (auto p : csv.diagnostics.problems) {
    if (p.layer.empty()) p.layer = label;
    if (p.severity == core::Severity::Error) failed = true;
    diag.problems.push_back(std::move(p));
  }
  if (failed) return std::nullopt;
  core::Layer layer;
  layer.name = label;
  layer.role = opts.role;
  layer.fields = opts.fields;
  layer.geom = std::move(csv.points);
  layer.geom.kind = GeomKind::Point;
  layer.attrs = std::move(csv.table);
  for (int line : csv.source_lines) layer.source_index.push_back(line - 2);
  auto& r = layer.report;
  r.source = source;
  r.source_layer = label;
  r.driver = "CSV";
  r.geometry_type = "Point";
  r.encoding = csv.encoding;
  r.features_read = csv.rows_read;
  r.features_dropped = csv.rows_skipped;
  if (layer.geom.feature_count() == 0) {
    diag.error(
        problem(source, label, -1, "no points: the table has no rows with coordinates (没有可用的坐标行)"));
    return std::nullopt;
  }
  if (!opts.where.empty()) {
    // The project's filter, by GDAL's SQL engine as for every other vector source.
    std::string why;
    const auto kept = rows_passing(layer.attrs, opts.where, why);
    if (!kept) {
      core::Problem p;
      p.file = opts.project_file.empty() ? source : opts.project_file;
      p.line = opts.where_line;
      p.layer = label;
      p.field = "where";
      p.what = "GDAL rejects the filter where = \"" + opts.where + "\" (筛选条件无效)" +
               (why.empty() ? std::string{} : ": " + why);
      diag.error(std::move(p));
      return std::nullopt;
    }
    if (kept->empty()) {
      core::Problem p = problem(
          source, label, -1,
          "no row passes where = \"" + opts.where + "\" (筛选后没有要素)" +
              (opts.project_file.empty()
                   ? std::string{}
                   : " at " + opts.project_file +
                         (opts.where_line > 0 ? ":" + std::to_string(opts.where_line) : std::string{})));
      p.field = "where";
      diag.error(std::move(p));
      return std::nullopt;
    }
    keep_rows(layer, *kept);
    // As for GDAL sources: "read" counts the rows that pass the filter (and those dropped for
    // bad coordinates, which the filter never saw).
    r.features_read = kept->size() + csv.rows_skipped;
  }
  // CSV coordinates are degrees in whatever the author used: WGS84 unless the project says otherwise.
  SourceCrs crs;
  if (!opts.crs.empty()) {
    crs.def = opts.crs;
    crs.name = geo::crs_short_name(opts.crs);
  } else {
    crs.def = "EPSG:4326";
    crs.name = "EPSG:4326 WGS 84 (CSV degrees, assumed)";
  }
  r.source_crs = crs.name;
  if (crs.def != "EPSG:4326") {
    try {
      geo::Transform tr(crs.def, "EPSG:4326");
      if (!tr.apply(layer.geom.coords)) {
        diag.error(problem(source, label, -1, "some coordinates could not be converted from " + crs.name));
        return std::nullopt;
      }
    } catch (const geo::CrsError& e) {
      core::Problem p = problem(source, label, -1, std::string("CRS not understood: ") + e.what());
      p.field = "crs";
      diag.error(std::move(p));
      return std::nullopt;
    }
  }
  r.extent_lonlat = layer.geom.bbox();
  if (!check_fields(layer, source, diag)) return std::nullopt;
  return layer;
}

/// A vector source opened for reading, with how its attribute text is to be decoded.
struct Opened {
  detail::DatasetPtr ds;
  std::string driver;
  bool shapefile = false;
  bool has_cpg = false;
  bool raw = false;  // Shapefile opened with ENCODING="": text is raw bytes, decoded here
  std::string cpg_text;
};

/// Opens a (non-CSV) vector source; an error in `diag` and nullopt if it cannot be opened.
std::optional<Opened> open_vector(const std::string& source, const VectorReadOptions& opts,
                                  const std::string& label, core::Diagnostics& diag) {
  const std::string ext = extension_of(source);
  const fs::path src_path(reinterpret_cast<const char8_t*>(source.c_str()));
  // Shapefiles without a .cpg (or with a forced encoding): read the attribute bytes raw and decode here.
  const bool shapefile = ext == ".shp" || ext == ".dbf";
  bool has_cpg = false;
  std::string cpg_text;
  if (shapefile) {
    for (const char* e : {".cpg", ".CPG"}) {
      fs::path cpg = src_path;
      cpg.replace_extension(e);
      if (fs::exists(cpg)) {
        std::ifstream in(cpg, std::ios::binary);
        std::getline(in, cpg_text);
        while (!cpg_text.empty() && std::isspace(static_cast<unsigned char>(cpg_text.back())))
          cpg_text.pop_back();
        has_cpg = true;
        break;
      }
    }
  }
  const bool raw = shapefile && (!has_cpg || !opts.encoding.empty());

  detail::ErrorCapture errors;
  detail::StringList open_options;
  if (raw) open_options.add("ENCODING=");
  Opened o;
  o.shapefile = shapefile;
  o.has_cpg = has_cpg;
  o.cpg_text = cpg_text;
  o.raw = raw;
  o.ds.reset(static_cast<GDALDataset*>(
      GDALOpenEx(source.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, open_options.get(), nullptr)));
  if (!o.ds) {
    diag.error(problem(source, label, -1, cannot_open_text(errors, is_connection_string(source))));
    return std::nullopt;
  }
  o.driver = o.ds->GetDriver() ? o.ds->GetDriver()->GetDescription() : "";
  return o;
}

/// Whether an OSM `lines` column is kept for a road layer.
bool osm_road_column(const std::string& name, const core::FieldMap& f) {
  if (name == "osm_id" || name == "name" || name == "highway" || name == "other_tags") return true;
  for (const std::string* m : {&f.name, &f.name_en, &f.code, &f.road_class, &f.speed, &f.oneway})
    if (*m == name) return true;
  return false;
}

/// Reads one layer of an opened source into lon/lat (see read_vector_lonlat).
/// `empty_is_error`: a layer without features is an error (else a warning and nullopt).
std::optional<core::Layer> read_layer(Opened& opened, OGRLayer* lyr, const std::string& source,
                                      const VectorReadOptions& opts, std::string label,
                                      core::Diagnostics& diag, bool empty_is_error = true) {
  if (label.empty()) label = lyr->GetName();
  const std::string& driver = opened.driver;
  const bool shapefile = opened.shapefile, has_cpg = opened.has_cpg, raw = opened.raw;
  const std::string& cpg_text = opened.cpg_text;
  detail::ErrorCapture errors;
  core::Layer layer;
  layer.name = label;
  layer.role = opts.role;
  layer.fields = opts.fields;
  auto& rep = layer.report;
  rep.source = source;
  rep.source_layer = lyr->GetName();
  rep.driver = driver;

  // Attribute columns from the layer definition. OSM road lines keep only the columns roads
  // use (osm_id, name, highway, other_tags and mapped fields): waterway, railway, ... are empty
  // on highway ways and would cost memory on a large extract.
  OGRFeatureDefn* defn = lyr->GetLayerDefn();
  const int nfields = defn->GetFieldCount();
  const bool osm_roads =
      driver == "OSM" && opts.role == core::Role::Road && defn->GetFieldIndex("highway") >= 0;
  std::vector<OGRFieldType> ftypes(static_cast<std::size_t>(nfields));
  std::vector<int> col_of(static_cast<std::size_t>(nfields), -1);
  std::vector<std::string> ignored;
  for (int i = 0; i < nfields; ++i) {
    const OGRFieldDefn* fd = defn->GetFieldDefn(i);
    const std::string name = fd->GetNameRef();
    if (osm_roads && !osm_road_column(name, opts.fields)) {
      ignored.push_back(name);
      continue;
    }
    ftypes[static_cast<std::size_t>(i)] = fd->GetType();
    core::FieldType t = core::FieldType::Text;
    if (fd->GetType() == OFTInteger || fd->GetType() == OFTInteger64) t = core::FieldType::Integer;
    if (fd->GetType() == OFTReal) t = core::FieldType::Real;
    col_of[static_cast<std::size_t>(i)] = static_cast<int>(layer.attrs.columns.size());
    layer.attrs.add_column(fd->GetNameRef(), t);
  }
  if (!ignored.empty()) {
    detail::StringList list;
    for (const auto& n : ignored) list.add(n.c_str());
    lyr->SetIgnoredFields(const_cast<const char**>(list.get()));
  }

  core::Geometries& g = layer.geom;
  GeometryAppender appender(g);
  long long index = -1;
  std::size_t zm = 0, named_drops = 0;
  long long first_kind_feature = -1;
  std::string first_kind_type;
  std::size_t failures_before = errors.failures();
  if (driver == "OSM") {
    // OSM files interleave layers: parse only this one so no other layer's features pile up.
    const std::string sql = "SET interest_layers = " + std::string(lyr->GetName());
    opened.ds->ReleaseResultSet(opened.ds->ExecuteSQL(sql.c_str(), nullptr, nullptr));
    opened.ds->ResetReading();
  }
  // The attribute filter: the project's `where`, and for OSM roads only ways with a highway tag.
  auto reject_filter = [&](const std::string& why) {
    const std::string flat = one_line(why);
    core::Problem p;
    p.file = opts.project_file.empty() ? source : opts.project_file;
    p.line = opts.where_line;
    p.layer = label;
    p.field = "where";
    p.what = "GDAL rejects the filter where = \"" + opts.where + "\" (筛选条件无效)" +
             (flat.empty() ? std::string{} : ": " + flat);
    diag.error(std::move(p));
  };
  bool filtered = false;
  {
    std::string filter = opts.where;
    if (osm_roads)
      filter =
          filter.empty() ? std::string("highway IS NOT NULL") : "(highway IS NOT NULL) AND (" + filter + ")";
    if (!filter.empty()) {
      detail::ErrorCapture filter_errors;
      if (lyr->SetAttributeFilter(filter.c_str()) != OGRERR_NONE) {
        reject_filter(filter_errors.last_failure());
        return std::nullopt;
      }
      filtered = true;
    }
  }
  lyr->ResetReading();
  for (;;) {
    detail::FeaturePtr f(lyr->GetNextFeature());
    if (errors.failures() > failures_before && filtered && index < 0) {
      // Some drivers (GeoPackage, SQLite) accept any filter and fail on the first read: if the
      // layer reads without the filter, the filter is what is wrong.
      const std::string why = errors.last_failure();
      lyr->SetAttributeFilter(nullptr);
      lyr->ResetReading();
      const std::size_t before_retry = errors.failures();
      detail::FeaturePtr probe(lyr->GetNextFeature());
      if (errors.failures() == before_retry) {
        reject_filter(why);
        return std::nullopt;
      }
    }
    if (errors.failures() > failures_before) {
      diag.error(problem(source, label, index + 1,
                         "the file is damaged or truncated, reading stopped here (文件损坏或不完整): " +
                             errors.last_failure()));
      return std::nullopt;
    }
    if (!f) break;
    ++index;
    ++rep.features_read;
    const OGRGeometry* geom = f->GetGeometryRef();
    std::string drop_reason;
    detail::GeometryPtr linear;
    if (!geom) {
      drop_reason = "no geometry (NULL), dropped (几何为空，已忽略)";
    } else if (geom->IsEmpty()) {
      const bool nan_point =
          wkbFlatten(geom->getGeometryType()) == wkbPoint &&
          (!std::isfinite(geom->toPoint()->getX()) || !std::isfinite(geom->toPoint()->getY()));
      drop_reason = nan_point ? "NaN or infinite coordinates, dropped (坐标无效，已忽略)"
                              : "empty geometry, dropped (几何为空，已忽略)";
    } else {
      if (geom->hasCurveGeometry()) {
        linear.reset(geom->getLinearGeometry());
        geom = linear.get();
      }
      if (geom->Is3D() || geom->IsMeasured()) ++zm;
      GeomKind k = kind_of(geom->getGeometryType());
      if (k == GeomKind::None) k = first_member_kind(*geom);
      if (k == GeomKind::None) {
        drop_reason =
            "geometry type " + geometry_type_name(geom->getGeometryType()) + " not supported, dropped";
      } else if (g.kind == GeomKind::None) {
        g.kind = k;
        first_kind_feature = index;
        first_kind_type = geometry_type_name(geom->getGeometryType());
      } else if (k != g.kind) {
        diag.error(problem(source, label, index,
                           "mixed geometry types in one layer (一个图层中几何类型混杂): this feature is a " +
                               geometry_type_name(geom->getGeometryType()) + " but feature " +
                               std::to_string(first_kind_feature) + " is a " + first_kind_type +
                               "; split the layer by geometry type"));
        return std::nullopt;
      }
      if (drop_reason.empty()) {
        const std::size_t c0 = g.coords.size(), r0 = g.ring_coords.size(), p0 = g.part_rings.size();
        const int parts = appender.append(*geom, g.kind);
        if (parts < 0) {
          diag.error(problem(source, label, index,
                             "mixed geometry types inside one geometry collection (几何集合中类型混杂)"));
          return std::nullopt;
        }
        if (parts == 0) {
          drop_reason = "empty geometry, dropped (几何为空，已忽略)";
        } else if (!all_finite(std::span<const Vec2>(g.coords.data() + c0, g.coords.size() - c0))) {
          drop_reason = "NaN or infinite coordinates, dropped (坐标无效，已忽略)";
        }
        if (!drop_reason.empty()) truncate_geometry(g, c0, r0, p0);
      }
    }
    if (!drop_reason.empty()) {
      ++rep.features_dropped;
      if (named_drops++ < k_max_named_drops) diag.warn(problem(source, label, index, drop_reason));
      continue;
    }
    g.end_feature();
    layer.source_index.push_back(index);

    for (int i = 0; i < nfields; ++i) {
      if (col_of[static_cast<std::size_t>(i)] < 0) continue;
      auto& col = layer.attrs.columns[static_cast<std::size_t>(col_of[static_cast<std::size_t>(i)])];
      if (!f->IsFieldSetAndNotNull(i)) {
        col.push_null();
        continue;
      }
      switch (ftypes[static_cast<std::size_t>(i)]) {
        case OFTInteger:
        case OFTInteger64:
          col.push_int(f->GetFieldAsInteger64(i));
          break;
        case OFTReal:
          col.push_real(f->GetFieldAsDouble(i));
          break;
        default:
          col.push_text(f->GetFieldAsString(i));
          break;
      }
    }
  }
  if (layer.attrs.columns.empty()) layer.attrs.set_rows_without_columns(g.feature_count());
  if (named_drops > k_max_named_drops)
    diag.warn(problem(source, label, -1,
                      std::to_string(named_drops - k_max_named_drops) +
                          " more features dropped for empty or invalid geometry"));
  if (zm > 0)
    diag.warn(problem(
        source, label, -1,
        std::to_string(zm) + " features have Z or M coordinates; read as 2-D, Z/M dropped (已按二维读取)"));

  if (osm_roads && g.feature_count() == 0) {
    core::Problem p =
        problem(source, label, -1,
                "no ways with a highway tag (没有道路：文件中没有带 highway 标签的线)" +
                    std::string(opts.where.empty() ? "" : " that pass where = \"" + opts.where + "\"") +
                    "; is this the right OSM file?");
    p.field = "highway";
    diag.error(std::move(p));
    return std::nullopt;
  }
  if (g.feature_count() == 0 && rep.features_read == 0 && !empty_is_error) {
    diag.warn(problem(source, label, -1, "the layer is empty, skipped (图层为空，已跳过)"));
    return std::nullopt;
  }
  if (g.feature_count() == 0 && rep.features_read == 0 && !opts.where.empty()) {
    // Empty because of the project's filter: name the filter, where it is written.
    core::Problem p = problem(
        source, label, -1,
        "no feature passes where = \"" + opts.where + "\" (筛选后没有要素)" +
            (opts.project_file.empty()
                 ? std::string{}
                 : " at " + opts.project_file +
                       (opts.where_line > 0 ? ":" + std::to_string(opts.where_line) : std::string{})));
    p.field = "where";
    diag.error(std::move(p));
    return std::nullopt;
  }
  if (g.feature_count() == 0) {
    diag.error(problem(source, label, -1,
                       rep.features_read == 0
                           ? "the layer is empty: no features (图层为空)"
                           : "no usable features: all " + std::to_string(rep.features_read) +
                                 " were dropped (没有可用要素)"));
    return std::nullopt;
  }
  rep.geometry_type = first_kind_type;
  {
    const auto gt = wkbFlatten(lyr->GetGeomType());
    if (gt != wkbUnknown && gt != wkbNone)
      rep.geometry_type = OGRGeometryTypeToName(gt);
    else if (g.kind == GeomKind::Polygon)
      rep.geometry_type = "Polygon/MultiPolygon";
    else if (g.kind == GeomKind::Line)
      rep.geometry_type = "LineString/MultiLineString";
    else if (g.kind == GeomKind::Point)
      rep.geometry_type = "Point/MultiPoint";
  }

  // Attribute encoding.
  {
    std::string forced = opts.encoding;
    std::string sample;
    const bool utf8 = table_is_utf8(layer.attrs, &sample);
    try {
      if (!forced.empty() && (raw || !utf8)) {
        decode_table(layer.attrs, forced);
        rep.encoding = canonical_encoding(forced) + " (set in the project)";
      } else if (shapefile && has_cpg && !raw) {
        rep.encoding = (cpg_text.empty() ? std::string("?") : cpg_text) + " (from the .cpg file)";
      } else if (utf8) {
        rep.encoding = raw ? "UTF-8 (detected: all text is valid UTF-8; no .cpg)" : "UTF-8";
      } else {
        const std::string enc = detect_encoding(sample);
        decode_table(layer.attrs, enc);
        rep.encoding =
            enc + " (detected: text is not valid UTF-8" + std::string(shapefile ? "; no .cpg" : "") + ")";
        if (shapefile)
          diag.warn(problem(source, label, -1,
                            "no .cpg file; attributes decoded as " + enc +
                                " (detected). Set encoding = \"...\" if the text looks wrong"));
      }
    } catch (const std::invalid_argument& e) {
      core::Problem p = problem(source, label, -1, "unknown encoding '" + forced + "': " + e.what());
      p.field = "encoding";
      diag.error(std::move(p));
      return std::nullopt;
    }
  }
  if (!check_fields(layer, source, diag)) return std::nullopt;

  // Coordinate system: the override, the source's, or WGS84 when the numbers look like degrees.
  SourceCrs crs;
  const core::BBox raw_box = g.bbox();
  if (!opts.crs.empty()) {
    crs.def = opts.crs;
    crs.name = geo::crs_short_name(opts.crs);
    crs.geographic = is_lonlat_def(opts.crs);
    if (!crs.geographic) {
      OGRSpatialReference s;
      s.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
      if (s.SetFromUserInput(opts.crs.c_str()) == OGRERR_NONE) crs.geographic = s.IsGeographic();
    }
  } else {
    crs = describe_srs(lyr->GetSpatialRef());
    if (crs.def.empty()) {
      if (geo::looks_like_lonlat(raw_box)) {
        crs.def = "EPSG:4326";
        crs.name = "EPSG:4326 WGS 84 (assumed: no CRS in the source)";
        crs.geographic = true;
        diag.warn(problem(
            source, label, -1,
            "the source has no CRS; its coordinates look like longitude/latitude and are read as WGS84 "
            "(源数据无坐标系，按 WGS84 经纬度读取). Set crs = \"...\" if that is wrong"));
      } else {
        core::Problem p = problem(source, label, -1,
                                  "the source has no CRS and its coordinates are not longitude/latitude "
                                  "(源数据无坐标系): set crs = \"EPSG:....\" for this layer in the project");
        p.field = "crs";
        diag.error(std::move(p));
        return std::nullopt;
      }
    }
  }
  rep.source_crs = crs.name;
  if (!crs.geographic && geo::looks_like_lonlat(raw_box))
    diag.warn(problem(source, label, -1,
                      "the CRS (" + crs.name +
                          ") is projected but the coordinates look like longitude/latitude "
                          "degrees (坐标像经纬度，但坐标系是投影坐标系); is the CRS right?"));

  if (crs.geographic) {
    for (std::size_t f = 0; f < g.feature_count(); ++f) {
      const core::BBox b = g.feature_bbox(static_cast<core::FeatureId>(f));
      if (b.min_x < -180.0 || b.max_x > 180.0 || b.min_y < -90.0 || b.max_y > 90.0) {
        diag.error(problem(source, label, layer.source_index[f],
                           "coordinates out of longitude/latitude range (坐标超出经纬度范围): x " +
                               std::to_string(b.min_x) + ".." + std::to_string(b.max_x) + ", y " +
                               std::to_string(b.min_y) + ".." + std::to_string(b.max_y) + " in " + crs.name +
                               "; is the CRS right?"));
        return std::nullopt;
      }
    }
  }
  if (crs.def != "EPSG:4326") {
    try {
      geo::Transform tr(crs.def, "EPSG:4326");
      if (!tr.apply(g.coords)) {
        for (std::size_t f = 0; f < g.feature_count(); ++f) {
          const auto pb = g.parts_begin(static_cast<core::FeatureId>(f));
          const auto pe = g.parts_end(static_cast<core::FeatureId>(f));
          const auto c0 = g.ring_coords[g.part_rings[pb]], c1 = g.ring_coords[g.part_rings[pe]];
          if (!all_finite(std::span<const Vec2>(g.coords.data() + c0, c1 - c0))) {
            diag.error(problem(source, label, layer.source_index[f],
                               "coordinates cannot be converted from " + crs.name +
                                   " (坐标超出坐标系范围); is the CRS right?"));
            return std::nullopt;
          }
        }
      }
    } catch (const geo::CrsError& e) {
      core::Problem p =
          problem(source, label, -1, std::string("CRS not understood (无法识别坐标系): ") + e.what());
      p.field = "crs";
      diag.error(std::move(p));
      return std::nullopt;
    }
  }
  rep.extent_lonlat = g.bbox();
  if (rep.extent_lonlat.min_x < -180.0 || rep.extent_lonlat.max_x > 180.0 ||
      rep.extent_lonlat.min_y < -90.0 || rep.extent_lonlat.max_y > 90.0) {
    diag.error(problem(source, label, -1,
                       "coordinates out of longitude/latitude range after conversion from " + crs.name));
    return std::nullopt;
  }
  return layer;
}

}  // namespace

std::vector<std::string> list_vector_layers(const std::string& source) {
  detail::ensure_gdal();
  detail::ErrorCapture errors;
  detail::DatasetPtr ds(GDALDataset::Open(source.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
  if (!ds) {
    const bool missing = !is_connection_string(source) &&
                         !fs::exists(fs::path(reinterpret_cast<const char8_t*>(source.c_str())));
    throw DataError(problem(
        source, "", -1,
        missing ? "file not found (文件不存在)" : cannot_open_text(errors, is_connection_string(source))));
  }
  std::vector<std::string> names;
  for (int i = 0; i < ds->GetLayerCount(); ++i) names.emplace_back(ds->GetLayer(i)->GetName());
  return names;
}

std::optional<core::Layer> read_vector_lonlat(const std::string& source, const VectorReadOptions& opts,
                                              core::Diagnostics& diag) {
  detail::ensure_gdal();
  const std::string ext = extension_of(source);
  const fs::path src_path(reinterpret_cast<const char8_t*>(source.c_str()));
  const bool connection = is_connection_string(source);
  std::string label = opts.label;

  if (!connection && !fs::exists(src_path)) {
    diag.error(problem(source, label, -1, "file not found (文件不存在)"));
    return std::nullopt;
  }
  if (ext == ".csv" || ext == ".txt" || ext == ".tsv") {
    return read_csv_layer(source, opts, diag);
  }

  auto opened = open_vector(source, opts, label, diag);
  if (!opened) return std::nullopt;
  OGRLayer* lyr = nullptr;
  std::string layer_names;
  for (int i = 0; i < opened->ds->GetLayerCount(); ++i)
    layer_names += (i ? ", " : "") + std::string(opened->ds->GetLayer(i)->GetName());
  if (!opts.layer.empty()) {
    lyr = opened->ds->GetLayerByName(opts.layer.c_str());
    if (!lyr) {
      std::vector<std::string> names;
      std::vector<std::string_view> views;
      for (int i = 0; i < opened->ds->GetLayerCount(); ++i)
        names.emplace_back(opened->ds->GetLayer(i)->GetName());
      for (const auto& n : names) views.push_back(n);
      const std::string best = closest_match(opts.layer, views);
      core::Problem p = problem(source, label, -1,
                                "no layer '" + opts.layer + "' in the source" +
                                    (best.empty() ? std::string{} : " (did you mean '" + best + "'?)") +
                                    "; layers: " + (layer_names.empty() ? std::string("none") : layer_names));
      p.field = "layer";
      diag.error(std::move(p));
      return std::nullopt;
    }
  } else if (opened->ds->GetLayerCount() == 1) {
    lyr = opened->ds->GetLayer(0);
  } else if (opened->driver == "OSM" && opts.role == core::Role::Road &&
             opened->ds->GetLayerByName("lines")) {
    lyr = opened->ds->GetLayerByName("lines");  // OSM roads are ways: the `lines` layer
  } else if (opened->ds->GetLayerCount() == 0) {
    diag.error(problem(source, label, -1, "the source has no vector layers (没有矢量图层)"));
    return std::nullopt;
  } else {
    core::Problem p = problem(
        source, label, -1,
        "the source has " + std::to_string(opened->ds->GetLayerCount()) +
            " layers; say which one with layer = \"...\" (--layer on the command line): " + layer_names);
    p.field = "layer";
    diag.error(std::move(p));
    return std::nullopt;
  }
  return read_layer(*opened, lyr, source, opts, label, diag);
}

std::vector<core::Layer> read_all_vector_layers_lonlat(const std::string& source, core::Diagnostics& diag) {
  detail::ensure_gdal();
  const std::string ext = extension_of(source);
  const VectorReadOptions opts;
  if (ext == ".csv" || ext == ".txt" || ext == ".tsv" ||
      (!is_connection_string(source) &&
       !fs::exists(fs::path(reinterpret_cast<const char8_t*>(source.c_str()))))) {
    auto one = read_vector_lonlat(source, opts, diag);
    return one ? std::vector<core::Layer>{std::move(*one)} : std::vector<core::Layer>{};
  }
  auto opened = open_vector(source, opts, "", diag);
  if (!opened) return {};
  std::vector<core::Layer> out;
  if (opened->ds->GetLayerCount() == 0) {
    diag.error(problem(source, "", -1, "the source has no vector layers (没有矢量图层)"));
    return out;
  }
  // Reading a whole file of several layers, empty ones (common in OSM extracts) are skipped with
  // a warning; a file whose only layer is empty is an error.
  const int count = opened->ds->GetLayerCount();
  for (int i = 0; i < count; ++i) {
    if (i > 0 && opened->driver == "OSM") {
      // An OSM file is parsed in one pass for the layers of interest: reopen it for each layer.
      opened = open_vector(source, opts, "", diag);
      if (!opened) break;
    }
    auto layer = read_layer(*opened, opened->ds->GetLayer(i), source, opts, "", diag, count == 1);
    if (layer) out.push_back(std::move(*layer));
  }
  if (out.empty() && !diag.has_errors())
    diag.error(problem(source, "", -1, "no features in any layer (所有图层均为空)"));
  return out;
}

bool project_to_analysis(core::Layer& layer, const std::string& analysis_crs, core::Diagnostics& diag) {
  auto& g = layer.geom;
  try {
    geo::Transform tr("EPSG:4326", analysis_crs);
    if (!tr.apply(g.coords)) {
      diag.error(problem(layer.report.source, layer.name, -1,
                         "some coordinates cannot be converted to the analysis CRS (" +
                             geo::crs_short_name(analysis_crs) + ")"));
      return false;
    }
  } catch (const geo::CrsError& e) {
    core::Problem p =
        problem("", "", -1, std::string("analysis CRS not understood (无法识别分析坐标系): ") + e.what());
    p.field = "crs";
    diag.error(std::move(p));
    return false;
  }
  if (g.kind != GeomKind::Polygon) return true;

  geo::RepairReport rr;
  core::Geometries fixed = geo::make_valid(g, rr);
  for (auto f : rr.repaired) layer.report.repaired.push_back(layer.source_index[f]);
  std::sort(layer.report.repaired.begin(), layer.report.repaired.end());
  if (rr.emptied.empty()) {
    fixed.kind = GeomKind::Polygon;
    g = std::move(fixed);
    return true;
  }
  // Drop features that repair left without area: rebuild geometry and attribute rows without them.
  std::vector<std::uint8_t> drop(fixed.feature_count(), 0);
  for (auto f : rr.emptied) drop[f] = 1;
  core::Geometries kept;
  kept.kind = GeomKind::Polygon;
  core::Table attrs;
  for (const auto& c : layer.attrs.columns) attrs.add_column(c.name, c.type);
  std::vector<long long> index;
  std::size_t named = 0;
  for (core::FeatureId f = 0; f < fixed.feature_count(); ++f) {
    if (drop[f]) {
      ++layer.report.features_dropped;
      if (named++ < k_max_named_drops)
        diag.warn(problem(layer.report.source, layer.name, layer.source_index[f],
                          "polygon has no area after repair, dropped (修复后面积为零，已忽略)"));
      continue;
    }
    for (auto p = fixed.parts_begin(f); p < fixed.parts_end(f); ++p) {
      for (auto r = fixed.rings_begin(p); r < fixed.rings_end(p); ++r) kept.add_ring(fixed.ring(r));
      kept.end_part();
    }
    kept.end_feature();
    index.push_back(layer.source_index[f]);
    for (std::size_t c = 0; c < attrs.columns.size(); ++c) {
      const auto& src = layer.attrs.columns[c];
      auto& dst = attrs.columns[c];
      if (src.is_null(f))
        dst.push_null();
      else if (src.type == core::FieldType::Integer)
        dst.push_int(src.ints[f]);
      else if (src.type == core::FieldType::Real)
        dst.push_real(src.reals[f]);
      else
        dst.push_text(src.texts[f]);
    }
  }
  if (attrs.columns.empty()) attrs.set_rows_without_columns(kept.feature_count());
  g = std::move(kept);
  layer.attrs = std::move(attrs);
  layer.source_index = std::move(index);
  if (g.feature_count() == 0) {
    diag.error(problem(layer.report.source, layer.name, -1,
                       "no usable polygons after repair (修复后没有可用的多边形)"));
    return false;
  }
  return true;
}

core::Layer read_vector_layer(const std::string& source, const VectorReadOptions& opts,
                              const std::string& analysis_crs, core::Diagnostics* warnings) {
  core::Diagnostics diag;
  auto layer = read_vector_lonlat(source, opts, diag);
  if (layer) project_to_analysis(*layer, analysis_crs, diag);
  throw_if_errors(diag);
  if (warnings)
    warnings->problems.insert(warnings->problems.end(), diag.problems.begin(), diag.problems.end());
  return std::move(*layer);
}

}  // namespace kepumap::io
