#pragma once
// Compressed sparse row graphs (OSRM StaticGraph style): offsets, targets, weights.
#include <cstdint>
#include <span>
#include <vector>

#include "core/types.hpp"

namespace kepumap::core {

/// Directed graph in CSR form. Edges of node u are [offsets[u], offsets[u+1]).
/// `weights` are in the unit the builder chose (the travel engine uses seconds).
template <class W>
struct CsrGraph {
  std::vector<std::uint32_t> offsets{0};
  std::vector<NodeId> targets;
  std::vector<W> weights;

  std::size_t node_count() const { return offsets.size() - 1; }
  std::size_t edge_count() const { return targets.size(); }
  std::span<const NodeId> neighbours(NodeId u) const {
    return {targets.data() + offsets[u], targets.data() + offsets[u + 1]};
  }
  std::span<const W> edge_weights(NodeId u) const {
    return {weights.data() + offsets[u], weights.data() + offsets[u + 1]};
  }
};

/// An edge list entry used to build a CsrGraph.
template <class W>
struct Edge {
  NodeId from = INVALID_ID;
  NodeId to = INVALID_ID;
  W weight{};
};

/// Builds a CSR graph with `node_count` nodes from an edge list (counting sort by source;
/// edges of one node keep their input order).
template <class W>
CsrGraph<W> build_csr(std::size_t node_count, std::span<const Edge<W>> edges) {
  CsrGraph<W> g;
  g.offsets.assign(node_count + 1, 0);
  for (const auto& e : edges) ++g.offsets[e.from + 1];
  for (std::size_t i = 0; i < node_count; ++i) g.offsets[i + 1] += g.offsets[i];
  g.targets.resize(edges.size());
  g.weights.resize(edges.size());
  std::vector<std::uint32_t> fill(g.offsets.begin(), g.offsets.end() - 1);
  for (const auto& e : edges) {
    const auto at = fill[e.from]++;
    g.targets[at] = e.to;
    g.weights[at] = e.weight;
  }
  return g;
}

}  // namespace kepumap::core
