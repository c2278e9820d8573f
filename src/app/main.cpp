// kepumap: the desktop app with no verb, or a headless verb (info, coverage, site, ...).
#include <cstddef>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "app/cli_common.hpp"
#include "app/verbs.hpp"
#include "core/resources.hpp"

namespace kepumap::app {

std::vector<Verb>& verbs() {
  static std::vector<Verb> v;
  return v;
}

VerbRegistration::VerbRegistration(std::string name, std::string summary, VerbFn fn) {
  verbs().push_back(Verb{std::move(name), std::move(summary), std::move(fn)});
}

namespace {
void print_help() {
  std::printf("kepumap — 科普资源覆盖规划 (science-resource coverage planning)\n\n");
  std::printf("usage: kepumap [project.toml]            open the desktop app\n");
  std::printf("       kepumap <verb> [arguments]        run a headless verb\n\nverbs:\n");
  for (const auto& v : verbs())
    if (!v.name.empty()) std::printf("  %-10s %s\n", v.name.c_str(), v.summary.c_str());
}
}  // namespace

}  // namespace kepumap::app

int main(int argc, char** argv) {
  using namespace kepumap::app;
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && (args[0] == "--help" || args[0] == "-h" || args[0] == "help")) {
    print_help();
    return 0;
  }
  // --memory-gb N anywhere: the resource guard's limit for every verb (and the app).
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] != "--memory-gb") continue;
    double gb = 0;
    if (i + 1 >= args.size() || !parse_double(args[i + 1], gb) || !(gb > 0)) {
      std::fprintf(stderr, "error: --memory-gb needs a positive number of GB\n");
      return 2;
    }
    kepumap::core::set_memory_limit_override_gb(gb);
    args.erase(args.begin() + static_cast<std::ptrdiff_t>(i),
               args.begin() + static_cast<std::ptrdiff_t>(i) + 2);
    --i;
  }
  try {
    if (!args.empty())
      for (const auto& v : verbs())
        if (!v.name.empty() && v.name == args[0]) return v.run({args.begin() + 1, args.end()});
    for (const auto& v : verbs())
      if (v.name.empty()) return v.run(args);
    if (!args.empty() && args[0].rfind("-", 0) != 0 && args[0].find(".toml") == std::string::npos) {
      std::fprintf(stderr, "error: unknown verb '%s' (kepumap --help lists them)\n", args[0].c_str());
      return 2;
    }
    std::fprintf(stderr, "error: this build has no desktop app; use a verb (kepumap --help)\n");
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  }
}
