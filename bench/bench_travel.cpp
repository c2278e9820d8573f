// Travel-engine benchmarks (figures recorded in bench/README.md):
//   1. multi-source travel-time surface on a 4096 x 4096 synthetic friction grid (8 and 16 moves)
//   2. one-to-all on a synthetic road graph of about a million directed edges
//   3. the sparse matrix of 15,000 demand points x 2,000 candidates within 60 minutes
// Usage: bench_travel [--size N] [--sources K] [--surface-only] [--write-grid DIR]
//        bench_travel --compare A.f32 B.f32
//   --write-grid DIR writes the speed grid (km/h, 0 = barrier; float32 rows north to south),
//   the source cells (sources.f32: 1 at a source, else 0) and kepumap's surfaces
//   (kepumap_8.f32, kepumap_16.f32, seconds) so bench/bench_travel_grass.sh can run GRASS
//   r.cost on the same input and compare.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <string>
#include <vector>

#include "analysis/travel.hpp"

using namespace kepumap;

namespace {

// CPU time of this thread: the machine the figures come from is shared, so wall-clock time
// would measure the neighbours' load; both are printed where it matters.
double now_s() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + ts.tv_nsec * 1e-9;
}
double wall_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

struct Lcg {
  std::uint64_t s;
  explicit Lcg(std::uint64_t seed) : s(seed) {}
  std::uint32_t next() {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<std::uint32_t>(s >> 33);
  }
  double uniform(double lo, double hi) { return lo + (hi - lo) * (next() / 2147483648.0); }
};

// Steppe-like speeds: a smooth field between 8 and 40 km/h, some lakes, and a few fast
// straight "roads" burned in at 80 km/h.
core::GridF synthetic_pace(int n, double cell, std::uint64_t seed) {
  core::GridF g(n, n, 0.0, n * cell, cell, 0.0f);
  Lcg rng(seed);
  const double a1 = rng.uniform(0, 6.28), a2 = rng.uniform(0, 6.28);
  for (int r = 0; r < n; ++r)
    for (int c = 0; c < n; ++c) {
      const double v = 24.0 + 10.0 * std::sin(c * 0.011 + a1) * std::cos(r * 0.013 + a2) +
                       6.0 * std::sin((c + r) * 0.047) + rng.uniform(-2.0, 2.0);
      g.at(c, r) = static_cast<float>(1.0 / core::mps(std::max(8.0, v)));
    }
  for (int k = 0; k < n / 64; ++k) {  // lakes
    const int cx = static_cast<int>(rng.uniform(0, n)), cy = static_cast<int>(rng.uniform(0, n));
    const int rad = 3 + static_cast<int>(rng.uniform(0, n / 128.0));
    for (int r = std::max(0, cy - rad); r < std::min(n, cy + rad); ++r)
      for (int c = std::max(0, cx - rad); c < std::min(n, cx + rad); ++c)
        if ((r - cy) * (r - cy) + (c - cx) * (c - cx) < rad * rad) g.at(c, r) = analysis::IMPASSABLE;
  }
  const float road = static_cast<float>(1.0 / core::mps(80.0));
  for (int k = 0; k < 12; ++k) {  // straight roads
    const int at = static_cast<int>(rng.uniform(0, n));
    for (int i = 0; i < n; ++i) {
      if (k % 2)
        g.at(at, i) = road;
      else
        g.at(i, at) = road;
    }
  }
  return g;
}

std::vector<core::Vec2> sources_in(const core::GridF& g, int k, std::uint64_t seed) {
  Lcg rng(seed);
  std::vector<core::Vec2> s;
  while (static_cast<int>(s.size()) < k) {
    const int c = static_cast<int>(rng.uniform(0, g.width)), r = static_cast<int>(rng.uniform(0, g.height));
    if (!std::isfinite(g.at(c, r))) continue;
    s.push_back(g.cell_center(c, r));
  }
  return s;
}

void bench_surface(int n, int sources, const char* write_dir) {
  const double cell = 250.0;
  double t0 = now_s();
  const auto pace = synthetic_pace(n, cell, 42);
  const auto src = sources_in(pace, sources, 7);
  std::printf("surface: grid %d x %d (%.1f M cells), %d sources, cell %.0f m (setup %.2f s)\n", n, n,
              n * 1e-6 * n, sources, cell, now_s() - t0);
  if (write_dir) {
    // Speed grid (km/h, 0 = barrier) as raw float32 rows, and the source cells (col row).
    const std::string dir = write_dir;
    std::ofstream raw(dir + "/speed_kmh.f32", std::ios::binary);
    for (float p : pace.data) {
      const float kmh = std::isfinite(p) ? static_cast<float>(3.6 / p) : 0.0f;
      raw.write(reinterpret_cast<const char*>(&kmh), sizeof kmh);
    }
    std::ofstream hdr(dir + "/grid.txt");
    hdr << n << " " << n << " " << cell << "\n";
    std::vector<float> start(pace.data.size(), 0.0f);
    for (const auto& p : src) start[pace.index(pace.col_of(p.x), pace.row_of(p.y))] = 1.0f;
    std::ofstream sp(dir + "/sources.f32", std::ios::binary);
    sp.write(reinterpret_cast<const char*>(start.data()),
             static_cast<std::streamsize>(start.size() * sizeof(float)));
  }
  for (int nb : {8, 16}) {
    t0 = now_s();
    const auto model = analysis::build_travel_model(pace, {}, nb);
    const double build = now_s() - t0;
    analysis::SearchWorkspace ws;
    double best = 1e9;
    analysis::TravelSurface s;
    for (int rep = 0; rep < 3; ++rep) {
      t0 = now_s();
      s = analysis::travel_surface(model, src, ws);
      best = std::min(best, now_s() - t0);
    }
    std::size_t reached = 0;
    double maxt = 0;
    for (float v : s.seconds.data)
      if (std::isfinite(v)) {
        ++reached;
        maxt = std::max(maxt, static_cast<double>(v));
      }
    std::printf(
        "  %2d moves: model build %.2f s, surface %.3f s (best of 3), %.1f M cells reached, max %.0f min\n",
        nb, build, best, reached * 1e-6, maxt / 60.0);
    if (write_dir) {
      std::ofstream out(std::string(write_dir) + "/kepumap_" + std::to_string(nb) + ".f32", std::ios::binary);
      out.write(reinterpret_cast<const char*>(s.seconds.data.data()),
                static_cast<std::streamsize>(s.seconds.data.size() * sizeof(float)));
    }
  }
}

analysis::RoadNetwork lattice_roads(int side, double spacing, std::uint64_t seed) {
  // A side x side lattice of two-way roads with random classes: 4 * side * (side - 1) directed edges.
  Lcg rng(seed);
  analysis::RoadNetwork net;
  for (int r = 0; r < side; ++r)
    for (int c = 0; c < side; ++c)
      net.nodes.push_back({c * spacing + rng.uniform(-spacing * 0.2, spacing * 0.2),
                           r * spacing + rng.uniform(-spacing * 0.2, spacing * 0.2)});
  std::vector<core::Edge<analysis::Deciseconds>> edges;
  const double speeds[] = {80, 70, 60, 40, 40, 25};
  auto add = [&](std::uint32_t a, std::uint32_t b) {
    const double kmh = speeds[rng.next() % 6];
    const double len = std::hypot(net.nodes[a].x - net.nodes[b].x, net.nodes[a].y - net.nodes[b].y);
    const auto w = static_cast<analysis::Deciseconds>(std::ceil(len / core::mps(kmh) * 10));
    edges.push_back({a, b, w});
    edges.push_back({b, a, w});
  };
  for (int r = 0; r < side; ++r)
    for (int c = 0; c < side; ++c) {
      const auto u = static_cast<std::uint32_t>(r * side + c);
      if (c + 1 < side) add(u, u + 1);
      if (r + 1 < side) add(u, u + static_cast<std::uint32_t>(side));
    }
  net.graph = core::build_csr<analysis::Deciseconds>(net.nodes.size(), edges);
  const std::size_t m = edges.size();
  net.edge_feature.assign(m, 0);
  net.edge_length_m.assign(m, static_cast<float>(spacing));
  net.edge_kmh.assign(m, 40.0f);
  net.edge_two_way.assign(m, 1);
  net.top_kmh = 80;
  return net;
}

void bench_road_graph() {
  const auto net = lattice_roads(500, 1000.0, 3);  // 500 x 500 lattice: 998,000 directed edges
  std::printf("road graph: %zu nodes, %zu directed edges\n", net.nodes.size(), net.graph.edge_count());
  double best = 1e9;
  std::vector<analysis::Deciseconds> d;
  for (int rep = 0; rep < 3; ++rep) {
    const double t0 = now_s();
    d = analysis::road_one_to_all(net, static_cast<core::NodeId>(net.nodes.size() / 2 + 250));
    best = std::min(best, now_s() - t0);
  }
  std::printf("  one-to-all, binary heap (road_one_to_all): %.3f s (best of 3)\n", best);
  // The same graph through the combined engine's bucket queue (a 1 x 1 impassable grid).
  core::GridF none(1, 1, 0.0, 1.0, 1.0, analysis::IMPASSABLE);
  auto model = analysis::build_travel_model(none, {}, 16);
  model.roads = net;
  model.node_link.assign(net.nodes.size(), core::INVALID_ID);
  for (auto w : net.graph.weights) model.max_edge = std::max(model.max_edge, w);
  analysis::tune_queue(model);
  analysis::SearchWorkspace ws;
  const analysis::Seed seed{static_cast<std::uint32_t>(model.cell_nodes() + net.nodes.size() / 2 + 250), 0,
                            0};
  best = 1e9;
  for (int rep = 0; rep < 3; ++rep) {
    const double t0 = now_s();
    analysis::run_search(model, ws, std::span<const analysis::Seed>(&seed, 1), {});
    best = std::min(best, now_s() - t0);
  }
  std::size_t same = 0;
  for (std::size_t v = 0; v < d.size(); ++v) same += ws.dist[model.cell_nodes() + v] == d[v];
  std::printf("  one-to-all, bucket queue (run_search): %.3f s (best of 3); %zu of %zu times identical\n",
              best, same, d.size());
}

void bench_sparse(int threads) {
  // An Abag-sized world: 560 x 400 cells of 500 m (280 x 200 km), grass 25 km/h with a road lattice.
  const int w = 560, h = 400;
  const double cell = 500.0;
  core::GridF pace(w, h, 0.0, h * cell, cell, static_cast<float>(1.0 / core::mps(25.0)));
  auto roads = lattice_roads(15, 18'000.0, 9);
  for (auto& p : roads.nodes) {
    p.x += 10'000;
    p.y += 10'000;
  }
  for (auto& k : roads.edge_kmh) k = 60.0f;
  for (std::uint32_t u = 0; u < roads.nodes.size(); ++u)
    for (auto e = roads.graph.offsets[u]; e < roads.graph.offsets[u + 1]; ++e) {
      const auto v = roads.graph.targets[e];
      const auto a = roads.nodes[u], b = roads.nodes[v];
      roads.edge_length_m[e] = static_cast<float>(std::hypot(a.x - b.x, a.y - b.y));
      roads.graph.weights[e] =
          static_cast<analysis::Deciseconds>(std::ceil(roads.edge_length_m[e] / core::mps(60.0) * 10));
    }
  const auto model = analysis::build_travel_model(pace, roads, 16);
  Lcg rng(5);
  std::vector<core::Vec2> demand, cand;
  for (int i = 0; i < 15'000; ++i) demand.push_back({rng.uniform(0, w * cell), rng.uniform(0, h * cell)});
  for (int i = 0; i < 2'000; ++i) cand.push_back({rng.uniform(0, w * cell), rng.uniform(0, h * cell)});
  const double t0 = wall_s();
  const auto m = analysis::sparse_time_matrix(model, demand, cand, 3600.0, threads);
  const double t = wall_s() - t0;
  std::printf(
      "sparse matrix: 15000 demand x 2000 candidates within 60 min on %d x %d cells + %zu road nodes, %d "
      "thread(s): "
      "%.2f s wall, %zu pairs (%.1f per candidate)\n",
      w, h, model.roads.nodes.size(), threads, t, m.nnz(), static_cast<double>(m.nnz()) / 2000.0);
}

}  // namespace

// Compares two float32 rasters of travel times (seconds; < 0 or NaN = unreachable).
int compare(const char* a_path, const char* b_path) {
  auto read = [](const char* p) {
    std::ifstream in(p, std::ios::binary);
    std::vector<float> v;
    float x;
    while (in.read(reinterpret_cast<char*>(&x), sizeof x)) v.push_back(x);
    return v;
  };
  const auto a = read(a_path), b = read(b_path);
  if (a.size() != b.size() || a.empty()) {
    std::printf("compare: sizes differ (%zu, %zu)\n", a.size(), b.size());
    return 2;
  }
  double max_abs = 0, max_rel = 0, sum_rel = 0;
  std::size_t both = 0, only_a = 0, only_b = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const bool ra = std::isfinite(a[i]) && a[i] >= 0, rb = std::isfinite(b[i]) && b[i] >= 0;
    if (ra && rb) {
      ++both;
      const double d = std::abs(static_cast<double>(a[i]) - b[i]);
      max_abs = std::max(max_abs, d);
      if (b[i] > 600) {
        const double rel = d / b[i];
        max_rel = std::max(max_rel, rel);
        sum_rel += rel;
      }
    } else if (ra) {
      ++only_a;
    } else if (rb) {
      ++only_b;
    }
  }
  std::printf(
      "compare: %zu cells reached by both (%zu only by the first, %zu only by the second); "
      "largest difference %.1f s, largest relative difference %.2f %% (cells beyond 10 min), mean %.3f %%\n",
      both, only_a, only_b, max_abs, 100 * max_rel, both ? 100 * sum_rel / static_cast<double>(both) : 0.0);
  return 0;
}

int main(int argc, char** argv) {
  if (argc == 4 && !std::strcmp(argv[1], "--compare")) return compare(argv[2], argv[3]);
  int size = 4096, sources = 1000;
  const char* write_dir = nullptr;
  bool only_surface = false;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--size") && i + 1 < argc)
      size = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--sources") && i + 1 < argc)
      sources = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--write-grid") && i + 1 < argc)
      write_dir = argv[++i];
    else if (!std::strcmp(argv[i], "--surface-only"))
      only_surface = true;
  }
  bench_surface(size, sources, write_dir);
  if (only_surface) return 0;
  bench_road_graph();
  bench_sparse(1);
  bench_sparse(2);
  return 0;
}
