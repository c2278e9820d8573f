#include "analysis/travel_project.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/hstore.hpp"
#include "core/resources.hpp"

namespace kepumap::analysis {

namespace {

bool named_like_water(const core::Layer& l) {
  if (l.is_raster || l.role == core::Role::Water || l.geom.kind != core::GeomKind::Polygon) return false;
  std::string n = l.name;
  for (auto& c : n)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return n.find("water") != std::string::npos || n.find("lake") != std::string::npos ||
         n.find("水") != std::string::npos || n.find("湖") != std::string::npos;
}

// Appends every feature of `src` to `dst` (same kind), keeping feature order.
void append(core::Geometries& dst, const core::Geometries& src) {
  if (dst.kind == core::GeomKind::None) dst.kind = src.kind;
  for (core::FeatureId f = 0; f < src.feature_count(); ++f) {
    for (auto p = src.parts_begin(f); p < src.parts_end(f); ++p) {
      for (auto r = src.rings_begin(p); r < src.rings_end(p); ++r) dst.add_ring(src.ring(r));
      dst.end_part();
    }
    dst.end_feature();
  }
}

// Land-cover classes present in the raster that the speed table does not list: they travel at
// offroad_kmh. One warning naming them (most frequent first) and their share of the cells.
void warn_unlisted_classes(const core::Document& doc, const core::TravelSettings& settings,
                           core::Diagnostics& diag) {
  const auto classes = landcover_classes(doc.landcover, settings.landcover_speeds);
  std::size_t known = 0, unlisted = 0, unlisted_classes = 0;
  std::string names;
  for (const auto& c : classes) {
    known += c.cells;
    if (c.kmh >= 0) continue;
    unlisted += c.cells;
    if (++unlisted_classes > 8) continue;
    char b[64];
    std::snprintf(b, sizeof b, "%s%g", names.empty() ? "" : ", ", c.value);
    names += b;
  }
  if (unlisted == 0) return;
  if (unlisted_classes > 8) names += ", ...";
  char share[64];
  std::snprintf(share, sizeof share, "%.1f %%",
                100.0 * static_cast<double>(unlisted) / static_cast<double>(known));
  diag.warn({core::Severity::Warning,
             doc.config.file.string(),
             "",
             -1,
             "travel.landcover_speeds",
             settings.line,
             "land-cover classes " + names + " (" + share +
                 " of the cells) have no speed (土地覆被类别未设速度); " + "they use offroad_kmh",
             {}});
}

}  // namespace

ProjectWater project_water(const core::Document& doc) {
  ProjectWater w;
  w.lakes.kind = core::GeomKind::Polygon;
  w.rivers.kind = core::GeomKind::Line;
  for (const auto& l : doc.layers) {
    if (l.is_raster) continue;
    if (l.role == core::Role::Water) {
      if (l.geom.kind == core::GeomKind::Polygon)
        append(w.lakes, l.geom);
      else if (l.geom.kind == core::GeomKind::Line)
        append(w.rivers, l.geom);
      else if (l.geom.kind == core::GeomKind::Point)
        for (core::FeatureId f = 0; f < l.geom.feature_count(); ++f)
          if (l.geom.has_geometry(f)) w.fords.push_back(l.geom.first_point(f));
    } else if (named_like_water(l)) {
      append(w.lakes, l.geom);
      w.legacy.push_back(l.name);
    }
  }
  return w;
}

void guard_travel_grid(const core::BBox& ext, double cell, double limit_gb) {
  if (!(cell > 0) || !(ext.width() > 0) || !(ext.height() > 0)) return;
  auto bytes_at = [&](double c) {
    const double w = std::ceil(ext.width() / c) + 1, h = std::ceil(ext.height() / c) + 1;
    return w * h * TRAVEL_BYTES_PER_CELL;
  };
  const double need = bytes_at(cell);
  const core::MemoryBudget budget = core::memory_budget(limit_gb);
  if (budget.bytes == 0 || need <= static_cast<double>(budget.bytes)) return;
  // The smallest round cell size that fits: cells go with 1 / size^2.
  const double step = cell < 1000 ? 10.0 : 100.0;
  double k = std::ceil(cell * std::sqrt(need / static_cast<double>(budget.bytes)) / step) * step;
  while (bytes_at(k) > static_cast<double>(budget.bytes)) k += step;
  const auto w = static_cast<std::uint64_t>(std::ceil(ext.width() / cell) + 1);
  const auto h = static_cast<std::uint64_t>(std::ceil(ext.height() / cell) + 1);
  char size[32], kk[32];
  std::snprintf(size, sizeof size, "%g", cell);
  std::snprintf(kk, sizeof kk, "%g", k);
  core::require_memory("the travel grid at " + std::string(size) + " m is " + core::thousands(w) + " × " +
                           core::thousands(h) + " cells",
                       static_cast<std::uint64_t>(need), limit_gb,
                       "use cell_size_m ≥ " + std::string(kk) + " or a smaller extent");
}

std::vector<LandCoverClass> landcover_classes(const core::GridF& landcover,
                                              const std::vector<std::pair<double, double>>& speeds) {
  std::map<float, std::size_t> count;
  for (float v : landcover.data)
    if (std::isfinite(v)) ++count[v];
  std::vector<LandCoverClass> out;
  for (const auto& [v, n] : count) {
    LandCoverClass c{v, n, -1.0};
    for (const auto& [cls, kmh] : speeds)
      if (cls == static_cast<double>(v)) c.kmh = kmh;
    out.push_back(c);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const LandCoverClass& a, const LandCoverClass& b) { return a.cells > b.cells; });
  return out;
}

namespace {

// The tags of one road layer: an attribute of the tag's name, else the OSM `other_tags` entry.
class LayerTags {
 public:
  explicit LayerTags(const core::Layer& l) : m_layer(l) {
    const auto& keys = road_tag_keys();
    m_col.resize(keys.size(), -1);
    for (std::size_t k = 0; k < keys.size(); ++k) m_col[k] = find_ci(keys[k]);
    m_other = find_ci("other_tags");
  }
  /// Column index of an attribute named like `name` (ASCII case ignored), -1 if none.
  int find_ci(std::string_view name) const {
    for (std::size_t c = 0; c < m_layer.attrs.columns.size(); ++c) {
      const auto& n = m_layer.attrs.columns[c].name;
      if (n.size() == name.size() && std::equal(n.begin(), n.end(), name.begin(), [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
          }))
        return static_cast<int>(c);
    }
    return -1;
  }
  /// The value of tag number `k` (index into road_tag_keys()) of feature `f`; empty if absent.
  std::string get(std::size_t k, std::size_t f) const {
    if (m_col[k] >= 0) return m_layer.attrs.columns[static_cast<std::size_t>(m_col[k])].text(f);
    if (m_other < 0) return {};
    const auto& col = m_layer.attrs.columns[static_cast<std::size_t>(m_other)];
    if (col.type != core::FieldType::Text || col.is_null(f)) return {};
    return core::hstore_get(col.texts[f], road_tag_keys()[k]).value_or(std::string{});
  }
  bool has(std::size_t k) const { return m_col[k] >= 0 || m_other >= 0; }

 private:
  const core::Layer& m_layer;
  std::vector<int> m_col;
  int m_other = -1;
};

std::size_t tag_index(std::string_view key) {
  const auto& keys = road_tag_keys();
  return static_cast<std::size_t>(std::find(keys.begin(), keys.end(), key) - keys.begin());
}

struct RuleSet {
  std::vector<TagRule> closed, open;
  std::vector<std::pair<TagRule, double>> speeds;
  bool empty() const { return closed.empty() && open.empty() && speeds.empty(); }
};

RuleSet rules_of(const core::TravelSettings& s) {
  RuleSet r;
  for (const auto& t : s.closed_tags)
    if (auto rule = parse_tag_rule(t)) r.closed.push_back(*rule);
  for (const auto& t : s.open_tags)
    if (auto rule = parse_tag_rule(t)) r.open.push_back(*rule);
  for (const auto& [t, kmh] : s.tag_speeds)
    if (auto rule = parse_tag_rule(t); rule && kmh > 0) r.speeds.emplace_back(*rule, kmh);
  return r;
}

/// A road line's class: the mapped road_class field, else a `highway` or `fclass` attribute
/// (or OSM's `highway` tag); `track` + `tracktype=gradeN` -> track_gradeN.
class ClassReader {
 public:
  ClassReader(const core::Layer& l, const LayerTags& tags) : m_layer(l), m_tags(tags) {
    m_highway = tag_index("highway");
    m_track = tag_index("tracktype");
    m_col = l.column(l.fields.road_class);
    if (m_col < 0 && l.fields.road_class.empty()) m_col = tags.find_ci("highway");
    if (m_col < 0 && l.fields.road_class.empty()) m_col = tags.find_ci("fclass");
    m_class_is_highway = m_col >= 0 && m_col == tags.find_ci("highway");
    m_osm_class = m_col < 0 && l.fields.road_class.empty() && tags.has(m_highway);
  }
  std::string operator()(std::size_t f) const {
    std::string cls = m_col >= 0 ? m_layer.attrs.columns[static_cast<std::size_t>(m_col)].text(f)
                                 : (m_osm_class ? m_tags.get(m_highway, f) : std::string{});
    if ((m_class_is_highway || m_osm_class) && m_tags.has(m_track) && cls == "track")
      cls = osm_road_class(cls, m_tags.get(m_track, f));
    return cls;
  }

 private:
  const core::Layer& m_layer;
  const LayerTags& m_tags;
  std::size_t m_highway = 0, m_track = 0;
  int m_col = -1;
  bool m_class_is_highway = false, m_osm_class = false;
};

}  // namespace

std::vector<RoadClassUse> road_classes_used(const core::Document& doc, const core::TravelSettings& settings) {
  const auto table = road_speed_table(settings.road_speeds);
  std::unordered_map<std::string, std::string> canon;  // raw value -> canonical class ("" = not a road)
  std::unordered_map<std::string, std::size_t> count;
  for (const auto& l : doc.layers) {
    if (l.role != core::Role::Road || l.is_raster || l.geom.kind != core::GeomKind::Line) continue;
    const LayerTags tags(l);
    const ClassReader class_of(l, tags);
    for (std::size_t f = 0; f < l.geom.feature_count(); ++f) {
      const std::string raw = class_of(f);
      auto it = canon.find(raw);
      if (it == canon.end()) {
        std::string c = canonical_road_class(raw, table);
        // a class the table lacks, as written
        if (c.empty() && raw.find_first_not_of(" \t") != std::string::npos && not_road(raw) == NotRoad::No)
          c = raw;
        it = canon.emplace(raw, std::move(c)).first;
      }
      if (!it->second.empty()) ++count[it->second];
    }
  }
  std::vector<RoadClassUse> out;
  for (const auto& [name, n] : count) {
    RoadClassUse u;
    u.name = name;
    u.lines = n;
    for (const auto& row : table)
      if (row.name == name) u.kmh = row.kmh;
    out.push_back(std::move(u));
  }
  std::sort(out.begin(), out.end(), [](const RoadClassUse& a, const RoadClassUse& b) {
    return a.lines != b.lines ? a.lines > b.lines : a.name < b.name;
  });
  return out;
}

ProjectRoads project_roads(const core::Document& doc, const core::TravelSettings& settings) {
  ProjectRoads pr;
  pr.lines.kind = core::GeomKind::Line;
  RoadInput& ri = pr.input;
  const RuleSet rules = rules_of(settings);
  const std::size_t k_maxspeed = tag_index("maxspeed"), k_oneway = tag_index("oneway"),
                    k_junction = tag_index("junction");
  for (const auto& l : doc.layers) {
    if (l.role != core::Role::Road || l.is_raster || l.geom.kind != core::GeomKind::Line) continue;
    pr.layers.push_back(l.name);
    const LayerTags tags(l);
    const ClassReader class_of(l, tags);
    const int cs = l.column(l.fields.speed), co = l.column(l.fields.oneway);
    const bool speed_tag = cs < 0 && l.fields.speed.empty() && tags.has(k_maxspeed);
    const bool oneway_tag = co < 0 && l.fields.oneway.empty() && tags.has(k_oneway);
    const bool junction_tag = tags.has(k_junction);
    for (std::size_t f = 0; f < l.geom.feature_count(); ++f) {
      ri.road_class.push_back(class_of(f));

      double s = std::nan("");
      if (cs >= 0) {
        const auto& col = l.attrs.columns[static_cast<std::size_t>(cs)];
        if (col.type == core::FieldType::Text) {
          const auto v = parse_maxspeed(col.text(f));
          if (v.kind != SpeedValue::Kind::None) s = v.kmh;
        } else if (const auto v = col.number(f)) {
          s = *v;
        }
      } else if (speed_tag) {
        const auto v = parse_maxspeed(tags.get(k_maxspeed, f));
        if (v.kind != SpeedValue::Kind::None) s = v.kmh;
      }
      ri.speed_kmh.push_back(s);

      const std::string ow = co >= 0 ? l.attrs.columns[static_cast<std::size_t>(co)].text(f)
                                     : (oneway_tag ? tags.get(k_oneway, f) : std::string{});
      ri.oneway.push_back(resolve_oneway(ow, junction_tag ? tags.get(k_junction, f) : std::string{}));

      std::uint8_t closed = 0;
      double tag_kmh = 0.0;
      if (!rules.empty()) {
        for (const auto& r : rules.closed)
          if (r.matches(tags.get(tag_index(r.key), f))) closed = 1;
        if (closed)
          for (const auto& r : rules.open)
            if (r.matches(tags.get(tag_index(r.key), f))) closed = 0;
        for (const auto& [r, kmh] : rules.speeds)
          if (r.matches(tags.get(tag_index(r.key), f)) && (tag_kmh <= 0 || kmh < tag_kmh)) tag_kmh = kmh;
      }
      ri.closed.push_back(closed);
      ri.tag_kmh.push_back(tag_kmh);
    }
    append(pr.lines, l.geom);
  }
  return pr;
}

const core::Scenario* find_scenario(const core::ProjectConfig& config, std::string_view name) {
  for (const auto& s : config.scenarios)
    if (s.name == name) return &s;
  return nullptr;
}

ProjectTravel build_project_travel(const core::Document& doc, const core::TravelSettings& settings,
                                   core::Diagnostics& diag, const std::string& scenario_name,
                                   const std::atomic<bool>* cancel) {
  auto cancelled = [cancel] { return cancel && cancel->load(std::memory_order_relaxed); };
  ProjectTravel pt;
  pt.settings = settings;
  pt.scenario = scenario_name;

  ProjectRoads pr = project_roads(doc, settings);
  pr.input.lines = &pr.lines;
  pt.road_layers = pr.layers;
  const std::string road_layer_name = pt.road_layers.empty() ? std::string("roads") : pt.road_layers.front();
  pt.roads = build_road_network(pr.input, road_options(settings), &diag, road_layer_name);
  if (cancelled()) return pt;

  // Friction grid.
  core::Geometries region, border;
  for (const auto& l : doc.layers) {
    if (l.is_raster) continue;
    if (l.role == core::Role::Banner && l.geom.kind == core::GeomKind::Polygon) append(region, l.geom);
    if (l.role == core::Role::Border && l.geom.kind == core::GeomKind::Line) append(border, l.geom);
    if (l.role == core::Role::Border && l.geom.kind == core::GeomKind::Polygon) {
      // A border given as polygons: their outlines are the line.
      core::Geometries outline;
      outline.kind = core::GeomKind::Line;
      for (std::uint32_t r = 0; r < l.geom.ring_count(); ++r) {
        outline.add_ring(l.geom.ring(r));
        outline.end_part();
      }
      outline.end_feature();
      append(border, outline);
    }
  }
  const ProjectWater water = project_water(doc);
  for (const auto& name : water.legacy)
    diag.warn({core::Severity::Warning,
               doc.config.file.string(),
               name,
               -1,
               "role",
               0,
               "layer taken as water (lakes) because of its name (按名称视为水体); say role = \"water\" in "
               "project.toml",
               {}});
  FrictionInputs in;
  // The analysis extent is the study area plus its margin, never the reference layers' extent.
  in.extent = doc.analysis_extent();
  if (doc.study.defined()) in.outside_buffer_m = doc.study.margin_km * 1000.0;
  in.offroad_kmh = settings.offroad_kmh;
  // The study area's polygons (the banner, the coarsest units or the [project] extent) bound travel.
  if (doc.study.defined() && doc.study.area.feature_count() > 0) region = doc.study.area;
  if (region.feature_count() > 0) in.region = &region;
  if (border.feature_count() > 0) in.border = &border;
  if (water.lakes.feature_count() > 0) in.water = &water.lakes;
  if (water.rivers.feature_count() > 0) in.rivers = &water.rivers;
  in.fords = water.fords;
  in.ice = settings.ice;
  in.roads = &pt.roads;
  if (!doc.landcover.data.empty()) {
    in.landcover = &doc.landcover;
    for (const auto& [cls, kmh] : settings.landcover_speeds) in.landcover_kmh.push_back({cls, kmh});
    warn_unlisted_classes(doc, settings, diag);
  }
  double cell = settings.cell_size_m > 0 ? settings.cell_size_m : 500.0;
  core::BBox ext = in.extent;
  if (in.region) {
    const auto rb = region.bbox();
    ext = rb;
    ext.add(core::Vec2{rb.min_x - in.outside_buffer_m, rb.min_y - in.outside_buffer_m});
    ext.add(core::Vec2{rb.max_x + in.outside_buffer_m, rb.max_y + in.outside_buffer_m});
  }
  guard_travel_grid(ext, cell, doc.config.limits.memory_gb);
  while ((ext.width() / cell + 1) * (ext.height() / cell + 1) > MAX_TRAVEL_CELLS) cell *= 2;
  if (cell != settings.cell_size_m && settings.cell_size_m > 0) {
    diag.warn({core::Severity::Warning,
               doc.config.file.string(),
               "",
               -1,
               "travel.cell_size_m",
               settings.line,
               "网格过大 the travel grid at " + std::to_string(static_cast<int>(settings.cell_size_m)) +
                   " m would have too many cells; " + std::to_string(static_cast<int>(cell)) + " m used",
               {}});
  }
  pt.settings.cell_size_m = cell;
  in.cell_size_m = cell;
  pt.pace = build_pace_grid(in);
  if (cancelled()) return pt;
  pt.model = build_travel_model(pt.pace, pt.roads, settings.neighbours);
  if (cancelled()) return pt;
  if (!water.empty() && !settings.ice) {
    // Water cells left impassable (not bridged, not a ford): people on them are reached from the bank.
    core::Grid<std::uint8_t> mask(pt.pace.width, pt.pace.height, pt.pace.origin_x, pt.pace.origin_y,
                                  pt.pace.cell, 0);
    mark_water(mask, in.water, in.rivers);
    pt.model.water_mask.assign(mask.data.size(), 0);
    for (std::size_t i = 0; i < mask.data.size(); ++i)
      if (mask.data[i] && !std::isfinite(pt.pace.data[i])) {
        pt.model.water_mask[i] = 1;
        pt.model.water_cells.push_back(static_cast<std::uint32_t>(i));
      }
    if (pt.model.water_cells.empty()) pt.model.water_mask.clear();
    pt.model.water_reach_pace = 1.0 / core::mps(std::max(0.1, settings.offroad_kmh));
  }
  return pt;
}

}  // namespace kepumap::analysis
