#pragma once
// Plain siting instances from files, so results compare with published ones and other tools:
//   OR-Library p-median (Beasley): "n m p", then m undirected edges "i j cost" (1-based; where an
//     edge appears twice the later line wins); costs = all-pairs shortest paths; every node is
//     both a demand (weight 1) and a candidate.
//   Matrix CSV (kepumap's own layout, see README "Siting new bases"):
//     demand,population[,priority],<candidate 1>,<candidate 2>,...
//     <name>,<people>[,<weight 1.0 = normal>],<seconds or empty = unreachable>,...
//     @cost|@capacity|@existing|@group,,[,],<per candidate>...   (optional candidate rows)
//     lines starting with # are comments.
#include <filesystem>
#include <stdexcept>
#include <string>

#include "core/diagnostics.hpp"
#include "optimize/siting.hpp"

namespace kepumap::optimize {

/// A bad instance file: carries the problem (file, line, field, what) for one clear line.
struct InstanceFileError : std::runtime_error {
  core::Problem problem;
  explicit InstanceFileError(core::Problem p) : std::runtime_error(p.to_line()), problem(std::move(p)) {}
};

/// An instance read from an OR-Library p-median file, with the file's p.
struct OrlibInstance {
  SitingInstance instance;
  int p = 0;
  std::size_t nodes = 0;
  std::size_t edges = 0;  ///< distinct undirected edges after duplicates were resolved
};

/// Reads a Beasley OR-Library p-median file. Throws InstanceFileError on bad input.
OrlibInstance read_orlib_pmedian(const std::filesystem::path& file);

/// Parses OR-Library text (the file name is only used in messages).
OrlibInstance parse_orlib_pmedian(const std::string& text, const std::string& file_name);

/// Reads a demand x candidate CSV (layout above; times in seconds, decimals rounded).
/// Throws InstanceFileError on bad input.
SitingInstance read_matrix_csv(const std::filesystem::path& file);

/// Parses matrix CSV text (the file name is only used in messages).
SitingInstance parse_matrix_csv(const std::string& text, const std::string& file_name);

/// Integer all-pairs shortest paths over an undirected graph with n nodes and edges
/// (a, b, cost) 0-based: one Dijkstra per source. Unreachable pairs are core::UNREACHABLE.
std::vector<core::ISeconds> all_pairs_shortest(std::size_t n, const std::vector<CostEntry>& edges);

}  // namespace kepumap::optimize
