// make_osm_grid WAYS OUT.opl: a synthetic OpenStreetMap extract for the OSM reading benchmark
// (bench/bench_osm.sh), written as OPL (osmium's one-line text format; `osmium cat OUT.opl -o
// OUT.osm.pbf` makes the PBF). A jittered grid of roads over the steppe near 阿巴嘎旗 (from
// 114.0°E 43.5°N): every grid edge is one way of three nodes (the middle one nudged), with the
// real tag vocabulary — highway classes weighted like a rural Inner Mongolia extract (with
// non-vehicle, not-open and one unknown value), tracktype on tracks, maxspeed ("60", "30 mph",
// "none", "signals", "RU:rural", an implausible "900"), oneway (yes, -1, no, true, 1),
// junction=roundabout, surface, seasonal/winter_road/ford/bridge, names and refs — and 15 %
// non-road ways (waterway, railway, power, barrier) on nodes of their own. Deterministic (fixed
// seed). Plain std: no OSM library.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

/// splitmix64: a small deterministic generator.
struct Rng {
  std::uint64_t s;
  std::uint64_t next() {
    std::uint64_t z = (s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
};

struct Weighted {
  const char* value;
  double weight;
};

/// Picks a value by weight.
const char* pick(Rng& rng, const std::vector<Weighted>& table) {
  double total = 0.0;
  for (const auto& w : table) total += w.weight;
  double u = rng.uniform() * total;
  for (const auto& w : table) {
    if (u < w.weight) return w.value;
    u -= w.weight;
  }
  return table.back().value;
}

/// OPL escapes everything but plain ASCII letters, digits and a few marks as %hex%.
std::string opl_escape(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    const bool plain = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                       c == '_' || c == '-' || c == '.' || c == ':' || c == ';' || c >= 0x80;
    if (plain) {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "%%%x%%", c);
      out += buf;
    }
  }
  return out;
}

// Rural Inner Mongolia: mostly tracks and minor roads; some non-vehicle and not-open ways.
const std::vector<Weighted> k_highway{{"track", 34},          {"unclassified", 14},    {"residential", 11},
                                      {"service", 8},         {"tertiary", 6},         {"secondary", 4},
                                      {"primary", 3},         {"trunk", 1.5},          {"motorway", 0.5},
                                      {"primary_link", 0.3},  {"secondary_link", 0.3}, {"trunk_link", 0.2},
                                      {"motorway_link", 0.2}, {"tertiary_link", 0.2},  {"living_street", 1},
                                      {"road", 0.5},          {"footway", 4},          {"path", 5},
                                      {"steps", 0.5},         {"cycleway", 0.6},       {"bridleway", 0.6},
                                      {"pedestrian", 0.5},    {"construction", 0.6},   {"proposed", 0.5},
                                      {"corridor", 0.1},      {"platform", 0.1},       {"abandoned", 0.2},
                                      {"bogus_value", 0.05}};
const std::vector<Weighted> k_tracktype{
    {"grade1", 10}, {"grade2", 20}, {"grade3", 30}, {"grade4", 25}, {"grade5", 15}};
const std::vector<Weighted> k_maxspeed{{"40", 20},      {"60", 30},    {"80", 20},  {"100", 8},
                                       {"120", 4},      {"30 mph", 3}, {"none", 2}, {"signals", 2},
                                       {"RU:rural", 1}, {"900", 0.2}};
const std::vector<Weighted> k_oneway{{"yes", 60}, {"-1", 10}, {"no", 25}, {"true", 3}, {"1", 2}};
const std::vector<Weighted> k_surface{
    {"unpaved", 30}, {"gravel", 25}, {"dirt", 20}, {"asphalt", 20}, {"sand", 5}};
const std::vector<Weighted> k_nonroad{
    {"waterway=river", 8}, {"waterway=stream", 20},  {"waterway=canal", 4}, {"waterway=ditch", 8},
    {"railway=rail", 10},  {"railway=abandoned", 3}, {"power=line", 20},    {"power=minor_line", 10},
    {"barrier=fence", 15}, {"barrier=wall", 2}};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: make_osm_grid WAYS OUT.opl\n");
    return 2;
  }
  const long long ways = std::atoll(argv[1]);
  if (ways < 10) {
    std::fprintf(stderr, "error: WAYS must be at least 10\n");
    return 2;
  }
  std::FILE* out = std::fopen(argv[2], "wb");
  if (!out) {
    std::fprintf(stderr, "error: cannot write %s\n", argv[2]);
    return 2;
  }
  std::vector<char> buffer(1 << 20);
  std::setvbuf(out, buffer.data(), _IOFBF, buffer.size());

  const long long nonroad = ways * 15 / 100, roads = ways - nonroad;
  // An n x n grid has 2 n (n - 1) edges: the smallest n with enough, then the first `roads` edges.
  long long n = 2;
  while (2 * n * (n - 1) < roads) ++n;
  const double lon0 = 114.0, lat0 = 43.5, step = 0.004;  // about 320 m x 440 m
  Rng rng{20261202};

  // Nodes: grid corners, then one middle node per road way, then 4 per non-road way.
  auto corner = [n](long long r, long long c) { return 1 + r * n + c; };
  for (long long r = 0; r < n; ++r)
    for (long long c = 0; c < n; ++c)
      // Jittered corners: real roads are not on a perfect grid (and a perfect grid compresses so
      // well that GDAL's OSM driver refuses the PBF blocks: "excessive uncompressed vs compressed ratio").
      std::fprintf(out, "n%lld v1 x%.7f y%.7f\n", corner(r, c),
                   lon0 + (static_cast<double>(c) + (rng.uniform() - 0.5) * 0.3) * step,
                   lat0 + (static_cast<double>(r) + (rng.uniform() - 0.5) * 0.3) * step);
  const long long mid0 = n * n + 1;
  struct Edge {
    long long a, b;
  };
  std::vector<Edge> edges;
  edges.reserve(static_cast<std::size_t>(roads));
  for (long long r = 0; r < n && static_cast<long long>(edges.size()) < roads; ++r)
    for (long long c = 0; c < n && static_cast<long long>(edges.size()) < roads; ++c) {
      if (c + 1 < n) edges.push_back({corner(r, c), corner(r, c + 1)});
      if (r + 1 < n && static_cast<long long>(edges.size()) < roads)
        edges.push_back({corner(r, c), corner(r + 1, c)});
    }
  for (std::size_t e = 0; e < edges.size(); ++e) {
    const long long a = edges[e].a - 1, b = edges[e].b - 1;
    const double x =
        lon0 + 0.5 * static_cast<double>(a % n + b % n) * step + (rng.uniform() - 0.5) * step * 0.2;
    const double y =
        lat0 + 0.5 * static_cast<double>(a / n + b / n) * step + (rng.uniform() - 0.5) * step * 0.2;
    std::fprintf(out, "n%lld v1 x%.7f y%.7f\n", mid0 + static_cast<long long>(e), x, y);
  }
  const long long extra0 = mid0 + static_cast<long long>(edges.size());
  const double width = static_cast<double>(n - 1) * step;
  for (long long k = 0; k < nonroad; ++k) {
    const double x = lon0 + rng.uniform() * width, y = lat0 + rng.uniform() * width;
    const double dx = (rng.uniform() - 0.5) * step * 3, dy = (rng.uniform() - 0.5) * step * 3;
    for (int i = 0; i < 4; ++i)
      std::fprintf(out, "n%lld v1 x%.7f y%.7f\n", extra0 + 4 * k + i, x + dx * i,
                   y + dy * i + (i % 2) * step * 0.1);
  }

  // Ways.
  long long way_id = 1;
  std::string tags;
  for (std::size_t e = 0; e < edges.size(); ++e) {
    const std::string hw = pick(rng, k_highway);
    tags = "highway=" + hw;
    if (hw == "track") {
      if (rng.uniform() < 0.7) tags += ",tracktype=" + std::string(pick(rng, k_tracktype));
      if (rng.uniform() < 0.05) tags += ",seasonal=winter";
      if (rng.uniform() < 0.02) tags += ",winter_road=yes";
      if (rng.uniform() < 0.02) tags += ",ford=yes";
    }
    if (rng.uniform() < 0.2) tags += ",maxspeed=" + opl_escape(pick(rng, k_maxspeed));
    if (rng.uniform() < 0.05) tags += ",oneway=" + opl_escape(pick(rng, k_oneway));
    if (rng.uniform() < 0.003) tags += ",junction=roundabout";
    if (rng.uniform() < 0.3) tags += ",surface=" + std::string(pick(rng, k_surface));
    if (rng.uniform() < 0.01) tags += ",bridge=yes,layer=1";
    if (hw == "primary" || hw == "secondary" || hw == "trunk" || hw == "tertiary") {
      const long long num = static_cast<long long>(rng.next() % 999);
      const char* prefix = hw == "trunk" ? "G" : hw == "primary" ? "S" : hw == "secondary" ? "X" : "Y";
      tags += ",ref=" + std::string(prefix) + std::to_string(num);
      tags += ",name=" + opl_escape(std::string(prefix) + std::to_string(num) + "线");
    }
    std::fprintf(out, "w%lld v1 T%s Nn%lld,n%lld,n%lld\n", way_id++, tags.c_str(), edges[e].a,
                 mid0 + static_cast<long long>(e), edges[e].b);
  }
  for (long long k = 0; k < nonroad; ++k) {
    const std::string tag = pick(rng, k_nonroad);
    const long long a = extra0 + 4 * k;
    std::fprintf(out, "w%lld v1 T%s Nn%lld,n%lld,n%lld,n%lld\n", way_id++, tag.c_str(), a, a + 1, a + 2,
                 a + 3);
  }
  if (std::fclose(out) != 0) {
    std::fprintf(stderr, "error: writing %s failed\n", argv[2]);
    return 2;
  }
  std::fprintf(stderr, "%lld ways (%lld roads on a %lld x %lld grid, %lld non-road), %lld nodes\n",
               way_id - 1, static_cast<long long>(edges.size()), n, n, nonroad, extra0 + 4 * nonroad - 1);
  return 0;
}
