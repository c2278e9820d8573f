// `kepumap access project.toml --method 2sfca|e2sfca|ratio|capacity [--minutes M]
// [--decay gaussian|step] [--facility ROLE] [--supply capacity|area|one] -o DIR [--lang en]`:
// capacity-limited coverage and accessibility indices (README "Capacity and balance"); and
// `kepumap access --matrix FILE.csv --method ... --minutes M -o DIR` on the `site --matrix`
// layout (an @capacity row gives the supply), one row per demand point.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <tuple>

#include "analysis/access_project.hpp"
#include "app/cli_common.hpp"
#include "app/verbs.hpp"
#include "optimize/siting_io.hpp"
#include "report/access_outputs.hpp"

namespace kepumap::app {

namespace {

int bad(const std::string& what) {
  std::fprintf(stderr, "error: kepumap access: %s\n", what.c_str());
  return 2;
}

struct AccessFlags {
  analysis::AccessRequest req;
  bool have_method = false;
  std::string facility, matrix;
};

// Reads the access options out of `rest`; returns -1 when fine, else the exit code.
int parse_flags(const std::vector<std::string>& rest, AccessFlags& f, std::string* out_dir, bool* english) {
  for (std::size_t i = 0; i < rest.size(); ++i) {
    const std::string& s = rest[i];
    auto value = [&](std::string& v) {
      if (i + 1 >= rest.size()) return false;
      v = rest[++i];
      return true;
    };
    std::string v;
    if (s == "--method") {
      if (!value(v)) return bad("--method needs 2sfca, e2sfca, ratio or capacity");
      if (!analysis::access_method_from_name(v, f.req.method))
        return bad("--method: '" + v + "' is not a known method (2sfca, e2sfca, ratio, capacity)");
      f.have_method = true;
    } else if (s == "--minutes") {
      if (!value(v) || !parse_double(v, f.req.minutes) || !(f.req.minutes > 0) ||
          !std::isfinite(f.req.minutes))
        return bad("--minutes needs a positive number of minutes");
    } else if (s == "--decay") {
      if (!value(v)) return bad("--decay needs gaussian or step");
      if (v == "gaussian")
        f.req.decay = analysis::Decay::Gaussian;
      else if (v == "step")
        f.req.decay = analysis::Decay::Step;
      else
        return bad("--decay: '" + v + "' is not a known decay function (gaussian, step)");
    } else if (s == "--facility") {
      if (!value(f.facility)) return bad("--facility needs a facility role from [[standard]]");
    } else if (s == "--supply") {
      if (!value(v) || (v != "capacity" && v != "area" && v != "one"))
        return bad("--supply takes capacity, area or one");
      f.req.supply = v;
    } else if (s == "--matrix") {
      if (!value(f.matrix)) return bad("--matrix needs a CSV file");
    } else if (out_dir && (s == "-o" || s == "--out")) {
      if (!value(*out_dir)) return bad("-o needs an output folder");
    } else if (english && s == "--lang") {
      if (!value(v) || (v != "zh" && v != "en")) return bad("--lang takes zh or en");
      *english = v == "en";
    } else {
      return bad("unknown argument '" + s + "'");
    }
  }
  if (!f.have_method) return bad("give --method 2sfca, e2sfca, ratio or capacity");
  return -1;
}

// Matrix mode: demand points and facilities from the `site --matrix` CSV.
int run_matrix(const std::vector<std::string>& args) {
  AccessFlags f;
  std::string out_dir;
  bool english = false;
  if (const int rc = parse_flags(args, f, &out_dir, &english); rc >= 0) return rc;
  if (out_dir.empty()) return bad("give an output folder with -o DIR");
  if (!(f.req.minutes > 0)) return bad("--matrix needs --minutes (the catchment)");
  if (f.req.method == analysis::AccessMethod::Ratio)
    return bad("--method ratio needs units (a project): a matrix has no units to put the supply in");
  optimize::SitingInstance inst;
  if (refuse_input_file(f.matrix, "--matrix")) return 2;
  try {
    inst = optimize::read_matrix_csv(f.matrix);
  } catch (const optimize::InstanceFileError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
  const std::size_t nd = inst.num_demands(), nf = inst.num_candidates();
  std::vector<double> people(nd);
  double total = 0;
  for (std::size_t i = 0; i < nd; ++i) total += people[i] = static_cast<double>(inst.population[i]);
  if (!(total > 0)) return bad(f.matrix + ": zero demand: every population is 0");
  if (f.req.supply == "area")
    return bad(f.matrix + ": a matrix has no floor areas; use --supply capacity or one");
  if (f.req.supply == "capacity" && inst.capacity.empty())
    return bad(f.matrix + ": --supply capacity needs an @capacity row");
  const bool use_cap = f.req.supply != "one" && !inst.capacity.empty();
  // Facility-major reach lists from the demand-major matrix.
  const double d0 = f.req.minutes * 60.0;
  std::vector<std::tuple<std::uint32_t, float, std::uint32_t>> e;
  for (std::size_t i = 0; i < nd; ++i)
    for (std::uint32_t k = inst.times.offsets[i]; k < inst.times.offsets[i + 1]; ++k)
      if (inst.times.time[k] <= d0)
        e.emplace_back(inst.times.cand[k], static_cast<float>(inst.times.time[k]),
                       static_cast<std::uint32_t>(i));
  std::sort(e.begin(), e.end());
  analysis::ReachLists r;
  r.facilities = nf;
  r.items = nd;
  std::size_t q = 0;
  for (std::uint32_t j = 0; j < nf; ++j) {
    for (; q < e.size() && std::get<0>(e[q]) == j; ++q) {
      r.item.push_back(std::get<2>(e[q]));
      r.seconds.push_back(std::get<1>(e[q]));
    }
    r.offsets.push_back(static_cast<std::uint32_t>(r.item.size()));
  }
  std::vector<double> supply(nf, 1.0);
  if (use_cap)
    for (std::size_t j = 0; j < nf; ++j) supply[j] = static_cast<double>(inst.capacity[j]);
  auto name_of = [](const std::vector<std::string>& v, std::size_t i, const char* p) {
    return i < v.size() && !v[i].empty() ? v[i] : std::string(p) + std::to_string(i + 1);
  };
  using report::Cell;
  report::Sheet pts, fac;
  pts.name = "points";
  fac.name = "facilities";
  const bool cap = f.req.method == analysis::AccessMethod::Capacity;
  double mean = 0;
  if (cap) {
    analysis::CapacityParams cp;
    cp.standard_s = d0;
    if (use_cap) cp.capacity = supply;
    const auto res = analysis::capacity_coverage(people, r, cp);
    mean = res.total_realised / total;
    pts.headers = {"demand",  "population", "served_within_capacity", "within_reach", "share_within_capacity",
                   "relative"};
    for (std::size_t i = 0; i < nd; ++i)
      pts.rows.push_back({Cell(name_of(inst.demand_names, i, "d")), Cell(people[i], 0),
                          Cell(res.served[i], 3), Cell(res.reach[i], 0),
                          Cell(people[i] > 0 ? res.served[i] / people[i] : 0.0, 6),
                          Cell(people[i] > 0 && mean > 0 ? res.served[i] / people[i] / mean : 0.0, 6)});
    fac.headers = {"facility",        "capacity",      "realised", "residual",
                   "within_standard", "catchment_min", "order"};
    for (std::size_t j = 0; j < nf; ++j) {
      const auto& fc = res.facilities[j];
      fac.rows.push_back(
          {Cell(name_of(inst.candidate_names, j, "f")),
           std::isfinite(fc.capacity) ? Cell(fc.capacity, 0) : Cell("unlimited"), Cell(fc.realised, 3),
           std::isfinite(fc.capacity) ? Cell(fc.residual(), 3) : Cell(""), Cell(fc.within_standard, 0),
           Cell(fc.catchment_s / 60.0, 2), Cell(static_cast<double>(fc.rank + 1), 0)});
    }
  } else {
    const analysis::Decay d = f.req.decay;
    const auto fc = analysis::floating_catchment(
        people, r, supply, d0, f.req.method == analysis::AccessMethod::Enhanced ? &d : nullptr);
    mean = fc.mean;
    pts.headers = {"demand", "population", "index", "per_10k", "relative"};
    for (std::size_t i = 0; i < nd; ++i)
      pts.rows.push_back({Cell(name_of(inst.demand_names, i, "d")), Cell(people[i], 0), Cell(fc.index[i], 9),
                          Cell(fc.index[i] * 1e4, 6), Cell(mean > 0 ? fc.index[i] / mean : 0.0, 6)});
    fac.headers = {"facility", "supply", "ratio", "ratio_per_10k"};
    for (std::size_t j = 0; j < nf; ++j)
      fac.rows.push_back({Cell(name_of(inst.candidate_names, j, "f")), Cell(supply[j], 3),
                          Cell(fc.facility_ratio[j], 9), Cell(fc.facility_ratio[j] * 1e4, 6)});
  }
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) return bad(out_dir + ": cannot create the output folder: " + ec.message());
  try {
    report::write_csv(std::filesystem::path(out_dir) / "access_points.csv", pts);
    report::write_csv(std::filesystem::path(out_dir) / "access_facilities.csv", fac);
  } catch (const std::exception& ex) {
    return bad(ex.what());
  }
  std::printf("%s: %zu %s, %zu %s, %s %.0f min\n", analysis::access_method_name(f.req.method), nd,
              english ? "demand points" : "需求点 demand points", nf,
              english ? "facilities" : "设施 facilities", english ? "catchment" : "服务圈 catchment",
              f.req.minutes);
  std::printf("  %s: %.6g\n", english ? "region mean" : "区域均值 region mean", mean);
  std::printf("%s %s\n", english ? "wrote" : "已写入 wrote", out_dir.c_str());
  return 0;
}

int run_access(const std::vector<std::string>& args) {
  if (std::find(args.begin(), args.end(), "--matrix") != args.end()) return run_matrix(args);
  const auto a = parse_common(args, "access", true);
  if (!a) return 2;
  AccessFlags f;
  if (const int rc = parse_flags(a->rest, f, nullptr, nullptr); rc >= 0) return rc;
  auto lp = load_and_evaluate(*a);
  if (!lp) return 2;
  const auto& pe = lp->pe;
  const int k = analysis::access_set(pe.ev, f.facility);
  if (k < 0)
    return bad(f.facility.empty()
                   ? std::string("the project has no fixed [[standard]] (museum, education_base, ...)")
                   : "no fixed [[standard]] for facility '" + f.facility + "'");
  // Capacities must be clean before they are used.
  const auto& set = pe.ev.sets[static_cast<std::size_t>(k)];
  const bool uses_capacity = f.req.method == analysis::AccessMethod::Capacity || f.req.supply == "capacity" ||
                             (f.req.supply.empty() && set.has_capacity);
  if (uses_capacity)
    for (const auto& st : lp->doc.config.standards)
      if (st.facility == set.facility) {
        const auto problems = analysis::capacity_problems(lp->doc, st);
        for (const auto& p : problems) std::fprintf(stderr, "%s\n", p.to_line().c_str());
        if (!problems.empty()) return 2;
      }
  analysis::AccessOutcome out;
  if (const std::string err = analysis::compute_access(pe, static_cast<std::size_t>(k), f.req, out);
      !err.empty())
    return bad(lp->doc.config.file.string() + ": " + err);
  if (const std::string err =
          report::write_access_outputs(a->out_dir, lp->doc, pe, out, a->english, output_style(a->project),
                                       output_crs_definition(a->crs, lp->doc));
      !err.empty()) {
    std::fprintf(stderr, "%s\n", err.c_str());
    return 2;
  }
  const bool en = a->english;
  std::printf("%s — %s, %s %.0f min, %s %s\n", lp->doc.config.name.c_str(),
              analysis::access_method_name(f.req.method), en ? "catchment" : "服务圈 catchment",
              out.catchment_s / 60.0, en ? "supply" : "供给 supply", out.supply.c_str());
  if (f.req.method == analysis::AccessMethod::Capacity) {
    double reach = 0;
    for (double v : out.capacity.reach) reach += v;
    const double pop = out.units.people.empty() ? 0.0 : [&] {
      double s = 0;
      for (double v : out.units.people[0]) s += v;
      return s;
    }();
    std::printf("  %s: %.0f (%.1f %%)\n", en ? "served within capacity" : "容量内覆盖 served within capacity",
                out.capacity.total_realised, pop > 0 ? 100.0 * out.capacity.total_realised / pop : 0.0);
    std::printf("  %s: %.0f (%.1f %%)\n", en ? "within reach" : "可达 within reach", reach,
                pop > 0 ? 100.0 * reach / pop : 0.0);
  } else {
    std::printf("  %s: %.6g  (%s %.4g)\n", en ? "region mean per person" : "区域人均 region mean per person",
                out.mean, en ? "per 10,000 people" : "每万人 per 10,000", out.mean * 1e4);
  }
  std::printf("  %s: %.3f\n", en ? "Gini (finest units)" : "基尼系数 Gini", out.equity.gini);
  std::printf("  %s %.2f / %s %.2f; %s %.2f / %s %.2f\n", en ? "pastoral" : "牧区 pastoral",
              out.equity.pastoral, en ? "other" : "其他 other", out.equity.other,
              en ? "border" : "边境 border", out.equity.border, en ? "interior" : "内地 interior",
              out.equity.interior);
  std::printf("%s %s\n", en ? "wrote" : "已写入 wrote", a->out_dir.c_str());
  return 0;
}

VerbRegistration reg{
    "access", "容量与可达性 capacity-limited coverage, 2SFCA/E2SFCA indices and equity (-o DIR)", run_access};

}  // namespace
}  // namespace kepumap::app
