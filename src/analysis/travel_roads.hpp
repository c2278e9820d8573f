#pragma once
// Road network for the travel-time engine: a directed CSR graph built from any line layer.
// Nodes are road vertices (after snapping), edges are the segments between them, weights are
// integer deciseconds. Plain data, std only.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analysis/road_vocabulary.hpp"
#include "core/diagnostics.hpp"
#include "core/geometry.hpp"
#include "core/graph.hpp"
#include "core/project.hpp"
#include "core/types.hpp"

namespace kepumap::analysis {

/// Integer travel time used inside every search: tenths of a second.
using Deciseconds = std::uint32_t;
/// "Not reached" for Deciseconds.
inline constexpr Deciseconds UNREACHED_DS = 0xFFFFFFFFu;
/// Deciseconds per second.
inline constexpr double DS_PER_S = 10.0;

/// Input of the network builder: lines in metres (analysis CRS) and per-feature attributes.
struct RoadInput {
  const core::Geometries* lines = nullptr;  ///< GeomKind::Line, metres in the analysis CRS
  std::vector<std::string> road_class;      ///< per feature; may be empty (all "unknown")
  std::vector<double> speed_kmh;            ///< per feature, km/h; <= 0 or NaN = use the class; may be empty
  std::vector<OneWay> oneway;               ///< per feature; may be empty (all two-way)
  std::vector<double>
      tag_kmh;  ///< per feature, km/h from a tag rule (beats everything); <= 0 = none; may be empty
  std::vector<std::uint8_t> closed;  ///< per feature, 1 = closed by a tag rule; may be empty
};

/// How the network is built.
struct RoadOptions {
  double snap_tolerance_m = 20.0;   ///< line ends closer than this to a vertex or line are joined
  bool split_at_crossings = false;  ///< also node lines where they cross without a shared vertex
  std::vector<RoadClassSpeed> speeds = default_road_speeds();
  std::vector<std::string> closed_classes;  ///< classes left out entirely (scenario)
  std::vector<std::pair<std::string, double>>
      forced_speeds;  ///< class -> km/h that beat the speed field (scenario)
  double unknown_kmh =
      0.0;  ///< speed of a line whose class is unknown or empty and has no speed; 0 = left out
};

/// A road network. Node coordinates are metres in the analysis CRS; `graph` weights are
/// deciseconds (ceil of length / speed); `edge_feature`, `edge_length_m`, `edge_kmh` are
/// parallel to `graph.targets`.
struct RoadNetwork {
  std::vector<core::Vec2> nodes;
  core::CsrGraph<Deciseconds> graph;
  std::vector<core::FeatureId> edge_feature;
  std::vector<float> edge_length_m;
  std::vector<float> edge_kmh;
  std::vector<std::uint8_t> edge_two_way;      ///< 1 if the feature is usable both ways
  std::vector<std::int32_t> node_component;    ///< weakly connected component per node (0 = largest)
  std::vector<std::uint32_t> component_nodes;  ///< node count per component, largest first
  std::vector<std::uint8_t> feature_used;      ///< per input feature: 1 if it gave any edge
  double top_kmh = 0.0;                        ///< fastest edge speed, km/h

  std::size_t component_count() const { return component_nodes.size(); }
};

/// Builds the network: line ends snapped within the tolerance (grid hashing) to other ends, to
/// vertices and to segments (T-junctions, splitting the segment); lines noded at shared
/// vertices (and at crossings when asked). Speed of a line: a tag rule's speed, else a
/// scenario's class speed, else the speed field (maxspeed) when plausible, else the class table;
/// values that are not roads (footway, construction, ...) and unknown classes without a speed
/// are left out, as are closed classes and lines closed by a tag rule; one-way respected.
/// Problems (each unknown class once with its count, the non-roads in one line, implausible
/// speeds, pieces disconnected from the main network) are added to `diag` as warnings naming
/// the layer.
RoadNetwork build_road_network(const RoadInput& in, const RoadOptions& opt, core::Diagnostics* diag = nullptr,
                               const std::string& layer_name = "roads");

/// Travel settings with a scenario applied: off-road speed replaced, road speeds overridden
/// (a scenario's class speeds also beat the roads' own speed field), closed classes added.
core::TravelSettings apply_scenario(const core::TravelSettings& base, const core::Scenario& s);

/// Road options from travel settings (speed table with overrides, snapping, closed classes).
RoadOptions road_options(const core::TravelSettings& s);

/// The same network with every edge longer than `max_len_m` cut into equal pieces by new
/// nodes (so a grid search can step on and off the road in every cell the road crosses).
/// Piece weights are the ceil of each piece's time; attributes are copied.
RoadNetwork densify(const RoadNetwork& net, double max_len_m);

/// Deciseconds from `source` to every node over the road graph alone (plain Dijkstra with a
/// binary heap); UNREACHED_DS where unreachable.
std::vector<Deciseconds> road_one_to_all(const RoadNetwork& net, core::NodeId source);

}  // namespace kepumap::analysis
