// `kepumap check project.toml [--scenario NAME] [--lang en]`: the plan's targets — value,
// threshold, pass or fail, and the units that fail. Exit 1 when any target is missed (a target
// that cannot be evaluated counts as missed: it cannot be shown to be met).
#include <cstdio>
#include <string>

#include "app/cli_common.hpp"
#include "app/verbs.hpp"

namespace kepumap::app {

namespace {

int run_check(const std::vector<std::string>& args) {
  const auto a = parse_common(args, "check", false);
  if (!a) return 2;
  for (const auto& r : a->rest) {
    std::fprintf(stderr, "error: kepumap check: unknown argument '%s'\n", r.c_str());
    return 2;
  }
  auto lp = load_and_evaluate(*a);
  if (!lp) return 2;
  const bool en = a->english;
  const auto& targets = lp->pe.ev.targets;
  std::printf("%s%s%s\n", lp->doc.config.name.c_str(), a->scenario.empty() ? "" : " — ", a->scenario.c_str());
  int missed = 0;
  for (const auto& r : targets) {
    const core::Target& t = *r.target;
    const char* verdict = !r.evaluated ? (en ? "CANNOT EVALUATE" : "无法评估")
                          : r.pass     ? (en ? "pass" : "达标")
                                       : (en ? "FAIL" : "未达标");
    if (!r.pass) ++missed;
    if (r.evaluated)
      std::printf("%-8s %-28s %-20s %-16s value %-10.3f threshold %-8g by %d\n", verdict, t.id.c_str(),
                  std::string(core::metric_name(t.metric)).c_str(),
                  std::string(core::scope_name(t.scope)).c_str(), r.value, t.threshold, t.deadline);
    else
      std::printf("%-8s %-28s %-20s %-16s %s\n", verdict, t.id.c_str(),
                  std::string(core::metric_name(t.metric)).c_str(),
                  std::string(core::scope_name(t.scope)).c_str(), r.reason.c_str());
    if (!r.failing.empty()) {
      std::string units;
      for (std::size_t i = 0; i < r.failing.size() && i < 12; ++i) units += (i ? "、" : "") + r.failing[i];
      if (r.failing.size() > 12)
        units += en ? " and " + std::to_string(r.failing.size() - 12) + " more"
                    : " 等 " + std::to_string(r.failing.size()) + " 个";
      std::printf("         %s %zu/%zu: %s\n", en ? "failing units" : "未达标单元", r.failing.size(), r.units,
                  units.c_str());
    }
    if (!t.quote.empty()) std::printf("         「%s」\n", t.quote.c_str());
  }
  std::printf("%s: %zu, %s: %d\n", en ? "targets" : "目标", targets.size(), en ? "missed" : "未达标", missed);
  return missed > 0 ? 1 : 0;
}

VerbRegistration reg{"check", "check the plan's targets (exit 1 when one is missed)", run_check};

}  // namespace
}  // namespace kepumap::app
