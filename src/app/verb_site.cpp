// `kepumap site`: siting new bases on a plain instance (OR-Library p-median file or a demand x
// candidate CSV), printing objective, bound, gap, the chosen sites and the marginal table.
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include <algorithm>
#include <cmath>
#include <map>

#include "analysis/coverage.hpp"
#include "analysis/evaluation.hpp"
#include "app/cli_common.hpp"
#include "app/verbs.hpp"
#include "core/atomic_file.hpp"
#include "core/resources.hpp"
#include "geo/crs.hpp"
#include "io/errors.hpp"
#include "io/gpkg_meta.hpp"
#include "io/vector_writer.hpp"
#include "optimize/siting.hpp"
#include "optimize/siting_io.hpp"
#include "optimize/siting_project.hpp"
#include "report/coverage_tables.hpp"
#include "report/qgis_style.hpp"
#include "report/tables.hpp"

namespace kepumap::app {
namespace {

namespace opt = kepumap::optimize;

void usage() {
  std::fprintf(
      stderr,
      "用法 usage: kepumap site (--orlib FILE | --matrix FILE) [options]\n"
      "       kepumap site project.toml [--scenario NAME] -o DIR [options]\n"
      "  --facility ROLE       project: facility kind of a [[standard]] (default education_base)\n"
      "  --candidates LAYERS   project: candidate point layers, comma-separated, or grid:METRES\n"
      "                        (default: the village and township seat layers)\n"
      "  --radius MINUTES      project: longest trip in the time matrix (default 3 x standard, >= 2 h)\n"
      "  --problem pmedian|mclp|lscp|pcenter   问题 (default pmedian)\n"
      "  --p N                 新址数 new sites (default: the OR-Library file's p, else 1)\n"
      "  --budget B            预算 total cost of new sites instead of p (@cost row)\n"
      "  --standard SECONDS    服务标准 service standard (mclp, lscp; coverage figures)\n"
      "  --target SHARE        lscp: 覆盖目标 share of population to cover, 0..1 (default 1)\n"
      "  --one-per-group       每个乡镇至少一处 at least one site per @group\n"
      "  --keep-outside        project: 保留研究区外的候选点 keep candidates outside the study area\n"
      "  --unreachable SECONDS p-median/p-center cost of a demand no site reaches\n"
      "  --exact               GLPK 精确解 exact MIP instead of the heuristics\n"
      "  --time-limit SECONDS  exact mode time limit (default 60)\n"
      "  --out FILE.csv        写边际表 write the marginal table as CSV\n");
}

int bad(const std::string& what) {
  std::fprintf(stderr, "error: site: %s\n", what.c_str());
  return 2;
}

std::string site_label(const opt::SitingInstance& inst, core::Id j, bool orlib) {
  if (orlib) return std::to_string(j + 1);
  if (j < inst.candidate_names.size()) return inst.candidate_names[j];
  return std::to_string(j);
}

/// Prints objective, bound, gap, chosen sites, uncoverable demand and the marginal table.
void print_result(const opt::SitingInstance& inst, const opt::SitingOptions& o, const opt::SitingResult& r,
                  bool orlib) {
  const bool maximise = o.problem == opt::SitingProblem::Mclp;
  const bool weighted = o.problem == opt::SitingProblem::Mclp;
  auto show = [&](double v) { return weighted ? v / static_cast<double>(opt::PRIORITY_SCALE) : v; };
  std::printf("问题 problem: %s   需求点 demands: %zu   候选点 candidates: %zu   已有 existing: %zu\n",
              opt::problem_name(o.problem), inst.num_demands(), inst.num_candidates(), inst.existing.size());
  std::printf("方法 method: %s\n", r.method.c_str());
  if (o.problem == opt::SitingProblem::Lscp && r.status == opt::SolveStatus::Infeasible)
    std::printf(
        "状态 status: infeasible — 目标无法达到，已覆盖全部可覆盖人口 (target cannot be met; everyone "
        "coverable is covered)%s\n",
        r.proven_optimal ? "; 站点数已证最少 site count proven minimal" : "");
  else if (o.one_per_group && r.status == opt::SolveStatus::Infeasible)
    std::printf(
        "状态 status: infeasible — 每个乡镇至少一处需要更多站点 (one site per township needs more new sites "
        "than allowed)\n");
  else
    std::printf("状态 status: %s%s\n", opt::status_text(r.status),
                r.proven_optimal ? " (已证最优 proven optimal)" : "");
  std::printf("目标值 objective: %.10g\n", show(static_cast<double>(r.objective)));
  std::printf("界 bound: %.10g (%s)\n", show(r.bound), maximise ? "上界 upper" : "下界 lower");
  std::printf("差距 gap: %.3f %%\n", r.gap_percent);
  std::printf("用时 time: %.3f s\n", r.seconds);
  std::printf("选址 chosen sites (%zu):", r.chosen.size());
  for (core::Id j : r.chosen) std::printf(" %s", site_label(inst, j, orlib).c_str());
  std::printf("\n");
  if (o.standard >= 0)
    std::printf(inst.capacity.empty()
                    ? "标准内人口 population within %d s: %lld -> %lld of %lld\n"
                    : "标准与容量内人口 population served within %d s and capacity: %lld -> %lld of %lld\n",
                o.standard, static_cast<long long>(r.covered_before),
                static_cast<long long>(r.covered_population), static_cast<long long>(r.total_population));
  if (r.unserved_demands > 0 &&
      (o.problem == opt::SitingProblem::PMedian || o.problem == opt::SitingProblem::PCenter))
    std::printf("不可达需求点 demand points no site reaches: %lld\n",
                static_cast<long long>(r.unserved_demands));
  if (!r.uncoverable.empty()) {
    std::printf("无法覆盖 demand no candidate reaches within the standard (%zu):\n", r.uncoverable.size());
    for (std::size_t k = 0; k < r.uncoverable.size() && k < 20; ++k) {
      const auto& u = r.uncoverable[k];
      const std::string name = u.demand < inst.demand_names.size()
                                   ? inst.demand_names[u.demand]
                                   : std::to_string(u.demand + (orlib ? 1 : 0));
      if (u.best_time == core::UNREACHABLE)
        std::printf("  %s  人口 %lld  不可达 unreachable\n", name.c_str(),
                    static_cast<long long>(u.population));
      else
        std::printf("  %s  人口 %lld  最快 best %d s\n", name.c_str(), static_cast<long long>(u.population),
                    u.best_time);
    }
    if (r.uncoverable.size() > 20) std::printf("  ... %zu more\n", r.uncoverable.size() - 20);
  }
  std::printf("边际表 marginal table:\n  %-4s %-16s %14s %16s %16s\n", "#", "site", "added_people",
              "added_weighted", "objective_after");
  for (std::size_t k = 0; k < r.marginal.size(); ++k) {
    const auto& m = r.marginal[k];
    const std::string added = o.standard >= 0 ? std::to_string(m.added_population) : "-";
    char addw[32] = "-";
    if (o.standard >= 0)
      std::snprintf(addw, sizeof addw, "%.10g",
                    static_cast<double>(m.added_weighted) / static_cast<double>(opt::PRIORITY_SCALE));
    std::printf("  %-4zu %-16s %14s %16s %16.10g\n", k + 1, site_label(inst, m.candidate, orlib).c_str(),
                added.c_str(), addw,
                o.problem == opt::SitingProblem::Mclp ? show(static_cast<double>(m.objective_after))
                                                      : static_cast<double>(m.objective_after));
  }
}

/// Every flag of both modes.
struct Flags {
  std::string orlib_file, matrix_file, out_file;
  opt::SitingOptions o;
  long long p = -1;
  std::string facility = "education_base";
  std::string candidates;     ///< project: layer names, comma-separated, or grid:METRES
  double radius_min = -1.0;   ///< project p-median/p-center: longest trip counted, minutes
  bool keep_outside = false;  ///< project: keep candidates outside the study area
};

/// Parses the flags; returns -1 when fine, else the exit code (message printed).
int parse_flags(const std::vector<std::string>& args, Flags& f, bool project) {
  opt::SitingOptions& o = f.o;
  for (std::size_t k = 0; k < args.size(); ++k) {
    const std::string& a = args[k];
    auto value = [&](std::string& dst) {
      if (k + 1 >= args.size()) return false;
      dst = args[++k];
      return true;
    };
    std::string v;
    long long iv = 0;
    double dv = 0.0;
    if (a == "--help" || a == "-h") {
      usage();
      return 0;
    } else if (!project && a == "--orlib") {
      if (!value(f.orlib_file)) return bad("--orlib needs a file");
    } else if (!project && a == "--matrix") {
      if (!value(f.matrix_file)) return bad("--matrix needs a file");
    } else if (!project && (a == "--out" || a == "-o")) {
      if (!value(f.out_file)) return bad(a + " needs a file");
    } else if (project && a == "--facility") {
      if (!value(f.facility)) return bad("--facility needs a facility kind (education_base, museum, ...)");
    } else if (project && a == "--candidates") {
      if (!value(f.candidates)) return bad("--candidates needs layer names or grid:METRES");
    } else if (project && a == "--radius") {
      if (!value(v) || !parse_double(v, dv) || dv <= 0.0) return bad("--radius needs minutes > 0");
      f.radius_min = dv;
    } else if (a == "--problem") {
      if (!value(v)) return bad("--problem needs pmedian, mclp, lscp or pcenter");
      if (v == "pmedian" || v == "p-median")
        o.problem = opt::SitingProblem::PMedian;
      else if (v == "mclp")
        o.problem = opt::SitingProblem::Mclp;
      else if (v == "lscp")
        o.problem = opt::SitingProblem::Lscp;
      else if (v == "pcenter" || v == "p-center")
        o.problem = opt::SitingProblem::PCenter;
      else
        return bad("unknown --problem '" + v + "' (pmedian, mclp, lscp, pcenter)");
    } else if (a == "--p") {
      if (!value(v) || !parse_int(v, iv) || iv < 0 || iv > 1000000)
        return bad("--p needs a whole number >= 0");
      f.p = iv;
    } else if (a == "--budget") {
      if (!value(v) || !parse_int(v, iv) || iv < 0) return bad("--budget needs a whole number >= 0");
      o.budget = iv;
    } else if (!project && a == "--standard") {
      if (!value(v) || !parse_int(v, iv) || iv < 0 || iv >= core::UNREACHABLE)
        return bad("--standard needs whole seconds >= 0");
      o.standard = static_cast<core::ISeconds>(iv);
    } else if (!project && a == "--unreachable") {
      if (!value(v) || !parse_int(v, iv) || iv <= 0 || iv >= core::UNREACHABLE)
        return bad("--unreachable needs whole seconds > 0");
      o.unreachable_cost = static_cast<core::ISeconds>(iv);
    } else if (a == "--target") {
      if (!value(v) || !parse_double(v, dv) || dv < 0.0 || dv > 1.0)
        return bad("--target needs a share 0..1");
      o.target_share = dv;
    } else if (a == "--time-limit") {
      if (!value(v) || !parse_double(v, dv) || dv <= 0.0) return bad("--time-limit needs seconds > 0");
      o.time_limit_s = dv;
    } else if (a == "--one-per-group") {
      o.one_per_group = true;
    } else if (project && a == "--keep-outside") {
      f.keep_outside = true;
    } else if (a == "--exact") {
      o.exact = true;
    } else {
      usage();
      return bad("unknown argument '" + a + "'");
    }
  }
  return -1;
}

int run_project(const std::vector<std::string>& args);

int run_site(const std::vector<std::string>& args) {
  if (!args.empty() && args[0].size() > 5 && args[0].compare(args[0].size() - 5, 5, ".toml") == 0)
    return run_project(args);
  for (const auto& a : args)
    if (a.size() > 5 && a.compare(a.size() - 5, 5, ".toml") == 0)
      return bad("put the project file first: kepumap site project.toml [options]");
  Flags f;
  if (const int rc = parse_flags(args, f, false); rc >= 0) return rc;
  opt::SitingOptions& o = f.o;
  std::string &orlib_file = f.orlib_file, &matrix_file = f.matrix_file, &out_file = f.out_file;
  long long& p = f.p;
  if (orlib_file.empty() == matrix_file.empty()) {
    usage();
    return bad("give exactly one of --orlib FILE or --matrix FILE, or a project.toml");
  }
  opt::SitingInstance inst;
  const bool orlib = !orlib_file.empty();
  if (refuse_input_file(orlib ? orlib_file : matrix_file, orlib ? "--orlib" : "--matrix")) return 2;
  try {
    if (orlib) {
      opt::OrlibInstance oi = opt::read_orlib_pmedian(orlib_file);
      inst = std::move(oi.instance);
      if (p < 0) p = oi.p;
    } else {
      inst = opt::read_matrix_csv(matrix_file);
    }
  } catch (const opt::InstanceFileError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
  o.p = static_cast<int>(p < 0 ? 1 : p);
  if ((o.problem == opt::SitingProblem::Mclp || o.problem == opt::SitingProblem::Lscp) && o.standard < 0)
    return bad(std::string(opt::problem_name(o.problem)) + " needs --standard SECONDS (服务标准)");
  if (o.p > static_cast<long long>(inst.num_candidates()))
    return bad("--p " + std::to_string(o.p) + " exceeds the " + std::to_string(inst.num_candidates()) +
               " candidates");
  if (o.budget >= 0 && inst.cost.empty())
    return bad("--budget needs candidate costs (@cost row in the matrix CSV)");
  if (o.one_per_group && inst.group.empty())
    return bad("--one-per-group needs candidate groups (@group row)");
  if (!inst.capacity.empty() && !opt::capacities_apply(o.problem))
    return bad(std::string("@capacity row: ") + opt::CAPACITY_PROBLEMS);
  const std::vector<std::string> problems = opt::validate(inst);
  if (!problems.empty()) {
    for (const auto& s : problems)
      std::fprintf(stderr, "error: %s: %s\n", (orlib ? orlib_file : matrix_file).c_str(), s.c_str());
    return 2;
  }
  const opt::SitingResult r = opt::solve_siting(inst, o);
  print_result(inst, o, r, orlib);
  if (!out_file.empty()) {
    std::ostringstream os;
    os << "rank,site,added_people,added_weighted,objective_after\n";
    for (std::size_t k = 0; k < r.marginal.size(); ++k) {
      const auto& m = r.marginal[k];
      os << (k + 1) << ',' << report::csv_field(site_label(inst, m.candidate, orlib)) << ','
         << m.added_population << ','
         << static_cast<double>(m.added_weighted) / static_cast<double>(opt::PRIORITY_SCALE) << ','
         << (o.problem == opt::SitingProblem::Mclp
                 ? static_cast<double>(m.objective_after) / static_cast<double>(opt::PRIORITY_SCALE)
                 : static_cast<double>(m.objective_after))
         << '\n';
    }
    std::string why;
    if (!core::write_file_atomic(out_file, os.str(), &why))
      return bad("cannot write " + out_file + ": " + why);
  }
  // LSCP whose target cannot be met: a checked target missed.
  if (o.problem == opt::SitingProblem::Lscp && r.status == opt::SolveStatus::Infeasible) return 1;
  if (r.status == opt::SolveStatus::Infeasible) return 1;
  return 0;
}

/// `kepumap site project.toml [--scenario NAME] -o DIR ...`: demand from the project's study area,
/// candidates from point layers (or a grid), existing facilities of one [[standard]], travel
/// times from the project's travel engine; writes the chosen sites, the marginal table and the
/// coverage before and after.
int run_project(const std::vector<std::string>& args) {
  const auto common = parse_common(args, "site", true);
  if (!common) return 2;
  Flags f;
  if (const int rc = parse_flags(common->rest, f, true); rc >= 0) return rc;
  opt::SitingOptions& o = f.o;
  o.p = static_cast<int>(f.p < 0 ? 1 : f.p);
  std::optional<LoadedProject> lp;
  try {
    lp = load_and_evaluate(*common);
  } catch (const io::DataError& e) {
    std::fprintf(stderr, "%s\n", e.problem.to_line().c_str());
    return 2;
  }
  if (!lp) return 2;
  const core::Document& doc = lp->doc;
  const analysis::ProjectEvaluation& pe = lp->pe;
  const std::string& toml = common->project;

  opt::ProjectSitingSpec spec;
  spec.facility = f.facility;
  spec.candidates = f.candidates;
  spec.radius_min = f.radius_min;
  spec.problem = o.problem;
  spec.one_per_group = o.one_per_group;
  spec.keep_outside = f.keep_outside;
  spec.to_lonlat = [&doc](std::vector<core::Vec2>& pts) {
    try {
      return geo::Transform(doc.analysis_crs, "EPSG:4326").apply(pts);
    } catch (const geo::CrsError&) {
      return false;
    }
  };
  std::string err;
  std::optional<opt::ProjectSiting> built = opt::build_project_siting(doc, pe, spec, toml, err);
  if (!built) return bad(err);
  const opt::ProjectSiting& ps = *built;
  const opt::SitingInstance& inst = ps.instance;
  const std::size_t k = ps.set_index;
  const analysis::FacilitySet& set = pe.ev.sets[k];
  const std::vector<core::Vec2>& cand_pts = ps.candidate_points;
  const std::vector<std::string>& cand_names = inst.candidate_names;
  const std::size_t n_new = ps.new_candidates;
  const int b = ps.block_cells;
  const double limit_s = ps.limit_s;
  const std::vector<core::Vec2>& demand_pts = ps.demand_points;
  o.standard = ps.standard;
  if (ps.unreachable_cost > 0) o.unreachable_cost = ps.unreachable_cost;
  if (o.p > static_cast<long long>(n_new))
    return bad("--p " + std::to_string(o.p) + " exceeds the " + std::to_string(n_new) + " candidates");
  if (o.budget >= 0)
    return bad("--budget needs candidate costs, which project layers do not carry yet; use --p");

  opt::SitingResult r = opt::solve_siting(inst, o);
  // Coverage before and after, through the same evaluation the coverage verb and the app use.
  const analysis::Evaluation after = opt::evaluate_with_sites(doc, pe, ps, r.chosen);
  const analysis::Evaluation& before = pe.ev;
  if (o.standard >= 0 && inst.capacity.empty()) {
    // The people within the standard before and after, and what each site adds in the order
    // chosen, are the coverage evaluation's (not the siting matrix's demand blocks, which round
    // the grid into blocks), so the console, sites.csv/gpkg and coverage_before_after.csv agree.
    auto covered = [k](const analysis::Evaluation& e) { return e.coverage.total.service[k].covered; };
    r.total_population = std::llround(before.coverage.total.population);
    r.covered_before = std::llround(covered(before));
    r.covered_population = std::llround(covered(after));
    std::vector<core::Id> prefix;
    double last = covered(before);
    for (std::size_t q = 0; q < r.marginal.size(); ++q) {
      prefix.push_back(r.marginal[q].candidate);
      const double now = q + 1 == r.marginal.size() && prefix.size() == r.chosen.size()
                             ? covered(after)
                             : covered(opt::evaluate_with_sites(doc, pe, ps, prefix));
      r.marginal[q].added_population = std::llround(now) - std::llround(last);
      last = now;
    }
  }
  std::printf(
      "%s%s%s — %s, 标准 standard %d min, 需求块 demand blocks %zu (%d x %d cells), 候选 candidates %zu, "
      "时间矩阵 times up to %d min (farther = unreachable)\n",
      doc.config.name.c_str(), common->scenario.empty() ? "" : " — ", common->scenario.c_str(),
      set.facility.c_str(), static_cast<int>(std::lround(set.standard_s / 60.0)), demand_pts.size(), b, b,
      n_new, static_cast<int>(std::lround(limit_s / 60.0)));
  std::printf("人口 population: %s in the demand blocks\n",
              core::thousands(static_cast<std::uint64_t>(ps.people_total)).c_str());
  if (ps.excluded_outside > 0)
    std::printf("在研究区外 outside the study area: %zu candidates excluded (--keep-outside keeps them)\n",
                ps.excluded_outside);
  else if (f.keep_outside)
    std::printf("在研究区外 outside the study area: no candidates (--keep-outside)\n");
  print_result(inst, o, r, false);

  std::printf("覆盖率 coverage %s: %.1f %% -> %.1f %%\n", set.facility.c_str(),
              100.0 * before.coverage.total.service[k].share(),
              100.0 * after.coverage.total.service[k].share());

  // Outputs.
  const std::filesystem::path dir = common->out_dir;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return bad(dir.string() + ": cannot create the output folder: " + ec.message());
  core::Geometries g;
  g.kind = core::GeomKind::Point;
  core::Table t;
  const int c_rank = t.add_column("rank", core::FieldType::Integer);
  const int c_name = t.add_column("name", core::FieldType::Text);
  const int c_add = t.add_column("added_people", core::FieldType::Integer);
  const int c_addw = t.add_column("added_weighted", core::FieldType::Real);
  const int c_obj = t.add_column("objective_after", core::FieldType::Real);
  for (std::size_t q = 0; q < r.marginal.size(); ++q) {
    const auto& m = r.marginal[q];
    g.coords.push_back(cand_pts[m.candidate]);
    g.ring_coords.push_back(static_cast<std::uint32_t>(g.coords.size()));
    g.end_part();
    g.end_feature();
    t.columns[static_cast<std::size_t>(c_rank)].push_int(static_cast<std::int64_t>(q + 1));
    t.columns[static_cast<std::size_t>(c_name)].push_text(cand_names[m.candidate]);
    t.columns[static_cast<std::size_t>(c_add)].push_int(m.added_population);
    t.columns[static_cast<std::size_t>(c_addw)].push_real(static_cast<double>(m.added_weighted) /
                                                          opt::PRIORITY_SCALE);
    t.columns[static_cast<std::size_t>(c_obj)].push_real(
        o.problem == opt::SitingProblem::Mclp ? static_cast<double>(m.objective_after) / opt::PRIORITY_SCALE
                                              : static_cast<double>(m.objective_after));
  }
  try {
    io::WriteOptions wo;
    wo.analysis_crs = doc.analysis_crs;
    wo.output_crs = output_crs_definition(common->crs, doc);
    io::GpkgLayerMeta m;
    m.table = "sites";
    m.title = common->english ? "chosen sites" : "选址结果";
    m.description = "kepumap site: the chosen sites in the order chosen, with the people each adds";
    m.aliases = common->english ? report::FieldAliases{{"rank", "rank"},
                                                       {"name", "name"},
                                                       {"added_people", "people added"},
                                                       {"added_weighted", "weighted people added"},
                                                       {"objective_after", "objective after"}}
                                : report::FieldAliases{{"rank", "排序"},
                                                       {"name", "名称"},
                                                       {"added_people", "新增覆盖人口"},
                                                       {"added_weighted", "新增加权人口"},
                                                       {"objective_after", "选入后目标值"}};
    m.qml = report::qml_points(output_style(common->project).for_role(core::Role::EducationBase), "name",
                               m.aliases);
    io::write_styled_gpkg(dir / "sites.gpkg", {{"sites", &g, &t}}, wo, {m});
  } catch (const io::DataError& e) {
    std::fprintf(stderr, "%s\n", e.problem.to_line().c_str());
    return 2;
  }
  // The CSVs for spreadsheets: UTF-8 with BOM, Chinese headers (English with --lang en), codes
  // kept as text, sites with WGS84 longitude/latitude.
  const bool en = common->english;
  report::Sheet sites_sheet;
  sites_sheet.name = en ? "sites" : "选址";
  sites_sheet.headers =
      en ? std::vector<std::string>{"rank",           "name",           "lon", "lat", "added people",
                                    "added weighted", "objective after"}
         : std::vector<std::string>{"顺序",         "名称",         "经度",        "纬度",
                                    "新增覆盖人口", "新增加权覆盖", "选址后目标值"};
  std::vector<core::Vec2> lonlat(g.coords);
  try {
    geo::Transform(doc.analysis_crs, "EPSG:4326").apply(lonlat);
  } catch (const std::exception& e) {
    return bad(std::string("sites.csv: ") + e.what());
  }
  for (std::size_t q = 0; q < r.marginal.size() && q < lonlat.size(); ++q) {
    const auto& m = r.marginal[q];
    sites_sheet.rows.push_back(
        {report::Cell::count(static_cast<double>(q + 1)), cand_names[m.candidate],
         report::Cell(lonlat[q].x, 6), report::Cell(lonlat[q].y, 6),
         report::Cell::count(static_cast<double>(m.added_population)),
         report::Cell(static_cast<double>(m.added_weighted) / opt::PRIORITY_SCALE, 1),
         report::Cell(o.problem == opt::SitingProblem::Mclp
                          ? static_cast<double>(m.objective_after) / opt::PRIORITY_SCALE
                          : static_cast<double>(m.objective_after),
                      1)});
  }
  report::Sheet cov;
  cov.name = en ? "before and after" : "选址前后";
  cov.headers =
      en ? std::vector<std::string>{"level",          "unit",          "code",         "population",
                                    "covered before", "covered after", "share before", "share after"}
         : std::vector<std::string>{"层级",           "单元",           "代码",         "人口",
                                    "选址前覆盖人口", "选址后覆盖人口", "选址前覆盖率", "选址后覆盖率"};
  cov.rows.push_back({en ? "total" : "合计", "", report::Cell::code(""),
                      report::Cell::count(before.coverage.total.population),
                      report::Cell::count(before.coverage.total.service[k].covered),
                      report::Cell::count(after.coverage.total.service[k].covered),
                      report::Cell::share(before.coverage.total.service[k].share(), 4),
                      report::Cell::share(after.coverage.total.service[k].share(), 4)});
  for (std::size_t l = pe.area.levels.size(); l-- > 0;) {
    const auto& lv = pe.area.levels[l];
    for (std::size_t u = 0; u < lv.names.size() && u < before.coverage.levels[l].size(); ++u) {
      const auto& fb = before.coverage.levels[l][u];
      const auto& fa = after.coverage.levels[l][u];
      cov.rows.push_back({report::level_label(lv.name, en), lv.names[u],
                          report::Cell::code(u < lv.codes.size() ? lv.codes[u] : std::string()),
                          report::Cell::count(fb.population), report::Cell::count(fb.service[k].covered),
                          report::Cell::count(fa.service[k].covered),
                          report::Cell::share(fb.service[k].share(), 4),
                          report::Cell::share(fa.service[k].share(), 4)});
    }
  }
  try {
    report::write_csv(dir / "sites.csv", sites_sheet);
    report::write_csv(dir / "coverage_before_after.csv", cov);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  }
  std::printf("已写入 wrote %s (sites.gpkg, sites.csv, coverage_before_after.csv)\n", dir.string().c_str());
  if (r.status == opt::SolveStatus::Infeasible) return 1;
  return 0;
}

}  // namespace

static VerbRegistration reg{"site",
                            "选址 siting new bases: project.toml -o DIR | --orlib FILE | --matrix FILE "
                            "(p-median, MCLP, LSCP, p-center)",
                            run_site};

}  // namespace kepumap::app
