// `kepumap init FOLDER`: a project from the files in a folder. Guesses each layer's role,
// fields, CRS and encoding, writes a commented FOLDER/project.toml (never over an existing one)
// and loads it as `kepumap info` would.
#include <cstdio>
#include <string>
#include <vector>

#include "app/verbs.hpp"
#include "core/project.hpp"
#include "io/init_project.hpp"

namespace kepumap::app {

namespace {

constexpr const char* k_usage = "usage: kepumap init FOLDER";

std::string fields_text(const core::FieldMap& f) {
  std::string s;
  for (const auto& [k, v] : core::field_keys(f))
    if (!v->empty()) s += (s.empty() ? "" : " ") + std::string(k) + "=" + *v;
  return s.empty() ? "-" : s;
}

int run_init(const std::vector<std::string>& args) {
  std::string folder;
  for (const auto& a : args) {
    if (a == "-h" || a == "--help") {
      std::printf("%s\n", k_usage);
      return 0;
    }
    if (a.rfind("--", 0) == 0) {
      std::fprintf(stderr, "error: unknown option '%s' (%s)\n", a.c_str(), k_usage);
      return 2;
    }
    if (!folder.empty()) {
      std::fprintf(stderr, "error: more than one folder given ('%s' and '%s')\n", folder.c_str(), a.c_str());
      return 2;
    }
    folder = a;
  }
  if (folder.empty()) {
    std::fprintf(stderr, "error: no folder (%s)\n", k_usage);
    return 2;
  }
  const io::InitResult r =
      io::init_project(std::filesystem::path(reinterpret_cast<const char8_t*>(folder.c_str())));
  if (r.diagnostics.has_errors()) {
    for (const auto& p : r.diagnostics.problems)
      if (p.severity == core::Severity::Error) {
        std::fprintf(stderr, "%s\n", p.to_line().c_str());
        break;  // one line: the first error
      }
    return 2;
  }
  std::printf("新建项目 New project: %s\n", r.project_name.c_str());
  std::printf("猜测 Guessed %zu layers:\n", r.layers.size());
  for (const auto& l : r.layers) {
    const std::string where = l.spec.source + (l.spec.layer.empty() ? "" : ":" + l.spec.layer);
    const std::string what = l.kind == "raster" ? l.kind : l.kind + " " + std::to_string(l.features);
    std::printf("  %-22s %-15s %-34s %-13s fields %s%s\n", l.spec.name.c_str(),
                std::string(core::role_name(l.spec.role)).c_str(), where.c_str(), what.c_str(),
                fields_text(l.spec.fields).c_str(), l.include ? "" : "  (commented out)");
    if (!l.spec.seat.lon.empty())
      std::printf("  %-22s seat lon=%s lat=%s\n", "", l.spec.seat.lon.c_str(), l.spec.seat.lat.c_str());
    const bool plain_crs = l.source_crs.empty() || l.source_crs == "EPSG:4326 WGS 84";
    const bool plain_encoding = l.encoding.empty() || l.encoding == "UTF-8";
    if (!plain_crs || !plain_encoding)
      std::printf("  %-22s CRS %s; encoding %s\n", "", l.source_crs.empty() ? "-" : l.source_crs.c_str(),
                  l.encoding.empty() ? "-" : l.encoding.c_str());
  }
  std::size_t undecided = r.undecided.size();
  for (const auto& l : r.layers) undecided += l.undecided.size();
  std::printf("未能确定 Could not decide: %zu\n", undecided);
  for (const auto& u : r.undecided) std::printf("  %s\n", u.c_str());
  for (const auto& l : r.layers)
    for (const auto& u : l.undecided) std::printf("  %s: %s\n", l.spec.name.c_str(), u.c_str());
  if (!r.skipped.empty()) {
    std::printf("已跳过 Skipped: %zu\n", r.skipped.size());
    for (const auto& s : r.skipped) std::printf("  %s\n", s.c_str());
  }
  std::size_t warnings = 0;
  for (const auto& p : r.diagnostics.problems) warnings += p.severity == core::Severity::Warning;
  const auto pf = r.project_file.u8string();
  std::printf("已写入 wrote %s; loaded %zu layers, analysis CRS %s, %zu warnings\n",
              std::string(pf.begin(), pf.end()).c_str(), r.loaded_layers, r.analysis_crs_name.c_str(),
              warnings);
  for (const auto& p : r.diagnostics.problems)
    if (p.severity == core::Severity::Warning) std::printf("  %s\n", p.to_line().c_str());
  return 0;
}

VerbRegistration reg{
    "init", "a project from a folder: guesses roles, fields, CRS, encoding; writes project.toml", run_init};

}  // namespace

}  // namespace kepumap::app
