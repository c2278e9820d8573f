// libFuzzer target: the siting instance readers (optimize/siting_io.cpp) — the `--matrix` CSV of
// `kepumap site` / `kepumap access` and the OR-Library p-median format — must never crash: they
// return an instance or throw InstanceFileError with one line. The first input byte picks the
// reader (even: matrix CSV, odd: OR-Library); the rest is the file.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "optimize/siting.hpp"
#include "optimize/siting_io.hpp"

namespace {

void require(bool ok) {
  if (!ok) __builtin_trap();
}

/// The first integer of the text (the OR-Library node count), or 0.
long long first_number(const std::string& s) {
  std::size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  return std::strtoll(s.c_str() + i, nullptr, 10);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace kepumap;
  if (size == 0) return 0;
  const bool orlib = (data[0] & 1) != 0;
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  // OR-Library instances take n x n memory and n Dijkstra runs: keep them small so each input is
  // fast (the reader itself accepts up to 20000 nodes).
  if (orlib && first_number(text) > 300) return 0;
  try {
    if (orlib) {
      const optimize::OrlibInstance oi = optimize::parse_orlib_pmedian(text, "fuzz.txt");
      require(oi.p >= 1 && static_cast<std::size_t>(oi.p) <= oi.nodes);
      require(oi.instance.num_demands() == oi.nodes && oi.instance.num_candidates() == oi.nodes);
      require(optimize::validate(oi.instance).empty());
    } else {
      const optimize::SitingInstance inst = optimize::parse_matrix_csv(text, "fuzz.csv");
      require(inst.num_demands() >= 1 && inst.num_candidates() >= 1);
      require(inst.population.size() == inst.num_demands());
      require(inst.candidate_names.size() == inst.num_candidates());
      for (auto v : inst.population) require(v >= 0);
      (void)optimize::validate(inst);  // problems in words, never a crash
    }
  } catch (const optimize::InstanceFileError& e) {
    require(!e.problem.what.empty() && !e.problem.to_line().empty());
  }
  return 0;
}
