// kepumap_make_demo: writes the demo projects (data/abag, data/dalad, data/nmg, data/ningxia and
// data/README.md) from the real reference data in ../shared/data. Deterministic: fixed seeds,
// fixed GeoPackage timestamps.
//
//   kepumap_make_demo --shared ../shared/data --out data [--only abag,dalad,nmg,ningxia]
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "make_demo/gdal_io.hpp"
#include "make_demo/projects.hpp"

namespace fs = std::filesystem;
using namespace kepumap::make_demo;

int main(int argc, char** argv) {
  fs::path shared, out;
  std::string only = "abag,dalad,nmg,ningxia";
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if ((a == "--shared" || a == "--out" || a == "--only") && i + 1 < argc) {
      const std::string v = argv[++i];
      if (a == "--shared")
        shared = v;
      else if (a == "--out")
        out = v;
      else
        only = v;
    } else {
      std::fprintf(stderr,
                   "用法 usage: kepumap_make_demo --shared DIR --out DIR [--only abag,dalad,nmg,ningxia]\n");
      return 2;
    }
  }
  if (shared.empty() || out.empty()) {
    std::fprintf(stderr, "error: --shared and --out are required\n");
    return 2;
  }
  if (!fs::exists(shared / "SOURCES.md")) {
    std::fprintf(stderr, "error: %s: not the shared data folder (no SOURCES.md)\n", shared.c_str());
    return 2;
  }
  init_gdal_reproducible();
  try {
    const Inputs in = read_inputs(shared);
    fs::create_directories(out);
    std::vector<Summary> sums;
    auto want = [&](const char* k) {
      return ("," + only + ",").find(std::string(",") + k + ",") != std::string::npos;
    };
    if (want("abag")) sums.push_back(make_abag(in, out));
    if (want("dalad")) sums.push_back(make_dalad(in, out));
    if (want("nmg")) sums.push_back(make_nmg(in, out));
    if (want("ningxia")) sums.push_back(make_ningxia(in, out));
    for (const auto& s : sums) {
      std::printf("%s\n", s.key.c_str());
      for (const auto& l : s.lines) std::printf("  %s\n", l.c_str());
    }
    if (sums.size() == 4) {
      const fs::path tmp = out / "README.md.tmp";
      {
        std::ofstream f(tmp, std::ios::binary);
        f << readme_text(sums);
      }
      fs::rename(tmp, out / "README.md");
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  }
  return 0;
}
