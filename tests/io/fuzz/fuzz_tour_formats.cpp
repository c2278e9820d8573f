// libFuzzer target: the TSPLIB and Solomon VRPTW readers (optimize/tour_formats.cpp) must never
// crash: they return an instance or throw FormatError with one line "file:line: what". The first
// input byte picks the reader (even: Solomon, odd: TSPLIB); the rest is the file. A small TSPLIB
// instance's distance matrix is built too, and a trivial Solomon solution checked.
#include <cstddef>
#include <cstdint>
#include <string>

#include "optimize/tour_formats.hpp"

namespace {

void require(bool ok) {
  if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace kepumap::optimize;
  if (size == 0) return 0;
  const bool tsplib = (data[0] & 1) != 0;
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  try {
    if (tsplib) {
      const TsplibInstance inst = parse_tsplib(text, "fuzz.tsp");
      require(!inst.x.empty() && inst.x.size() == inst.y.size());
      if (inst.x.size() <= 200) {
        const CostMatrix m = inst.matrix();
        require(m.n == static_cast<int>(inst.x.size()));
      }
    } else {
      const SolomonInstance inst = parse_solomon(text, "fuzz.txt");
      require(inst.size() >= 2 && inst.vehicles > 0 && inst.capacity > 0);
      if (inst.size() <= 200) {
        SolomonSolution one_each;  // every customer on a route of its own, if the fleet allows
        for (int c = 1; c < inst.size(); ++c) one_each.routes.push_back({c});
        (void)check_solomon(inst, one_each);
      }
    }
  } catch (const FormatError& e) {
    require(std::string(e.what()).rfind("fuzz.", 0) == 0);
  }
  return 0;
}
