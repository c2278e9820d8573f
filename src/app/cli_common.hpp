#pragma once
// Shared pieces of the headless verbs: argument parsing, loading a project with every problem
// printed as one line, and evaluating it.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "analysis/evaluation.hpp"
#include "core/diagnostics.hpp"
#include "core/document.hpp"
#include "core/style.hpp"

namespace kepumap::app {

/// The options the analysis verbs share.
struct CommonArgs {
  std::string project;            ///< project.toml
  std::string scenario;           ///< --scenario NAME
  std::filesystem::path out_dir;  ///< -o DIR
  bool english = false;           ///< --lang en
  std::string crs = "wgs84";      ///< --crs wgs84|cgcs2000|cgcs2000-gk: the vector outputs' CRS
  std::vector<std::string> rest;  ///< anything else, for the verb to read
};

/// Parses `project.toml [--scenario NAME] [-o DIR] [--lang zh|en]`; prints a line and returns
/// nullopt on a bad argument. `need_out` makes -o required.
std::optional<CommonArgs> parse_common(const std::vector<std::string>& args, const char* verb, bool need_out);

/// Whether `choice` is a --crs value kepumap knows (wgs84, cgcs2000, cgcs2000-gk).
bool known_output_crs(const std::string& choice);

/// The CRS definition for the vector outputs: "" for wgs84 (EPSG:4326), "EPSG:4490" for
/// cgcs2000, and for cgcs2000-gk the CGCS2000 3-degree Gauss-Krüger zone (EPSG:4513..4533, zones
/// 25..45 with the zone number in the false easting) whose central meridian is nearest the
/// centre of the project's analysis extent.
std::string output_crs_definition(const std::string& choice, const core::Document& doc);

/// The map style the outputs use: the project's styles/default.json as the report finds it,
/// else the built-in default.
core::Style output_style(const std::string& project);

/// Parses a whole string as an integer / a number (no trailing characters); false otherwise.
bool parse_int(const std::string& s, long long& v);
bool parse_double(const std::string& s, double& v);

/// Refuses an input file given on the command line (`--matrix`, `--orlib`, `--tsplib`, ...) that
/// is a device, a FIFO, a folder, a system file, a link loop or a URL: prints one line naming
/// `option` and returns true. False when the file may be read.
bool refuse_input_file(const std::string& file, const char* option);

/// Prints every problem (warnings too) as one line on stderr; returns true if any was an error.
bool print_problems(const core::Diagnostics& diag);

/// Loads and evaluates a project; prints problems. nullopt when there were errors.
struct LoadedProject {
  core::Document doc;
  analysis::ProjectEvaluation pe;
};
std::optional<LoadedProject> load_and_evaluate(const CommonArgs& a);

}  // namespace kepumap::app
