// `kepumap site`: siting new bases on a plain instance (OR-Library p-median file or a demand x
// candidate CSV), printing objective, bound, gap, the chosen sites and the marginal table.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "app/verbs.hpp"
#include "optimize/siting.hpp"
#include "optimize/siting_io.hpp"

namespace kepumap::app {
namespace {

namespace opt = kepumap::optimize;

void usage() {
  std::fprintf(stderr,
               "用法 usage: kepumap site (--orlib FILE | --matrix FILE) [options]\n"
               "  --problem pmedian|mclp|lscp|pcenter   问题 (default pmedian)\n"
               "  --p N                 新址数 new sites (default: the OR-Library file's p, else 1)\n"
               "  --budget B            预算 total cost of new sites instead of p (@cost row)\n"
               "  --standard SECONDS    服务标准 service standard (mclp, lscp; coverage figures)\n"
               "  --target SHARE        lscp: 覆盖目标 share of population to cover, 0..1 (default 1)\n"
               "  --one-per-group       每个乡镇至少一处 at least one site per @group\n"
               "  --unreachable SECONDS p-median/p-center cost of a demand no site reaches\n"
               "  --exact               GLPK 精确解 exact MIP instead of the heuristics\n"
               "  --time-limit SECONDS  exact mode time limit (default 60)\n"
               "  --out FILE.csv        写边际表 write the marginal table as CSV\n");
}

bool parse_int(const std::string& s, long long& v) {
  try {
    std::size_t used = 0;
    v = std::stoll(s, &used);
    return used == s.size();
  } catch (...) {
    return false;
  }
}

bool parse_double(const std::string& s, double& v) {
  try {
    std::size_t used = 0;
    v = std::stod(s, &used);
    return used == s.size();
  } catch (...) {
    return false;
  }
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

std::string csv_cell(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char ch : s) {
    if (ch == '"') q.push_back('"');
    q.push_back(ch);
  }
  return q + "\"";
}

int run_site(const std::vector<std::string>& args) {
  std::string orlib_file, matrix_file, out_file;
  opt::SitingOptions o;
  long long p = -1;
  bool have_problem = false;
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
    } else if (a == "--orlib") {
      if (!value(orlib_file)) return bad("--orlib needs a file");
    } else if (a == "--matrix") {
      if (!value(matrix_file)) return bad("--matrix needs a file");
    } else if (a == "--out" || a == "-o") {
      if (!value(out_file)) return bad(a + " needs a file");
    } else if (a == "--problem") {
      if (!value(v)) return bad("--problem needs pmedian, mclp, lscp or pcenter");
      if (v == "pmedian" || v == "p-median") o.problem = opt::SitingProblem::PMedian;
      else if (v == "mclp") o.problem = opt::SitingProblem::Mclp;
      else if (v == "lscp") o.problem = opt::SitingProblem::Lscp;
      else if (v == "pcenter" || v == "p-center") o.problem = opt::SitingProblem::PCenter;
      else return bad("unknown --problem '" + v + "' (pmedian, mclp, lscp, pcenter)");
      have_problem = true;
    } else if (a == "--p") {
      if (!value(v) || !parse_int(v, iv) || iv < 0 || iv > 1000000) return bad("--p needs a whole number >= 0");
      p = iv;
    } else if (a == "--budget") {
      if (!value(v) || !parse_int(v, iv) || iv < 0) return bad("--budget needs a whole number >= 0");
      o.budget = iv;
    } else if (a == "--standard") {
      if (!value(v) || !parse_int(v, iv) || iv < 0 || iv >= core::UNREACHABLE)
        return bad("--standard needs whole seconds >= 0");
      o.standard = static_cast<core::ISeconds>(iv);
    } else if (a == "--unreachable") {
      if (!value(v) || !parse_int(v, iv) || iv <= 0 || iv >= core::UNREACHABLE)
        return bad("--unreachable needs whole seconds > 0");
      o.unreachable_cost = static_cast<core::ISeconds>(iv);
    } else if (a == "--target") {
      if (!value(v) || !parse_double(v, dv) || dv < 0.0 || dv > 1.0) return bad("--target needs a share 0..1");
      o.target_share = dv;
    } else if (a == "--time-limit") {
      if (!value(v) || !parse_double(v, dv) || dv <= 0.0) return bad("--time-limit needs seconds > 0");
      o.time_limit_s = dv;
    } else if (a == "--one-per-group") {
      o.one_per_group = true;
    } else if (a == "--exact") {
      o.exact = true;
    } else {
      usage();
      return bad("unknown argument '" + a + "'");
    }
  }
  (void)have_problem;
  if (orlib_file.empty() == matrix_file.empty()) {
    usage();
    return bad("give exactly one of --orlib FILE or --matrix FILE (project mode is not available yet)");
  }
  opt::SitingInstance inst;
  const bool orlib = !orlib_file.empty();
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
    return bad("--p " + std::to_string(o.p) + " exceeds the " + std::to_string(inst.num_candidates()) + " candidates");
  if (o.budget >= 0 && inst.cost.empty()) return bad("--budget needs candidate costs (@cost row in the matrix CSV)");
  if (o.one_per_group && inst.group.empty()) return bad("--one-per-group needs candidate groups (@group row)");
  if (!inst.capacity.empty() && !o.exact) return bad("capacities (@capacity row) need --exact (GLPK)");
  const std::vector<std::string> problems = opt::validate(inst);
  if (!problems.empty()) {
    for (const auto& s : problems) std::fprintf(stderr, "error: %s: %s\n", (orlib ? orlib_file : matrix_file).c_str(), s.c_str());
    return 2;
  }
  const opt::SitingResult r = opt::solve_siting(inst, o);
  const bool maximise = o.problem == opt::SitingProblem::Mclp;
  const bool weighted = o.problem == opt::SitingProblem::Mclp;
  auto show = [&](double v) {
    return weighted ? v / static_cast<double>(opt::PRIORITY_SCALE) : v;
  };
  std::printf("问题 problem: %s   需求点 demands: %zu   候选点 candidates: %zu   已有 existing: %zu\n",
              opt::problem_name(o.problem), inst.num_demands(), inst.num_candidates(), inst.existing.size());
  std::printf("方法 method: %s\n", r.method.c_str());
  if (o.problem == opt::SitingProblem::Lscp && r.status == "infeasible")
    std::printf("状态 status: infeasible — 目标无法达到，已覆盖全部可覆盖人口 (target cannot be met; everyone coverable is covered)%s\n",
                r.proven_optimal ? "; 站点数已证最少 site count proven minimal" : "");
  else
    std::printf("状态 status: %s%s\n", r.status.c_str(), r.proven_optimal ? " (已证最优 proven optimal)" : "");
  std::printf("目标值 objective: %.10g\n", show(static_cast<double>(r.objective)));
  std::printf("界 bound: %.10g (%s)\n", show(r.bound), maximise ? "上界 upper" : "下界 lower");
  std::printf("差距 gap: %.3f %%\n", r.gap_percent);
  std::printf("用时 time: %.3f s\n", r.seconds);
  std::printf("选址 chosen sites (%zu):", r.chosen.size());
  for (core::Id j : r.chosen) std::printf(" %s", site_label(inst, j, orlib).c_str());
  std::printf("\n");
  if (o.standard >= 0)
    std::printf("标准内人口 population within %d s: %lld -> %lld of %lld\n", o.standard,
                static_cast<long long>(r.covered_before), static_cast<long long>(r.covered_population),
                static_cast<long long>(r.total_population));
  if (r.unserved_demands > 0)
    std::printf("不可达需求点 demand points no site reaches: %lld\n", static_cast<long long>(r.unserved_demands));
  if (!r.uncoverable.empty()) {
    std::printf("无法覆盖 demand no candidate reaches within the standard (%zu):\n", r.uncoverable.size());
    for (std::size_t k = 0; k < r.uncoverable.size() && k < 20; ++k) {
      const auto& u = r.uncoverable[k];
      const std::string name = u.demand < inst.demand_names.size() ? inst.demand_names[u.demand] : std::to_string(u.demand + (orlib ? 1 : 0));
      if (u.best_time == core::UNREACHABLE)
        std::printf("  %s  人口 %lld  不可达 unreachable\n", name.c_str(), static_cast<long long>(u.population));
      else
        std::printf("  %s  人口 %lld  最快 best %d s\n", name.c_str(), static_cast<long long>(u.population), u.best_time);
    }
    if (r.uncoverable.size() > 20) std::printf("  ... %zu more\n", r.uncoverable.size() - 20);
  }
  std::printf("边际表 marginal table:\n  %-4s %-16s %14s %16s %16s\n", "#", "site", "added_people", "added_weighted",
              "objective_after");
  for (std::size_t k = 0; k < r.marginal.size(); ++k) {
    const auto& m = r.marginal[k];
    const std::string added = o.standard >= 0 ? std::to_string(m.added_population) : "-";
    char addw[32] = "-";
    if (o.standard >= 0)
      std::snprintf(addw, sizeof addw, "%.10g", static_cast<double>(m.added_weighted) / static_cast<double>(opt::PRIORITY_SCALE));
    std::printf("  %-4zu %-16s %14s %16s %16.10g\n", k + 1, site_label(inst, m.candidate, orlib).c_str(), added.c_str(), addw,
                o.problem == opt::SitingProblem::Mclp ? show(static_cast<double>(m.objective_after))
                                                      : static_cast<double>(m.objective_after));
  }
  if (!out_file.empty()) {
    const std::filesystem::path dst(out_file), tmp(out_file + ".tmp");
    {
      std::ofstream f(tmp, std::ios::binary);
      if (!f) return bad("cannot write " + out_file);
      f << "rank,site,added_people,added_weighted,objective_after\n";
      for (std::size_t k = 0; k < r.marginal.size(); ++k) {
        const auto& m = r.marginal[k];
        f << (k + 1) << ',' << csv_cell(site_label(inst, m.candidate, orlib)) << ',' << m.added_population << ','
          << static_cast<double>(m.added_weighted) / static_cast<double>(opt::PRIORITY_SCALE) << ','
          << (o.problem == opt::SitingProblem::Mclp ? show(static_cast<double>(m.objective_after))
                                                    : static_cast<double>(m.objective_after))
          << '\n';
      }
      if (!f.flush()) return bad("cannot write " + out_file);
    }
    std::error_code ec;
    std::filesystem::rename(tmp, dst, ec);
    if (ec) return bad("cannot write " + out_file + ": " + ec.message());
  }
  // LSCP whose target cannot be met: a checked target missed.
  if (o.problem == opt::SitingProblem::Lscp && r.status == "infeasible") return 1;
  if (r.status == "infeasible") return 1;
  return 0;
}

}  // namespace

static VerbRegistration reg{"site", "选址 siting new bases: --orlib FILE | --matrix FILE (p-median, MCLP, LSCP, p-center)",
                            run_site};

}  // namespace kepumap::app
