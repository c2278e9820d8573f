#include "io/gpkg_meta.hpp"

#include <set>

#include "core/atomic_file.hpp"
#include "io/errors.hpp"
#include "io/gdal_handle.hpp"

namespace kepumap::io {

namespace {

[[noreturn]] void fail(const std::filesystem::path& gpkg, const std::string& table, const std::string& what) {
  core::Problem p;
  p.file = gpkg.string();
  p.layer = table;
  const std::string why = core::write_failure(gpkg);
  p.what = why.empty() ? what : "cannot write (无法写入): " + why;
  throw DataError(p);
}

/// A string literal for SQLite.
std::string sql_text(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

void exec(GDALDataset& ds, const std::filesystem::path& gpkg, const std::string& table,
          const std::string& sql, detail::ErrorCapture& errors) {
  const std::size_t before = errors.failures();
  OGRLayer* res = ds.ExecuteSQL(sql.c_str(), nullptr, nullptr);
  if (res) ds.ReleaseResultSet(res);
  if (errors.failures() > before)
    fail(gpkg, table, "cannot update the GeoPackage's metadata: " + errors.last_failure());
}

/// The layer_styles table with QGIS's columns, created through OGR (so it is registered in
/// gpkg_contents as an attribute table, as QGIS does) when the file has none.
OGRLayer* styles_table(GDALDataset& ds, const std::filesystem::path& gpkg) {
  if (OGRLayer* l = ds.GetLayerByName("layer_styles")) return l;
  detail::StringList co({"FID=id"});
  OGRLayer* l = ds.CreateLayer("layer_styles", nullptr, wkbNone, co.get());
  if (!l) fail(gpkg, "layer_styles", "cannot create the styles table");
  auto add = [&](const char* name, OGRFieldType type, int width = 0, OGRFieldSubType sub = OFSTNone) {
    OGRFieldDefn f(name, type);
    if (width > 0) f.SetWidth(width);
    f.SetSubType(sub);
    if (std::string(name) == "update_time") f.SetDefault("CURRENT_TIMESTAMP");
    if (l->CreateField(&f) != OGRERR_NONE)
      fail(gpkg, "layer_styles", std::string("cannot add the field ") + name);
  };
  add("f_table_catalog", OFTString, 256);
  add("f_table_schema", OFTString, 256);
  add("f_table_name", OFTString, 256);
  add("f_geometry_column", OFTString, 256);
  add("styleName", OFTString, 30);
  add("styleQML", OFTString);
  add("styleSLD", OFTString);
  add("useAsDefault", OFTInteger, 0, OFSTBoolean);
  add("description", OFTString);
  add("owner", OFTString, 30);
  add("ui", OFTString, 30);
  add("update_time", OFTDateTime);
  return l;
}

void write_styles(GDALDataset& ds, const std::filesystem::path& gpkg,
                  const std::vector<GpkgLayerMeta>& layers) {
  bool any = false;
  for (const auto& m : layers) any = any || !m.qml.empty();
  if (!any) return;
  OGRLayer* st = styles_table(ds, gpkg);
  const OGRFeatureDefn* def = st->GetLayerDefn();
  for (const char* f : {"f_table_name", "styleName", "styleQML", "useAsDefault", "f_geometry_column"})
    if (def->GetFieldIndex(f) < 0)
      fail(gpkg, "layer_styles", std::string("the existing styles table has no field ") + f);
  for (const auto& m : layers) {
    if (m.qml.empty()) continue;
    // Our old rows go; the planner's rows stay, and their default stays the default.
    std::vector<GIntBig> ours;
    bool planner_default = false;
    st->SetAttributeFilter(("f_table_name = " + sql_text(m.table)).c_str());
    st->ResetReading();
    while (detail::FeaturePtr f{st->GetNextFeature()}) {
      if (std::string(f->GetFieldAsString("styleName")) == KEPUMAP_STYLE_NAME)
        ours.push_back(f->GetFID());
      else if (f->GetFieldAsInteger("useAsDefault") != 0)
        planner_default = true;
    }
    st->SetAttributeFilter(nullptr);
    for (GIntBig fid : ours)
      if (st->DeleteFeature(fid) != OGRERR_NONE)
        fail(gpkg, "layer_styles", "cannot replace kepumap's style of " + m.table);
    std::string geom_column;
    if (OGRLayer* l = ds.GetLayerByName(m.table.c_str())) geom_column = l->GetGeometryColumn();
    detail::FeaturePtr f{OGRFeature::CreateFeature(st->GetLayerDefn())};
    f->SetField("f_table_catalog", "");
    f->SetField("f_table_schema", "");
    f->SetField("f_table_name", m.table.c_str());
    f->SetField("f_geometry_column", geom_column.c_str());
    f->SetField("styleName", KEPUMAP_STYLE_NAME);
    f->SetField("styleQML", m.qml.c_str());
    f->SetField("styleSLD", "");
    f->SetField("useAsDefault", planner_default ? 0 : 1);
    f->SetField("description", ("kepumap: " + (m.title.empty() ? m.table : m.title)).c_str());
    f->SetField("owner", "");
    f->SetField("ui", "");
    if (st->CreateFeature(f.get()) != OGRERR_NONE)
      fail(gpkg, "layer_styles", "cannot add the style of " + m.table);
  }
}

void write_data_columns(GDALDataset& ds, const std::filesystem::path& gpkg,
                        const std::vector<GpkgLayerMeta>& layers, detail::ErrorCapture& errors) {
  bool any = false;
  for (const auto& m : layers) any = any || !m.aliases.empty();
  if (!any) return;
  exec(
      ds, gpkg, "gpkg_data_columns",
      "CREATE TABLE IF NOT EXISTS gpkg_data_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, "
      "name TEXT, title TEXT, description TEXT, mime_type TEXT, constraint_name TEXT, "
      "CONSTRAINT pk_gdc PRIMARY KEY (table_name, column_name), CONSTRAINT gdc_tn UNIQUE (table_name, name))",
      errors);
  exec(ds, gpkg, "gpkg_extensions",
       "CREATE TABLE IF NOT EXISTS gpkg_extensions (table_name TEXT, column_name TEXT, extension_name TEXT "
       "NOT "
       "NULL, definition TEXT NOT NULL, scope TEXT NOT NULL, CONSTRAINT ge_tce UNIQUE (table_name, "
       "column_name, "
       "extension_name))",
       errors);
  exec(ds, gpkg, "gpkg_extensions",
       "INSERT OR IGNORE INTO gpkg_extensions (table_name, column_name, extension_name, definition, scope) "
       "SELECT 'gpkg_data_columns', NULL, 'gpkg_schema', 'http://www.geopackage.org/spec/#extension_schema', "
       "'read-write' WHERE NOT EXISTS (SELECT 1 FROM gpkg_extensions WHERE table_name = 'gpkg_data_columns' "
       "AND extension_name = 'gpkg_schema')",
       errors);
  for (const auto& m : layers) {
    if (m.aliases.empty()) continue;
    exec(ds, gpkg, m.table, "DELETE FROM gpkg_data_columns WHERE table_name = " + sql_text(m.table), errors);
    std::set<std::string> used;
    for (const auto& [column, title] : m.aliases) {
      // name is unique per table: a repeated title gets the column name after it.
      std::string name = title;
      if (!used.insert(name).second) used.insert(name = title + " (" + column + ")");
      exec(ds, gpkg, m.table,
           "INSERT INTO gpkg_data_columns (table_name, column_name, name, title) VALUES (" +
               sql_text(m.table) + ", " + sql_text(column) + ", " + sql_text(name) + ", " + sql_text(title) +
               ")",
           errors);
    }
  }
}

}  // namespace

void write_gpkg_meta(const std::filesystem::path& gpkg, const std::vector<GpkgLayerMeta>& layers) {
  if (layers.empty()) return;
  detail::ensure_gdal();
  detail::ErrorCapture errors;
  detail::DatasetPtr ds(GDALDataset::Open(gpkg.c_str(), GDAL_OF_VECTOR | GDAL_OF_RASTER | GDAL_OF_UPDATE));
  if (!ds) fail(gpkg, "", "cannot open the GeoPackage to add its styles: " + errors.last_failure());
  write_styles(*ds, gpkg, layers);
  write_data_columns(*ds, gpkg, layers, errors);
  for (const auto& m : layers) {
    if (m.title.empty() && m.description.empty()) continue;
    exec(*ds, gpkg, m.table,
         "UPDATE gpkg_contents SET identifier = " + sql_text(m.title.empty() ? m.table : m.title) +
             ", description = " + sql_text(m.description) + " WHERE table_name = " + sql_text(m.table),
         errors);
  }
  ds->FlushCache();
  if (errors.failures() > 0) fail(gpkg, "", "cannot write the GeoPackage's styles: " + errors.last_failure());
  ds.reset();
  if (errors.failures() > 0) fail(gpkg, "", "cannot write the GeoPackage's styles: " + errors.last_failure());
}

void write_styled_gpkg(const std::filesystem::path& gpkg, const std::vector<LayerToWrite>& layers,
                       WriteOptions options, const std::vector<GpkgLayerMeta>& meta) {
  std::error_code ec;
  if (gpkg.has_parent_path()) std::filesystem::create_directories(gpkg.parent_path(), ec);
  core::TempFile stage(gpkg);
  if (std::filesystem::exists(gpkg)) {
    std::filesystem::copy_file(gpkg, stage.path(), ec);
    if (ec) fail(gpkg, "", "cannot copy the GeoPackage to update it: " + ec.message());
  }
  options.in_place = true;
  write_layers(stage.path(), layers, options);
  write_gpkg_meta(stage.path(), meta);
  if (const std::string why = stage.commit(); !why.empty()) fail(gpkg, "", "cannot write (无法写入): " + why);
}

}  // namespace kepumap::io
