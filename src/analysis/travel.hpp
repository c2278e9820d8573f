#pragma once
// The travel-time engine: one shortest-path search over the off-road grid and the road graph
// together (README "Travel times"). Plain data in, plain data out; std only.
//
// Search graph: every grid cell is a node with 8 or 16 moves to its neighbours (cost = length
// of the move x mean pace of the cells it passes through); every road node is a node with its
// road edges; each road node is linked both ways to the cell it lies in (cost = distance to the
// cell centre at that cell's pace). A trip can thus go off-road to a road, along the road and
// off-road again, and the search finds the fastest mix. Costs are integer deciseconds (every
// edge rounded up, so the result never undercuts the true time of the path it reports).
//
// The queue works tile by tile (README "Travel times", "How the search runs"): the padded grid
// is cut into 64 x 64 tiles, each with its own list of pending nodes; the tile holding the
// smallest pending cost is taken next and drained in cost order (buckets `bucket_width` wide)
// up to `window` beyond that cost, so the search stays inside a few tens of kilobytes while
// it works. A node reached from another tile goes onto that tile's list. Nodes can be taken
// before a cheaper route through another tile is known; such a node is improved and taken
// again (a label-correcting search), so the result is exact: the same costs as a plain
// Dijkstra, which the tests check.
#include <atomic>
#include <cstdint>
#include <limits>
#include <span>
#include <utility>
#include <vector>

#include "analysis/travel_grid.hpp"
#include "analysis/travel_roads.hpp"
#include "core/geometry.hpp"
#include "core/grid.hpp"
#include "core/types.hpp"

namespace kepumap::analysis {

/// Metric error of grid moves on uniform friction: the grid time is at most this factor of the
/// straight-line time (and never below it). 8 moves: sqrt(4 - 2 sqrt 2) = 1.0824 (+8.24 %, at
/// 22.5°); 16 moves: sqrt(10 - 4 sqrt 5) = 1.0275 (+2.75 %, at atan(sqrt5 - 2) = 13.3°).
inline constexpr double GRID8_MAX_OVERESTIMATE = 1.082392200292394;
inline constexpr double GRID16_MAX_OVERESTIMATE = 1.0274862967460154;

/// The combined search graph. Build with build_travel_model; read-only afterwards (queries
/// can run on several threads, each with its own SearchWorkspace).
struct TravelModel {
  // The grid frame as given (metres in the analysis CRS).
  int width = 0, height = 0;
  double origin_x = 0.0, origin_y = 0.0, cell = 1.0;
  int neighbours = 16;  ///< 8 or 16
  // Padded grid (2 impassable cells around) used by the search: node id = padded cell index.
  int pw = 0, ph = 0;
  std::vector<float> pace;               ///< seconds per metre per padded cell; IMPASSABLE = +inf
  std::vector<std::uint64_t> link_bits;  ///< bit per padded cell: road nodes are linked to it
  RoadNetwork roads;                     ///< the (densified) road network; node id = pw*ph + road node
  std::vector<std::uint32_t> link_cell;  ///< sorted padded cells of the links
  std::vector<std::uint32_t> link_node;  ///< road node of each link
  std::vector<Deciseconds> link_w;       ///< link cost, both ways
  std::vector<std::uint32_t> node_link;  ///< per road node: index into link_*, or INVALID_ID
  /// Frame cells (row * width + col) that water makes impassable (lakes, river cells): travel
  /// never passes through them, but people on them are reached from the nearest bank at
  /// `water_reach_pace` (seconds per metre). Sorted; empty when the project has no water.
  std::vector<std::uint32_t> water_cells;
  std::vector<std::uint8_t> water_mask;  ///< 1 per frame cell in water_cells (empty when none)
  double water_reach_pace = 0.0;
  double top_mps = 0.0;      ///< fastest speed anywhere (grid or road), metres per second
  Deciseconds max_edge = 1;  ///< largest single edge cost
  Deciseconds bucket_width =
      1;  ///< queue bucket width inside a tile (a power of two, about half a median straight move)
  Deciseconds window =
      512;  ///< how far beyond its smallest pending cost a tile is drained at a time (1 to 8192 buckets)

  /// True if road nodes are linked to padded cell `c`.
  bool has_link(std::uint32_t c) const { return (link_bits[c >> 6] >> (c & 63)) & 1u; }
  std::size_t cell_nodes() const { return static_cast<std::size_t>(pw) * static_cast<std::size_t>(ph); }
  std::size_t node_count() const { return cell_nodes() + roads.nodes.size(); }
  /// Padded node id of frame cell (col,row).
  std::uint32_t cell_node(int col, int row) const {
    return static_cast<std::uint32_t>((row + 2) * pw + col + 2);
  }
  /// Pace of frame cell (col,row), seconds per metre.
  float pace_at(int col, int row) const { return pace[cell_node(col, row)]; }
  /// Centre of frame cell (col,row), metres.
  core::Vec2 cell_center(int col, int row) const {
    return {origin_x + (col + 0.5) * cell, origin_y - (row + 0.5) * cell};
  }
  /// Coordinates of any search node (cell centre or road node), metres.
  core::Vec2 node_point(std::uint32_t node) const;
};

/// Sets bucket_width and window from the grid's median pace (or, without passable cells, the
/// road edges). build_travel_model calls it; call it again after replacing `roads` by hand.
void tune_queue(TravelModel& m);

/// Builds the model from a pace grid (seconds per metre, from build_pace_grid) and a road
/// network (may be empty). Roads are cut into pieces of at most half a cell so that every cell
/// a road crosses can step on and off it. `neighbours` is 8 or 16.
TravelModel build_travel_model(const core::GridF& pace, const RoadNetwork& roads, int neighbours);

/// A queued node, the cost it was queued with and the label that cost came from (written to
/// the node when it is taken from the queue: once per node instead of once per improvement).
struct QueueEntry {
  std::uint32_t node;
  Deciseconds key;
  std::int32_t label;
};

/// Side of the search's square tiles in padded cells, as a power of two (64 x 64).
inline constexpr int SEARCH_TILE_SHIFT = 6;

/// Reusable search state; one per thread. Sized on first use; between searches only the tiles
/// and road nodes the previous search reached are reset.
struct SearchWorkspace {
  std::vector<Deciseconds> dist;    ///< per search node: cost, UNREACHED_DS if not reached
  std::vector<std::int32_t> label;  ///< per search node: label of the seed it came from, -1 if not reached
  std::vector<std::uint32_t> pred;  ///< per search node: predecessor (only with SearchOptions::track_pred)
  /// Tiles (64 x 64 padded cells, tile = (row / 64) * tiles_wide + col / 64) the last search
  /// wrote to, and the road nodes it reached.
  std::vector<std::uint32_t> used_tiles;
  std::vector<std::uint32_t> used_roads;
  // Queue state.
  int tiles_wide = 0, tiles_high = 0, grid_pw = 0, grid_ph = 0;
  std::vector<std::uint8_t> tile_used;
  std::vector<std::vector<QueueEntry>> pending;  ///< per tile (+1 for road nodes off the grid)
  std::vector<Deciseconds> tile_min;
  std::vector<QueueEntry> heap;                ///< (smallest pending cost, tile), lazy
  std::vector<std::vector<QueueEntry>> local;  ///< the buckets of the tile being drained
  std::vector<QueueEntry> keep;
};
/// A starting node of a search: node id, initial cost, label propagated to what it reaches.
struct Seed {
  std::uint32_t node = 0;
  Deciseconds cost = 0;
  std::int32_t label = -1;
};

/// Options of one search.
struct SearchOptions {
  Deciseconds limit = UNREACHED_DS - 1;  ///< stop beyond this cost (bounded search)
  bool track_pred = false;               ///< keep predecessors (paths)
  /// Optional, one entry per padded cell node: a cell reached at a cost ≥ prune[cell] is not
  /// expanded (another source is at least as close there, so nothing beyond it can improve —
  /// exact, by the triangle inequality of shortest paths on the same graph). Used by what-if moves.
  const Deciseconds* prune = nullptr;
};

/// Runs one multi-source search. Afterwards ws.dist[node] is the cost (UNREACHED_DS if not
/// reached within the limit) and ws.label[node] the label of the seed it came from.
void run_search(const TravelModel& m, SearchWorkspace& ws, std::span<const Seed> seeds,
                const SearchOptions& opt);

/// The edges out of search node `u` as (node, cost): the graph run_search searches, for checking
/// the search against another shortest-path algorithm.
std::vector<std::pair<std::uint32_t, Deciseconds>> search_edges(const TravelModel& m, std::uint32_t u);

/// Where a point enters the search: its cell (or the nearest passable cell within 3 cells) and
/// the cost from the point to that cell's centre. ok=false if no passable cell is near.
struct PointAnchor {
  bool ok = false;
  std::uint32_t node = 0;
  Deciseconds cost = 0;
};
PointAnchor anchor_point(const TravelModel& m, core::Vec2 p);

// ---------------------------------------------------------------------------------------------
// Query 1: the travel-time surface from many facilities at once.

/// Seconds to the nearest facility per cell (+inf unreachable) and that facility's index
/// (-1 unreachable), in the model's grid frame. Facilities too far from any passable cell are
/// listed in `unplaced`.
struct TravelSurface {
  core::GridF seconds;
  core::GridI nearest;
  std::vector<std::uint32_t> unplaced;
};
/// Time from the facilities outward (facility -> cell), metres in the analysis CRS for points.
TravelSurface travel_surface(const TravelModel& m, std::span<const core::Vec2> facilities,
                             double limit_s = std::numeric_limits<double>::infinity());
/// Same, reusing a workspace (benchmarks, repeated what-if runs).
TravelSurface travel_surface(const TravelModel& m, std::span<const core::Vec2> facilities,
                             SearchWorkspace& ws, double limit_s = std::numeric_limits<double>::infinity());

/// Gives each water cell of `m` (lake, river) the time to reach it from the nearest passable
/// cell at `m.water_reach_pace`, where that is sooner than what `s` holds; travel through water
/// stays impossible. travel_surface and the what-if drag call it; seconds.
void reach_water_cells(const TravelModel& m, TravelSurface& s);

/// Time of a point read from a surface: its cell's time plus the last stretch from the cell
/// centre to the point at the cell's pace; +inf if unreachable. Seconds.
double point_time(const TravelModel& m, const TravelSurface& s, core::Vec2 p,
                  std::int32_t* nearest = nullptr);

// ---------------------------------------------------------------------------------------------
// Query 2: every demand point to its k nearest facilities of each type.

/// Per demand point, per type, the k nearest facilities (facility index or -1) and their
/// times in seconds (+inf if fewer than k are reachable), ordered nearest first. Layout:
/// [(demand * types + type) * k + rank].
struct NearestFacilities {
  int k = 0;
  int types = 0;
  std::vector<std::int32_t> facility;
  std::vector<float> seconds;
};
/// `facility_type[i]` in [0, types) is the type of facility i. Memory: nodes x k x 8 bytes.
NearestFacilities nearest_facilities(const TravelModel& m, std::span<const core::Vec2> demand,
                                     std::span<const core::Vec2> facilities,
                                     std::span<const int> facility_type, int types, int k);

// ---------------------------------------------------------------------------------------------
// Query 3: sparse demand x candidate matrix of every pair within a time limit.

/// Candidate-major CSR: the pairs of candidate j are [offsets[j], offsets[j+1]) with demand
/// index `demand[e]` reached in `seconds[e]` (whole seconds, rounded up), sorted by demand.
/// Missing pairs are beyond the limit or unreachable. Times run candidate -> demand point.
struct SparseTimeMatrix {
  std::size_t candidates = 0;
  std::size_t demands = 0;
  std::vector<std::uint32_t> offsets{0};
  std::vector<std::uint32_t> demand;
  std::vector<core::ISeconds> seconds;

  std::size_t nnz() const { return demand.size(); }
  /// Seconds from candidate j to demand i, or core::UNREACHABLE (binary search).
  core::ISeconds at(std::uint32_t j, std::uint32_t i) const;
};
/// One bounded search per candidate; `limit_s` seconds. `threads` <= 1 runs on the caller's thread.
/// When `cancel` is given and becomes true, the remaining candidates are skipped (their rows left
/// empty) and the call returns within one search; the caller must then discard the matrix.
SparseTimeMatrix sparse_time_matrix(const TravelModel& m, std::span<const core::Vec2> demand,
                                    std::span<const core::Vec2> candidates, double limit_s, int threads = 1,
                                    const std::atomic<bool>* cancel = nullptr);

// ---------------------------------------------------------------------------------------------
// Query 3b: each facility's own reach over the grid cells (capacity catchments, 2SFCA).

/// Facility-major CSR of the frame cells each facility reaches within a limit: the entries of
/// facility j are [offsets[j], offsets[j+1]) with frame cell index `item[e]` (row * width + col)
/// reached in `seconds[e]` (the same value travel_surface gives that cell when j is the only
/// facility), sorted by time, then cell. Facilities with no passable cell near stay empty.
struct ReachLists {
  std::size_t facilities = 0;
  std::size_t items = 0;  ///< number of items the indices refer to
  std::vector<std::uint32_t> offsets{0};
  std::vector<std::uint32_t> item;
  std::vector<float> seconds;
};
/// One bounded search per facility (`limit_s` seconds, inclusive); only cells with
/// `wanted[cell] != 0` are listed (all cells when `wanted` is empty). Water cells are listed
/// with the time to reach them from the nearest passable cell, as travel_surface gives them. `threads` <= 1
/// runs on the caller's thread.
ReachLists facility_reach(const TravelModel& m, std::span<const core::Vec2> facilities, double limit_s,
                          std::span<const std::uint8_t> wanted = {}, int threads = 1);

// ---------------------------------------------------------------------------------------------
// Query 4: a stop x stop matrix with the paths.

/// Dense n x n seconds (row = from, col = to; core::UNREACHABLE if no route) and, when asked,
/// the path of each pair as coordinates (metres) from the stop along cells and roads to the
/// other stop; path of pair (i,j) is coords[path_offsets[i*n+j] .. path_offsets[i*n+j+1]).
struct StopMatrix {
  int n = 0;
  std::vector<core::ISeconds> seconds;
  std::vector<std::uint32_t> path_offsets;
  std::vector<core::Vec2> coords;

  core::ISeconds at(int i, int j) const { return seconds[static_cast<std::size_t>(i) * n + j]; }
  std::span<const core::Vec2> path(int i, int j) const {
    const auto k = static_cast<std::size_t>(i) * n + j;
    return {coords.data() + path_offsets[k], coords.data() + path_offsets[k + 1]};
  }
};
/// When `cancel` is given and becomes true, the remaining rows are left unreachable and the call
/// returns within one search; the caller must then discard the matrix.
StopMatrix stop_matrix(const TravelModel& m, std::span<const core::Vec2> stops, bool with_paths,
                       const std::atomic<bool>* cancel = nullptr);

}  // namespace kepumap::analysis
