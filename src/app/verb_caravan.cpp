// `kepumap caravan`: tour planning. With --tsplib FILE or --solomon FILE it solves a standard
// benchmark instance and prints tour length, vehicles and feasibility, so results can be
// compared with published ones.
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "app/verbs.hpp"
#include "optimize/tour.hpp"
#include "optimize/tour_formats.hpp"

namespace kepumap::app {
namespace {

namespace opt = kepumap::optimize;

void usage() {
  std::fprintf(stderr,
               "用法 usage: kepumap caravan (--tsplib FILE | --solomon FILE) [options]\n"
               "  --tsplib FILE         TSPLIB 实例 TSP instance (EDGE_WEIGHT_TYPE EUC_2D or CEIL_2D)\n"
               "  --solomon FILE        Solomon VRPTW 实例 instance\n"
               "  --seed N              随机种子 seed (default 1; same seed, same answer)\n"
               "  --iterations N        搜索预算 search budget (TSP: kicks, default 100 n + 1000;\n"
               "                        VRPTW: ruin-and-recreate steps, default 30000)\n"
               "  --objective distance|vehicles\n"
               "                        Solomon 目标: distance only (default) or fewest vehicles first\n"
               "  --routes              打印路线 print the tour / routes\n");
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

int bad(const std::string& what) {
  std::fprintf(stderr, "error: caravan: %s\n", what.c_str());
  return 2;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

int run_caravan(const std::vector<std::string>& args) {
  std::string tsplib, solomon, objective = "distance";
  long long seed = 1, iterations = -1;
  bool print_routes = false;
  for (std::size_t k = 0; k < args.size(); ++k) {
    const std::string& a = args[k];
    auto value = [&](std::string& out) {
      if (k + 1 >= args.size()) return false;
      out = args[++k];
      return true;
    };
    std::string v;
    if (a == "--help" || a == "-h") {
      usage();
      return 0;
    } else if (a == "--tsplib") {
      if (!value(tsplib)) return bad("--tsplib needs a file (需要文件)");
    } else if (a == "--solomon") {
      if (!value(solomon)) return bad("--solomon needs a file (需要文件)");
    } else if (a == "--seed") {
      if (!value(v) || !parse_int(v, seed) || seed < 0) return bad("--seed needs a non-negative integer (种子须为非负整数)");
    } else if (a == "--iterations") {
      if (!value(v) || !parse_int(v, iterations) || iterations < 0 || iterations > 100'000'000)
        return bad("--iterations needs an integer 0..100000000 (迭代次数无效)");
    } else if (a == "--objective") {
      if (!value(objective) || (objective != "distance" && objective != "vehicles"))
        return bad("--objective must be distance or vehicles (目标须为 distance 或 vehicles)");
    } else if (a == "--routes") {
      print_routes = true;
    } else {
      usage();
      return bad("unknown argument '" + a + "' (未知参数)");
    }
  }
  if (tsplib.empty() == solomon.empty()) {
    usage();
    return bad("give exactly one of --tsplib FILE or --solomon FILE (须指定一个实例文件)");
  }

  try {
    const auto t0 = std::chrono::steady_clock::now();
    if (!tsplib.empty()) {
      const auto inst = opt::read_tsplib(tsplib);
      const auto m = inst.matrix();
      opt::TspParams p;
      p.seed = static_cast<std::uint64_t>(seed);
      p.iterations = static_cast<int>(iterations);
      const auto r = opt::solve_tsp(m, p);
      const double secs = seconds_since(t0);
      // Feasible = a tour through every city exactly once (checked, not assumed).
      std::vector<char> seen(static_cast<std::size_t>(m.n), 0);
      bool ok = static_cast<int>(r.order.size()) == m.n;
      for (int c : r.order) {
        if (c < 0 || c >= m.n || seen[static_cast<std::size_t>(c)]) ok = false;
        else seen[static_cast<std::size_t>(c)] = 1;
      }
      std::printf("实例 instance: %s (TSPLIB %s, %d 个点 nodes)\n", inst.name.c_str(), inst.edge_weight_type.c_str(), m.n);
      std::printf("路线长度 tour length: %lld\n", static_cast<long long>(opt::tour_length(m, r.order)));
      std::printf("车辆 vehicles: 1\n");
      std::printf("可行 feasible: %s\n", ok ? "是 yes (every node exactly once)" : "否 no");
      std::printf("用时 time: %.2f s (%d kicks, seed %lld)\n", secs, r.iterations, seed);
      if (print_routes) {
        std::printf("路线 tour:");
        for (int c : r.order) std::printf(" %d", c + 1);
        std::printf(" %d\n", r.order.empty() ? 0 : r.order.front() + 1);
      }
      return ok ? 0 : 1;
    }
    const auto inst = opt::read_solomon(solomon);
    opt::VrpParams p;
    p.seed = static_cast<std::uint64_t>(seed);
    if (iterations >= 0) p.iterations = static_cast<int>(iterations);
    p.minimise_vehicles = objective == "vehicles";
    const auto sol = opt::solve_solomon(inst, p);
    const double secs = seconds_since(t0);
    const std::string why = opt::check_solomon(inst, sol);
    const bool ok = why.empty() && sol.unserved.empty();
    std::printf("实例 instance: %s (Solomon VRPTW, %d 个客户 customers, 车队 fleet %d × %d)\n", inst.name.c_str(),
                inst.size() - 1, inst.vehicles, inst.capacity);
    std::printf("总距离 distance: %.2f\n", sol.distance);
    std::printf("车辆 vehicles: %zu\n", sol.routes.size());
    if (ok)
      std::printf("可行 feasible: 是 yes (all customers served; windows and capacity checked exactly)\n");
    else if (!why.empty())
      std::printf("可行 feasible: 否 no (%s)\n", why.c_str());
    else
      std::printf("可行 feasible: 否 no (%zu customers unserved)\n", sol.unserved.size());
    std::printf("目标 objective: %s\n", p.minimise_vehicles ? "fewest vehicles, then distance" : "distance only");
    std::printf("用时 time: %.2f s (%d iterations, seed %lld)\n", secs, p.iterations, seed);
    if (print_routes)
      for (std::size_t r = 0; r < sol.routes.size(); ++r) {
        std::printf("路线 route %zu:", r + 1);
        for (int c : sol.routes[r]) std::printf(" %d", c);
        std::printf("\n");
      }
    return ok ? 0 : 1;
  } catch (const opt::FormatError& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  }
}

VerbRegistration reg{"caravan", "科普大篷车行程 caravan tours (--tsplib / --solomon benchmark instances)", run_caravan};

}  // namespace
}  // namespace kepumap::app
