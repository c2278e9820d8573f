#include "io/scenario_file.hpp"

#include <cstdio>

#include <toml++/toml.h>

#include "core/atomic_file.hpp"

namespace kepumap::io {

namespace fs = std::filesystem;

namespace {

std::string toml_string(const std::string& v) {
  std::string o = "\"";
  for (char c : v) {
    if (c == '"' || c == '\\') o += '\\';
    if (c == '\n') {
      o += "\\n";
      continue;
    }
    o += c;
  }
  return o + "\"";
}

int line_of(const toml::node& n) { return static_cast<int>(n.source().begin.line); }

}  // namespace

std::vector<SavedScenario> read_scenarios(const fs::path& file, std::string& error) {
  std::vector<SavedScenario> out;
  std::error_code ec;
  if (!fs::exists(file, ec)) return out;
  try {
    toml::table t = toml::parse_file(file.string());
    const toml::array* list = t["whatif"].as_array();
    if (!list) return out;
    for (const auto& node : *list) {
      const toml::table* sc = node.as_table();
      if (!sc) continue;
      SavedScenario s;
      s.name = (*sc)["name"].value_or(std::string());
      if (const toml::array* edits = (*sc)["edit"].as_array())
        for (const auto& en : *edits) {
          const toml::table* e = en.as_table();
          if (!e) continue;
          SavedEdit x;
          x.line = line_of(en);
          const std::string where =
              file.string() + ":" + std::to_string(x.line) + ": scenario '" + s.name + "': ";
          x.kind = (*e)["kind"].value_or(std::string());
          if (x.kind != "move" && x.kind != "add" && x.kind != "delete" && x.kind != "rename" &&
              x.kind != "standard") {
            error = where + "kind: unknown kind '" + x.kind + "' (move, add, delete, rename, standard)";
            return {};
          }
          x.facility = (*e)["facility"].value_or(std::string());
          if (x.facility.empty()) {
            error = where + "facility: missing";
            return {};
          }
          const auto idx = (*e)["index"].value<std::int64_t>();
          if (x.kind != "standard" && (!idx || *idx < 0)) {
            error = where + "index: missing or negative";
            return {};
          }
          x.index = idx ? static_cast<std::size_t>(*idx) : 0;
          if (const toml::array* to = (*e)["to"].as_array(); to && to->size() == 2) {
            const auto a = (*to)[0].value<double>(), b = (*to)[1].value<double>();
            if (!a || !b) {
              error = where + "to: expected two numbers";
              return {};
            }
            x.to = {*a, *b};
            x.has_to = true;
          }
          if ((x.kind == "move" || x.kind == "add") && !x.has_to) {
            error = where + "to: missing (two numbers, analysis CRS metres)";
            return {};
          }
          x.name = (*e)["name"].value_or(std::string());
          x.level = (*e)["level"].value_or(std::string());
          x.floor_area_m2 = (*e)["floor_area_m2"].value_or(0.0);
          x.minutes = (*e)["minutes"].value_or(-1.0);
          if (x.kind == "standard" && !(x.minutes >= 0.0)) {
            error = where + "minutes: missing or negative";
            return {};
          }
          s.edits.push_back(std::move(x));
        }
      out.push_back(std::move(s));
    }
  } catch (const toml::parse_error& e) {
    error = file.string() + ":" + std::to_string(e.source().begin.line) + ": " + std::string(e.description());
    return {};
  }
  return out;
}

std::string scenarios_text(const std::vector<SavedScenario>& list) {
  std::string t =
      "# kepumap what-if scenarios, written by the desktop app. The project's data are not changed:\n"
      "# each edit moves, adds, deletes or renames a facility of a type, or sets a service standard.\n";
  char b[128];
  for (const auto& sc : list) {
    t += "\n[[whatif]]\nname = " + toml_string(sc.name) + "\n";
    for (const auto& e : sc.edits) {
      t += "\n[[whatif.edit]]\nkind = " + toml_string(e.kind) + "\nfacility = " + toml_string(e.facility) +
           "\n";
      if (e.kind == "standard") {
        std::snprintf(b, sizeof b, "minutes = %.17g\n", e.minutes);
        t += b;
        continue;
      }
      std::snprintf(b, sizeof b, "index = %zu\n", e.index);
      t += b;
      if (e.kind != "rename") {
        std::snprintf(b, sizeof b, "to = [%.17g, %.17g]\n", e.to.x, e.to.y);
        t += b;
      }
      if (e.kind == "add" || e.kind == "rename")
        t += "name = " + toml_string(e.name) + "\nlevel = " + toml_string(e.level) + "\n";
      if (e.kind == "add") {
        std::snprintf(b, sizeof b, "floor_area_m2 = %.17g\n", e.floor_area_m2);
        t += b;
      }
    }
  }
  return t;
}

bool write_scenarios(const fs::path& file, const std::vector<SavedScenario>& list, std::string& error) {
  std::string why;
  if (core::write_file_atomic(file, scenarios_text(list), &why)) return true;
  error = file.string() + ": cannot write the file (无法写入): " + why;
  return false;
}

fs::path scenarios_file_of(const fs::path& project) {
  return project.parent_path() / (project.stem().string() + ".scenarios.toml");
}

}  // namespace kepumap::io
