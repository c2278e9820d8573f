// Builds a siting instance from a loaded project (see siting_project.hpp).
#include "optimize/siting_project.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "analysis/coverage.hpp"
#include "analysis/travel.hpp"
#include "core/resources.hpp"

namespace kepumap::optimize {
namespace {

std::string fmt(double v, int decimals) {
  char b[64];
  std::snprintf(b, sizeof b, "%.*f", decimals, v);
  return b;
}

/// Whole text as a finite number.
bool parse_number(const std::string& s, double& v) {
  if (s.empty()) return false;
  char* end = nullptr;
  v = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size() && std::isfinite(v);
}

}  // namespace

std::optional<ProjectSiting> build_project_siting(const core::Document& doc,
                                                  const analysis::ProjectEvaluation& pe,
                                                  const ProjectSitingSpec& spec,
                                                  const std::string& project_path, std::string& error,
                                                  const std::atomic<bool>* cancel,
                                                  const std::vector<analysis::FacilitySet>* sets_in) {
  const std::vector<analysis::FacilitySet>& sets = sets_in ? *sets_in : pe.ev.sets;
  ProjectSiting ps;
  SitingInstance& inst = ps.instance;
  const std::string& toml = project_path;

  // The facility kind and its standard.
  std::size_t k = sets.size();
  for (std::size_t q = 0; q < sets.size(); ++q)
    if (sets[q].facility == spec.facility && !sets[q].mobile) k = q;
  if (k == sets.size()) {
    std::string known;
    for (const auto& s : sets)
      if (!s.mobile) known += (known.empty() ? "" : ", ") + s.facility;
    error = toml + ": no travel-time [[standard]] for facility '" + spec.facility +
            "' (有标准的设施: " + (known.empty() ? std::string("none") : known) + ")";
    return std::nullopt;
  }
  ps.set_index = k;
  const analysis::FacilitySet& set = sets[k];
  ps.standard = static_cast<core::ISeconds>(std::lround(set.standard_s));

  // Demand points: populated cells merged into blocks (at most about 20,000 blocks), each at its
  // people-weighted centre with the people-weighted priority of its units.
  const core::GridF& people = pe.area.demand.people;
  const core::GridI& unit = pe.area.demand.unit;
  const std::vector<double> unit_prio = analysis::unit_priority(pe.area.facts, pe.priority, &pe.area.demand);
  std::size_t populated = 0;
  for (float v : people.data) populated += v > 0.0f;
  int b = 1;
  while (populated / (static_cast<std::size_t>(b) * static_cast<std::size_t>(b)) > 20000) b *= 2;
  ps.block_cells = b;
  const int bw = (people.width + b - 1) / b, bh = (people.height + b - 1) / b;
  struct Block {
    double people = 0, sx = 0, sy = 0, sp = 0, top = 0;
    int top_unit = -1;  ///< finest unit of the block's most populated cell (for its name)
  };
  std::vector<Block> blocks(static_cast<std::size_t>(bw) * static_cast<std::size_t>(bh));
  for (int row = 0; row < people.height; ++row)
    for (int col = 0; col < people.width; ++col) {
      const double v = people.at(col, row);
      if (!(v > 0.0)) continue;
      Block& bl = blocks[static_cast<std::size_t>(row / b) * static_cast<std::size_t>(bw) +
                         static_cast<std::size_t>(col / b)];
      const core::Vec2 c = people.cell_center(col, row);
      const int u = unit.same_frame(people) ? unit.at(col, row) : -1;
      const double pr = u >= 0 && static_cast<std::size_t>(u) < unit_prio.size()
                            ? unit_prio[static_cast<std::size_t>(u)]
                            : 1.0;
      bl.people += v;
      bl.sx += v * c.x;
      bl.sy += v * c.y;
      bl.sp += v * pr;
      if (v > bl.top) {
        bl.top = v;
        bl.top_unit = u;
      }
    }
  std::vector<core::Vec2>& demand_pts = ps.demand_points;
  const std::vector<std::string> no_names;
  const std::vector<std::string>& finest = pe.area.levels.empty() ? no_names : pe.area.levels.front().names;
  auto unit_name = [&](int u) {
    return u >= 0 && static_cast<std::size_t>(u) < finest.size() ? finest[static_cast<std::size_t>(u)]
                                                                 : std::string("?");
  };
  // Whole people per block by largest remainder, so the blocks add up to the people grid's
  // total rounded once (38,589 on data/abag), not each block rounded on its own.
  double total = 0.0;
  for (const Block& bl : blocks) total += bl.people;
  const auto whole_total = static_cast<std::int64_t>(std::llround(total));
  std::vector<std::int64_t> whole(blocks.size(), 0);
  std::vector<std::size_t> order;
  std::int64_t assigned = 0;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    if (!(blocks[i].people > 0)) continue;
    whole[i] = static_cast<std::int64_t>(std::floor(blocks[i].people));
    assigned += whole[i];
    order.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t c) {
    return blocks[a].people - std::floor(blocks[a].people) > blocks[c].people - std::floor(blocks[c].people);
  });
  for (std::size_t q = 0; assigned < whole_total && q < order.size(); ++q, ++assigned) ++whole[order[q]];
  std::vector<int> demand_unit;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    const Block& bl = blocks[i];
    if (whole[i] <= 0) continue;
    demand_pts.push_back({bl.sx / bl.people, bl.sy / bl.people});
    demand_unit.push_back(bl.top_unit);
    inst.population.push_back(whole[i]);
    inst.priority.push_back(static_cast<std::int32_t>(std::lround(bl.sp / bl.people * PRIORITY_SCALE)));
    ps.people_total += whole[i];
  }
  // Named by unit and longitude/latitude, never by analysis-CRS metres.
  auto name_points = [&](const std::vector<core::Vec2>& pts, const std::vector<int>& units) {
    std::vector<core::Vec2> ll = pts;
    const bool have_ll = spec.to_lonlat && spec.to_lonlat(ll);
    std::vector<std::string> names;
    for (std::size_t i = 0; i < pts.size(); ++i) {
      std::string nm = unit_name(units[i]);
      if (have_ll)
        nm += " " + fmt(std::abs(ll[i].x), 2) + (ll[i].x < 0 ? "°W " : "°E ") + fmt(std::abs(ll[i].y), 2) +
              (ll[i].y < 0 ? "°S" : "°N");
      names.push_back(std::move(nm));
    }
    return names;
  };
  inst.demand_names = name_points(demand_pts, demand_unit);
  if (demand_pts.empty()) {
    error = toml + ": the study area has no people (没有人口数据)";
    return std::nullopt;
  }

  // Candidates: point layers by name, or a regular grid over the study area.
  std::vector<core::Vec2>& cand_pts = ps.candidate_points;
  std::vector<std::string>& cand_names = inst.candidate_names;
  if (spec.candidates.rfind("grid:", 0) == 0) {
    double step = 0.0;
    if (!parse_number(spec.candidates.substr(5), step) || step < people.cell) {
      error = "--candidates grid:METRES needs a spacing of at least one cell (" + fmt(people.cell, 0) + " m)";
      return std::nullopt;
    }
    const core::BBox e = people.extent();
    std::vector<int> cand_unit;
    for (double y = e.max_y - step / 2; y > e.min_y; y -= step)
      for (double x = e.min_x + step / 2; x < e.max_x; x += step) {
        const int col = people.col_of(x), row = people.row_of(y);
        if (!unit.in_bounds(col, row) || unit.at(col, row) < 0) continue;
        if (!spec.keep_outside && !doc.study.contains({x, y})) {
          ++ps.excluded_outside;
          continue;
        }
        cand_pts.push_back({x, y});
        cand_unit.push_back(unit.at(col, row));
      }
    cand_names = name_points(cand_pts, cand_unit);
  } else {
    std::vector<const core::Layer*> layers;
    if (spec.candidates.empty()) {
      for (const auto& l : doc.layers)
        if (l.geom.kind == core::GeomKind::Point &&
            (l.role == core::Role::Village || l.role == core::Role::Town || l.name == "village_centres"))
          layers.push_back(&l);
      if (layers.empty()) {
        error = toml +
                ": no village or township seat point layer for candidates; name one with --candidates LAYER";
        return std::nullopt;
      }
    } else {
      std::size_t pos = 0;
      while (pos <= spec.candidates.size()) {
        const std::size_t comma = std::min(spec.candidates.find(',', pos), spec.candidates.size());
        const std::string name = spec.candidates.substr(pos, comma - pos);
        pos = comma + 1;
        if (name.empty()) continue;
        const core::Layer* found = nullptr;
        for (const auto& l : doc.layers)
          if (l.name == name) found = &l;
        if (!found) {
          error = toml + ": --candidates: no layer named '" + name + "' in the project";
          return std::nullopt;
        }
        if (found->is_raster || found->geom.kind == core::GeomKind::None) {
          error = toml + ": --candidates: layer '" + name + "' has no vector features";
          return std::nullopt;
        }
        layers.push_back(found);
      }
    }
    for (const core::Layer* l : layers) {
      const int name_col = l->column(l->fields.name);
      for (core::FeatureId q = 0; q < l->geom.feature_count(); ++q) {
        if (!l->geom.has_geometry(q)) continue;
        const core::Vec2 at = l->geom.kind == core::GeomKind::Point ? l->geom.first_point(q)
                                                                    : core::feature_centroid(l->geom, q);
        if (!spec.keep_outside && !doc.study.contains(at)) {
          ++ps.excluded_outside;
          continue;
        }
        cand_pts.push_back(at);
        std::string nm =
            name_col >= 0 ? l->attrs.columns[static_cast<std::size_t>(name_col)].text(q) : std::string();
        cand_names.push_back(nm.empty() ? l->name + " #" + std::to_string(q + 1) : nm);
      }
    }
  }
  if (cand_pts.empty()) {
    error = toml + ": no candidate sites (没有候选点)" +
            (ps.excluded_outside > 0
                 ? "; " + std::to_string(ps.excluded_outside) +
                       " candidates lie outside the study area (在研究区外; --keep-outside keeps them)"
                 : std::string());
    return std::nullopt;
  }
  ps.new_candidates = cand_pts.size();
  const std::size_t n_new = ps.new_candidates;
  for (std::size_t q = 0; q < set.points.size(); ++q) {
    cand_pts.push_back(set.points[q]);
    cand_names.push_back((q < set.names.size() && !set.names[q].empty() ? set.names[q] : set.facility) +
                         " (现有 existing)");
    inst.existing.push_back(static_cast<core::Id>(n_new + q));
  }

  // Groups: the township each candidate lies in.
  if (spec.one_per_group) {
    std::size_t lvl = pe.area.levels.size();
    for (std::size_t l = 0; l < pe.area.levels.size(); ++l)
      if (pe.area.levels[l].name == "township") lvl = l;
    if (lvl == pe.area.levels.size()) {
      error = toml + ": --one-per-group needs a township layer (没有乡镇图层)";
      return std::nullopt;
    }
    inst.group.assign(cand_pts.size(), core::INVALID_ID);
    for (std::size_t j = 0; j < cand_pts.size(); ++j) {
      const int col = unit.col_of(cand_pts[j].x), row = unit.row_of(cand_pts[j].y);
      if (!unit.in_bounds(col, row) || unit.at(col, row) < 0) continue;
      core::Id u = static_cast<core::Id>(unit.at(col, row));
      for (std::size_t l = 0; l < lvl && u != core::INVALID_ID; ++l) u = pe.area.levels[l].parent[u];
      inst.group[j] = u;
    }
  }

  // Travel times, candidate -> demand, bounded by the standard (MCLP, LSCP) or the radius.
  // Covering problems only need the standard, but a longer reach names the best time of demand no
  // candidate covers.
  const bool covering = spec.problem == SitingProblem::Mclp || spec.problem == SitingProblem::Lscp;
  double limit_s = spec.radius_min > 0.0 ? spec.radius_min * 60.0 : std::max(3.0 * set.standard_s, 7200.0);
  if (covering) limit_s = std::max(limit_s, static_cast<double>(ps.standard));
  if (!covering) ps.unreachable_cost = static_cast<core::ISeconds>(std::lround(limit_s)) + 1;
  ps.limit_s = limit_s;
  // The resource guard: at worst every pair is within reach (8 bytes an entry, held twice while
  // it is turned candidate-major).
  core::require_memory("the siting matrix of " + core::thousands(demand_pts.size()) + " demand points × " +
                           core::thousands(cand_pts.size()) + " candidates is up to " +
                           core::thousands(static_cast<std::uint64_t>(demand_pts.size()) * cand_pts.size()) +
                           " pairs",
                       static_cast<std::uint64_t>(demand_pts.size()) * cand_pts.size() * 16,
                       doc.config.limits.memory_gb, "use fewer candidates or a shorter radius_min");
  const analysis::SparseTimeMatrix sm =
      analysis::sparse_time_matrix(pe.travel.model, demand_pts, cand_pts, limit_s, 2, cancel);
  inst.times = from_candidate_major(demand_pts.size(), cand_pts.size(), sm.offsets, sm.demand, sm.seconds);
  return ps;
}

analysis::Evaluation evaluate_with_sites(const core::Document& doc, const analysis::ProjectEvaluation& pe,
                                         const ProjectSiting& ps, const std::vector<core::Id>& chosen,
                                         const std::vector<analysis::FacilitySet>* sets) {
  std::vector<analysis::FacilitySet> sets_after = sets ? *sets : pe.ev.sets;
  analysis::FacilitySet& sa = sets_after[ps.set_index];
  for (core::Id j : chosen) {
    sa.points.push_back(ps.candidate_points[j]);
    sa.names.push_back(ps.instance.candidate_names[j]);
    if (!sa.levels.empty()) sa.levels.push_back("");
    if (!sa.floor_area_m2.empty()) sa.floor_area_m2.push_back(0.0);
  }
  return analysis::evaluate(doc, pe.area, pe.travel.model, sets_after, pe.priority);
}

}  // namespace kepumap::optimize
