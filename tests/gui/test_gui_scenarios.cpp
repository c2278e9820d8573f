// Travel scenarios in the app under Xvfb: the menu bar's scenario choice and the status bar name
// the scenario shown; a scenario created and edited with the 出行情景 window's functions (the
// `scenario_edit` script verb) is evaluated when chosen, undone with the other edits, saved with
// the project and chosen again after reopening; the command line's --scenario gives the figure
// the app showed. Text typed in a script shows with its own glyphs.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "core/json.hpp"
#include "gui_harness.hpp"
#include "test_paths.hpp"

namespace fs = std::filesystem;
using namespace kepumap;

const char* kepumap::test::gui::gui_scratch_tag() { return "scenarios"; }

using namespace kepumap::test::gui;

namespace {

core::JsonValue state(const std::string& name) { return core::parse_json(slurp(work() / (name + ".json"))); }

const core::JsonValue& session_of(const core::JsonValue& st) {
  const auto* s = st.find("session");
  REQUIRE(s);
  return *s;
}

bool shown(const std::string& name, const std::string& text) {
  for (const auto& s : ui_text(name))
    if (s == text) return true;
  return false;
}

}  // namespace

TEST_CASE("app scenarios: the menu bar chooses the scenario and the status bar names it", "[gui][scenario]") {
  if (!can_run()) return;
  REQUIRE(run_app("choice",
                  "analysis open coverage\nanalysis scenario winter\nanalysis wait\nwait 2\nscreenshot " +
                      (work() / "choice.png").string() + "\n") == 0);
  const auto st = state("choice");
  const auto& s = session_of(st);
  CHECK(s.find("scenario_name")->string == "winter");
  CHECK(s.find("evaluated_scenario")->string == "winter");
  CHECK(s.find("scenario")->string == "冬季（积雪）");
  CHECK(shown("choice", "情景: 冬季（积雪）"));  // the menu bar's combo
}

TEST_CASE("app scenarios: created, changed, undone, saved and chosen again after reopening",
          "[gui][scenario]") {
  if (!can_run()) return;
  const fs::path w = work();
  fs::remove_all(w / "p");
  fs::copy(test::source_dir() / "data/abag", w / "p", fs::copy_options::recursive);
  const std::string p = (w / "p/project.toml").string();
  // a bad name is refused with one line, the session unchanged
  CHECK(run_app("bad", "project open " + p + "\nscenario_edit deep.snow offroad 5\n") == 2);
  CHECK(slurp(w / "bad.err").find("deep.snow") != std::string::npos);

  REQUIRE(run_app("make",
                  "project open " + p +
                      "\nopen_panel scenarios\n"
                      "scenario_edit deep_snow label 大雪封路 offroad 6 close track speed 县道 35 ice on\n"
                      "scenario_edit deep_snow offroad 4\n"
                      "scenario_edit undo\n"  // back to 6 km/h
                      "open_panel scenarios deep_snow\n"
                      "analysis open coverage\nanalysis scenario deep_snow\nanalysis wait\nwait 3\n"
                      "screenshot " +
                      (w / "make.png").string() + "\nproject save\nanalysis wait\nwait 2\n") == 0);
  const auto st = state("make");
  const auto& s = session_of(st);
  CHECK(s.find("scenario_name")->string == "deep_snow");
  CHECK(s.find("evaluated_scenario")->string == "deep_snow");
  const auto& list = s.find("scenarios")->array;
  REQUIRE(list.size() == 2);
  CHECK(list[1].find("name")->string == "deep_snow");
  CHECK(list[1].find("offroad_kmh")->number == 6.0);
  CHECK(list[1].find("closed")->number == 1.0);
  CHECK(shown("make", "情景: 大雪封路"));
  CHECK(shown("make", "出行情景"));  // the window
  // saved and reopened, the scenario still chosen and evaluated
  REQUIRE(s.find("services"));
  const double share = s.find("services")->find("museum")->find("share")->number;

  const std::string saved = slurp(w / "p/project.toml");
  INFO(saved);
  CHECK(saved.find("name = \"deep_snow\"") != std::string::npos);
  CHECK(saved.find("label = \"大雪封路\"") != std::string::npos);
  CHECK(saved.find("offroad_kmh = 6\n") != std::string::npos);
  CHECK(saved.find("closed_classes = [\"track\"]") != std::string::npos);
  CHECK(saved.find("ice = true") != std::string::npos);
  CHECK(saved.find("label = \"冬季（积雪）Winter (snow)\"") != std::string::npos);  // winter untouched

  // reopened: the scenario is there and gives the same figure; so does the command line
  REQUIRE(run_app("again",
                  "project open " + p +
                      "\nanalysis open coverage\nanalysis scenario deep_snow\nanalysis wait\nwait 2\n") == 0);
  const auto st2 = state("again");
  REQUIRE(session_of(st2).find("services"));
  CHECK(session_of(st2).find("services")->find("museum")->find("share")->number ==
        Approx(share).margin(1e-12));
  const fs::path out = w / "cli";
  const std::string cmd = "'" + kepumap_bin() + "' coverage '" + p + "' --scenario deep_snow -o '" +
                          out.string() + "' >/dev/null 2>&1";
  REQUIRE(std::system(cmd.c_str()) == 0);
  CHECK(fs::exists(out));
}
