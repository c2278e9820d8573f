#include "session/save_project.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>

#include "core/atomic_file.hpp"
#include "io/basemap.hpp"
#include "io/project.hpp"
#include "io/project_basemaps.hpp"
#include "io/project_scenarios.hpp"
#include "io/project_text.hpp"
#include "io/vector_writer.hpp"

namespace kepumap::session {

namespace fs = std::filesystem;

namespace {

bool same_folder(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  return fs::weakly_canonical(fs::absolute(a, ec).parent_path(), ec) ==
         fs::weakly_canonical(fs::absolute(b, ec).parent_path(), ec);
}

/// A file name part from a layer or type name (path separators and spaces replaced).
std::string file_part(const std::string& s) {
  std::string out;
  for (char c : s) out += (c == '/' || c == '\\' || c == ' ' || c == ':' || c == '*' || c == '?') ? '_' : c;
  return out.empty() ? std::string("layer") : out;
}

/// One facility of a fixed set as the edits leave it: from a layer's feature, or new.
struct Slot {
  std::size_t layer = SIZE_MAX;  ///< document layer index; SIZE_MAX = added in the app
  core::FeatureId feature = 0;
  core::Vec2 base{}, point{};
  std::string name, level;
  bool renamed = false;
  double floor_area_m2 = 0.0;
};

/// A layer to write beside the project, and the [[layer]] entry that points at it.
struct Written {
  std::string layer_name;  ///< the project layer (existing or new)
  fs::path file;
  core::Geometries geom;
  core::Table attrs;
  core::FieldMap fields;
  core::Role role = core::Role::Other;
};

core::Vec2 facility_point(const core::Layer& l, core::FeatureId f) {
  return l.geom.kind == core::GeomKind::Point ? l.geom.first_point(f) : core::feature_centroid(l.geom, f);
}

/// Copies feature `f` of `src` into `dst`, moved by `d` metres.
void copy_feature(const core::Geometries& src, core::FeatureId f, core::Vec2 d, core::Geometries& dst) {
  dst.kind = src.kind;
  for (std::uint32_t p = src.parts_begin(f); p < src.parts_end(f); ++p) {
    for (std::uint32_t r = src.rings_begin(p); r < src.rings_end(p); ++r) {
      std::vector<core::Vec2> pts(src.ring(r).begin(), src.ring(r).end());
      for (auto& q : pts) q = {q.x + d.x, q.y + d.y};
      dst.add_ring(pts);
    }
    dst.end_part();
  }
  dst.end_feature();
}

void copy_row(const core::Table& src, std::size_t row, core::Table& dst) {
  if (dst.columns.empty())
    for (const auto& c : src.columns) dst.add_column(c.name, c.type);
  for (std::size_t c = 0; c < src.columns.size(); ++c) {
    const auto& s = src.columns[c];
    auto& d = dst.columns[c];
    if (row >= s.size() || s.is_null(row))
      d.push_null();
    else if (s.type == core::FieldType::Integer)
      d.push_int(s.ints[row]);
    else if (s.type == core::FieldType::Real)
      d.push_real(s.reals[row]);
    else
      d.push_text(s.texts[row]);
  }
}

void set_text(core::Table& t, const std::string& column, std::size_t row, const std::string& value) {
  int c = t.find(column);
  if (c < 0) c = t.add_column(column, core::FieldType::Text);
  auto& col = t.columns[static_cast<std::size_t>(c)];
  if (col.type != core::FieldType::Text) {
    // a numeric level column keeps its type when the new value is a number
    char* end = nullptr;
    const double v = std::strtod(value.c_str(), &end);
    if (!value.empty() && end && *end == '\0') {
      if (col.type == core::FieldType::Integer)
        col.ints[row] = static_cast<std::int64_t>(v);
      else
        col.reals[row] = v;
      col.null[row] = 0;
    }
    return;
  }
  col.texts[row] = value;
  col.null[row] = 0;
}

/// Rows pushed to `t` for a new facility: name, level, floor area; other columns NULL.
void push_new_row(core::Table& t, const core::FieldMap& fields, const Slot& s) {
  for (auto& col : t.columns) {
    if (col.name == fields.name && col.type == core::FieldType::Text)
      col.push_text(s.name);
    else if (col.name == fields.level && col.type == core::FieldType::Text)
      col.push_text(s.level);
    else if (col.name == "floor_area_m2" && col.type == core::FieldType::Real && s.floor_area_m2 > 0)
      col.push_real(s.floor_area_m2);
    else
      col.push_null();
  }
}

/// The facility layers the edits in effect change, as they are to be written. False with
/// `error` when the edits cannot be traced back to the layers.
bool facility_files(const Session& s, const fs::path& file, std::vector<Written>& out, std::string& error) {
  if (s.facility_edits() == 0) return true;
  if (!s.ready() || s.stale() || s.evaluated_document() != s.document()) {
    error = "the figures are being recomputed; save again when they are ready (正在重新计算，请稍后再保存)";
    return false;
  }
  const core::Document& doc = *s.document();
  const auto& sets = s.evaluation().ev.sets;
  const std::string stem = file.stem().string();
  for (std::size_t k = 0; k < sets.size(); ++k) {
    const auto& set = sets[k];
    if (set.mobile) continue;
    const auto role = core::role_from_name(set.facility);
    if (!role) continue;
    bool touched = false;
    for (std::size_t i = 0; i < s.applied(); ++i) {
      const Edit& e = s.edits()[i];
      if (e.facility == set.facility && e.kind != Edit::Kind::Standard && e.changes_figures()) touched = true;
    }
    if (!touched) continue;
    std::vector<Slot> slots;
    for (std::size_t li = 0; li < doc.layers.size(); ++li) {
      const auto& l = doc.layers[li];
      if (l.is_raster || l.role != *role) continue;
      const int nc = l.column(l.fields.name), lc = l.column(l.fields.level);
      for (core::FeatureId f = 0; f < l.geom.feature_count(); ++f) {
        if (!l.geom.has_geometry(f)) continue;
        Slot sl;
        sl.layer = li;
        sl.feature = f;
        sl.base = sl.point = facility_point(l, f);
        if (nc >= 0) sl.name = l.attrs.columns[static_cast<std::size_t>(nc)].text(f);
        if (lc >= 0) sl.level = l.attrs.columns[static_cast<std::size_t>(lc)].text(f);
        slots.push_back(std::move(sl));
      }
    }
    if (k >= s.base_points().size() || slots.size() != s.base_points()[k].size()) {
      error = "cannot trace the edits of " + set.facility + " back to its layers (" +
              std::to_string(slots.size()) + " features, " +
              std::to_string(k < s.base_points().size() ? s.base_points()[k].size() : 0) +
              " facilities evaluated)";
      return false;
    }
    auto add = [&](const Edit& e) {
      Slot sl;
      sl.point = e.to;
      sl.name = e.name;
      sl.level = e.level;
      sl.floor_area_m2 = e.floor_area_m2;
      slots.insert(slots.begin() + static_cast<std::ptrdiff_t>(std::min(e.index, slots.size())),
                   std::move(sl));
    };
    for (std::size_t i = 0; i < s.applied(); ++i) {
      const Edit& e = s.edits()[i];
      if (e.facility != set.facility) continue;
      const bool in_range = e.index < slots.size();
      switch (e.kind) {
        case Edit::Kind::Move:
          if (in_range) slots[e.index].point = e.to;
          break;
        case Edit::Kind::Add:
          add(e);
          break;
        case Edit::Kind::Delete:
          if (in_range) slots.erase(slots.begin() + static_cast<std::ptrdiff_t>(e.index));
          break;
        case Edit::Kind::Rename:
          if (in_range) {
            slots[e.index].name = e.name;
            slots[e.index].level = e.level;
            slots[e.index].renamed = true;
          }
          break;
        case Edit::Kind::AcceptSites:
          for (const auto& a : e.parts) add(a);
          break;
        default:
          break;
      }
    }
    if (slots.size() != set.points.size()) {
      error = "the edits of " + set.facility + " do not replay (" + std::to_string(slots.size()) +
              " facilities, " + std::to_string(set.points.size()) + " in the figures)";
      return false;
    }
    // layers whose features changed, and the new facilities
    std::set<std::size_t> changed;
    std::map<std::size_t, std::map<core::FeatureId, const Slot*>> kept;  // layer -> feature -> its slot
    std::vector<const Slot*> added;
    for (const auto& sl : slots) {
      if (sl.layer == SIZE_MAX) {
        added.push_back(&sl);
        continue;
      }
      kept[sl.layer][sl.feature] = &sl;
      if (!(sl.point == sl.base) || sl.renamed) changed.insert(sl.layer);
    }
    for (std::size_t li = 0; li < doc.layers.size(); ++li) {
      const auto& l = doc.layers[li];
      if (l.is_raster || l.role != *role) continue;
      std::size_t with_geom = 0;
      for (core::FeatureId f = 0; f < l.geom.feature_count(); ++f)
        with_geom += l.geom.has_geometry(f) ? 1 : 0;
      if (kept[li].size() != with_geom) changed.insert(li);  // a feature deleted
    }
    // the new facilities go to the type's sites layer (appended to it when it exists)
    const std::string sites_name = set.label + "新址";
    std::size_t sites_layer = SIZE_MAX;
    for (std::size_t li = 0; li < doc.layers.size(); ++li)
      if (doc.layers[li].name == sites_name && doc.layers[li].role == *role && !doc.layers[li].is_raster)
        sites_layer = li;
    if (!added.empty() && sites_layer != SIZE_MAX) changed.insert(sites_layer);
    for (std::size_t li : changed) {
      const auto& l = doc.layers[li];
      Written w;
      w.layer_name = l.name;
      w.role = l.role;
      w.fields = l.fields;
      w.file = file.parent_path() / (stem + "." + file_part(l.name) + ".geojson");
      if (w.fields.name.empty()) w.fields.name = "name";
      for (core::FeatureId f = 0; f < l.geom.feature_count(); ++f) {
        const Slot* sl = nullptr;
        if (l.geom.has_geometry(f)) {
          auto it = kept[li].find(f);
          if (it == kept[li].end()) continue;  // deleted
          sl = it->second;
        }
        const core::Vec2 d =
            sl ? core::Vec2{sl->point.x - sl->base.x, sl->point.y - sl->base.y} : core::Vec2{};
        copy_feature(l.geom, f, d, w.geom);
        copy_row(l.attrs, f, w.attrs);
        if (sl && sl->renamed) {
          set_text(w.attrs, w.fields.name, w.attrs.row_count() - 1, sl->name);
          if (w.fields.level.empty()) w.fields.level = "level";
          set_text(w.attrs, w.fields.level, w.attrs.row_count() - 1, sl->level);
        }
      }
      if (li == sites_layer) {
        for (const Slot* sl : added) {
          w.geom.kind = core::GeomKind::Point;
          w.geom.add_point_feature(sl->point);
          push_new_row(w.attrs, w.fields, *sl);
        }
      }
      out.push_back(std::move(w));
    }
    if (!added.empty() && sites_layer == SIZE_MAX) {
      Written w;
      w.layer_name = sites_name;
      w.role = *role;
      w.fields.name = "name";
      w.fields.level = "level";
      w.file = file.parent_path() / (stem + "." + file_part(set.facility) + "_sites.geojson");
      w.geom.kind = core::GeomKind::Point;
      w.attrs.add_column("name", core::FieldType::Text);
      w.attrs.add_column("level", core::FieldType::Text);
      w.attrs.add_column("floor_area_m2", core::FieldType::Real);
      for (const Slot* sl : added) {
        w.geom.add_point_feature(sl->point);
        push_new_row(w.attrs, w.fields, *sl);
      }
      out.push_back(std::move(w));
    }
  }
  return true;
}

std::string read_text(const fs::path& p, bool& ok) {
  std::ifstream in(p, std::ios::binary);
  ok = static_cast<bool>(in);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

std::vector<core::LayerSpec> saved_layer_specs(const Session& s, const fs::path& file,
                                               const std::vector<LayerLook>& looks) {
  const core::Document& doc = *s.document();
  const core::ProjectConfig& cfg = doc.config;
  std::set<std::string> removed;
  for (std::size_t i = 0; i < s.applied(); ++i)
    if (s.edits()[i].kind == Edit::Kind::RemoveLayer && s.edits()[i].layer)
      removed.insert(s.edits()[i].layer->name);
  auto doc_index = [&](const std::string& name) -> std::size_t {
    for (std::size_t i = 0; i < doc.layers.size(); ++i)
      if (doc.layers[i].name == name) return i;
    return SIZE_MAX;
  };
  const bool moved = !cfg.file.empty() && !same_folder(cfg.file, file);
  std::vector<core::LayerSpec> out;
  std::set<std::string> in_config;
  for (const auto& spec : cfg.layers) {
    in_config.insert(spec.name);
    const std::size_t i = doc_index(spec.name);
    if (i == SIZE_MAX && removed.count(spec.name)) continue;
    core::LayerSpec l = spec;
    if (moved) l.source = io::source_for_project(cfg.resolve(spec.source).string(), file);
    if (i != SIZE_MAX && i < looks.size()) {
      l.visible = looks[i].visible;
      l.draw_order = looks[i].draw_order;
      l.title = looks[i].title;
      l.style = looks[i].style;
    }
    out.push_back(std::move(l));
  }
  for (std::size_t i = 0; i < doc.layers.size(); ++i) {
    const auto& L = doc.layers[i];
    if (in_config.count(L.name)) continue;
    core::LayerSpec l;
    l.name = L.name;
    l.role = L.role;
    l.source = io::source_for_project(L.report.source, file);
    l.layer = L.report.source_layer;
    l.fields = L.fields;
    if (i < looks.size()) {
      l.visible = looks[i].visible;
      l.draw_order = looks[i].draw_order;
      l.title = looks[i].title;
      l.style = looks[i].style;
    }
    out.push_back(std::move(l));
  }
  return out;
}

bool save_project(const Session& s, const fs::path& file, const std::vector<LayerLook>& looks,
                  SaveReport& report, std::string& error, const std::vector<core::BasemapSpec>* basemaps) {
  const core::Document& doc = *s.document();
  const core::ProjectConfig& cfg = doc.config;
  if (cfg.file.empty()) {
    error = "no project is open (未打开项目)";
    return false;
  }
  bool ok = false;
  std::string text = read_text(cfg.file, ok);
  if (!ok) {
    error = cfg.file.string() + ": cannot read the project file it was opened from";
    return false;
  }
  // what the old text says, with line numbers (the document's config may be of another text)
  core::Diagnostics diag;
  const core::ProjectConfig old = io::parse_project(text, cfg.file, diag);
  if (diag.has_errors()) {
    error = cfg.file.string() + ": changed on disk and no longer parses; not saved (" +
            diag.problems.front().to_line() + ")";
    return false;
  }
  std::vector<core::LayerSpec> specs = saved_layer_specs(s, file, looks);
  for (auto& l : specs)  // line numbers of the text just read
    for (const auto& o : old.layers)
      if (o.name == l.name) l.line = o.line;
  std::vector<Written> data;
  if (!facility_files(s, file, data, error)) return false;
  for (const auto& w : data) {
    const std::string src = w.file.filename().string();
    auto it = std::find_if(specs.begin(), specs.end(), [&](const auto& l) { return l.name == w.layer_name; });
    if (it == specs.end()) {
      core::LayerSpec l;
      l.name = w.layer_name;
      l.role = w.role;
      specs.push_back(l);
      it = specs.end() - 1;
    }
    it->source = src;
    it->layer.clear();
    it->crs.clear();
    it->encoding.clear();
    it->where.clear();
    it->fields = w.fields;
  }
  text = io::edit_project_layers(text, old, specs);
  // The layer edits moved the lines below them: the standards' and [travel]'s line numbers are
  // those of the edited text.
  core::Diagnostics rediag;
  const core::ProjectConfig edited = io::parse_project(text, cfg.file, rediag);
  if (rediag.has_errors()) {
    error = file.string() + ": the saved text would not parse (" + rediag.problems.front().to_line() +
            "); not saved";
    return false;
  }
  // service standards changed in the session: their `minutes`
  if (s.ready())
    for (const auto& set : s.evaluation().ev.sets) {
      if (set.mobile) continue;
      for (const auto& st : edited.standards)
        if (st.facility == set.facility && st.minutes > 0 &&
            std::abs(st.minutes * 60.0 - set.standard_s) > 1e-6) {
          char buf[64];
          std::snprintf(buf, sizeof buf, "%.10g", set.standard_s / 60.0);
          text = io::set_table_key(text, st.line, "minutes", std::string(buf));
        }
    }
  // [travel] landcover is relative to the project file too
  if (!old.travel.landcover.empty() && !same_folder(cfg.file, file) && edited.travel.line > 0)
    text = io::set_table_key(
        text, edited.travel.line, "landcover",
        io::toml_quote(io::source_for_project(old.resolve(old.travel.landcover).string(), file)));
  // [[basemap]] entries last (their edits move no line the edits above rely on)
  {
    core::Diagnostics bdiag;
    const core::ProjectConfig now = io::parse_project(text, cfg.file, bdiag);
    std::vector<core::BasemapSpec> bms = basemaps ? *basemaps : cfg.basemaps;
    for (auto& b : bms) {
      const auto was =
          std::find_if(cfg.basemaps.begin(), cfg.basemaps.end(),
                       [&](const core::BasemapSpec& o) { return b.line > 0 && o.line == b.line; });
      const auto here = std::find_if(now.basemaps.begin(), now.basemaps.end(),
                                     [&](const core::BasemapSpec& o) { return o.name == b.name; });
      b.line = was != cfg.basemaps.end() && here != now.basemaps.end() ? here->line : 0;
      if (io::basemap_kind(b) == "file" && (b.line == 0 || !same_folder(cfg.file, file)) && !b.source.empty())
        b.source = io::source_for_project(cfg.resolve(b.source).string(), file);
    }
    if (!bdiag.has_errors()) text = io::edit_project_basemaps(text, now, bms);
  }
  // [[scenario]] entries as the session has them (created, changed or deleted in the app):
  // matched by name, only changed keys rewritten
  {
    core::Diagnostics sdiag;
    const core::ProjectConfig now = io::parse_project(text, cfg.file, sdiag);
    if (!sdiag.has_errors()) text = io::edit_project_scenarios(text, now, cfg.scenarios);
  }
  // the text must load as a project again before anything is written
  core::Diagnostics check;
  io::parse_project(text, file, check);
  if (check.has_errors()) {
    error = file.string() + ": the saved text would not parse (" + check.problems.front().to_line() +
            "); not saved";
    return false;
  }
  std::error_code ec;
  if (!fs::is_directory(file.parent_path().empty() ? fs::path(".") : file.parent_path(), ec)) {
    error = file.string() + ": no such folder";
    return false;
  }
  // data files to temporaries first; every one renamed only when all are written
  std::vector<std::unique_ptr<core::TempFile>> temps;
  try {
    for (const auto& w : data) {
      temps.push_back(std::make_unique<core::TempFile>(w.file));
      io::WriteOptions opts;
      opts.analysis_crs = doc.analysis_crs;
      opts.in_place = true;
      io::write_layers(temps.back()->path(), {io::LayerToWrite{w.layer_name, &w.geom, &w.attrs}}, opts);
    }
  } catch (const std::exception& e) {
    const std::string why = core::write_failure(temps.empty() ? file : temps.back()->target());
    error = std::string(e.what()) + (why.empty() ? "" : " (" + why + ")") + "; nothing was saved";
    return false;
  }
  core::TempFile toml(file);
  {
    std::ofstream o(toml.path(), std::ios::binary);
    o << text;
    o.close();
    if (!o) {
      const std::string why = core::write_failure(file, errno);
      error =
          file.string() + ": cannot write" + (why.empty() ? "" : " (" + why + ")") + "; nothing was saved";
      return false;
    }
  }
  for (auto& t : temps) {
    if (std::string why = t->commit(); !why.empty()) {
      error = t->target().string() + ": " + why + "; project.toml not saved";
      return false;
    }
    report.written.push_back(t->target());
  }
  if (std::string why = toml.commit(); !why.empty()) {
    error = file.string() + ": " + why + "; not saved";
    return false;
  }
  report.project_file = file;
  report.text = std::move(text);
  return true;
}

}  // namespace kepumap::session
