// The targets dashboard and the export dialog. The export runs as a task over the session's
// figures (frozen while it reads them) and names the scenario and the edits it includes.
#include <imgui.h>

#include <chrono>
#include <ctime>
#include <filesystem>

#include "report/map_render.hpp"
#include "report/outputs.hpp"
#include "report/report.hpp"
#include "ui/analysis_state.hpp"
#include "ui/i18n.hpp"
#include "ui/print_background.hpp"

namespace kepumap::ui {

namespace fs = std::filesystem;
using namespace detail;

void AnalysisPanel::State::draw_targets(AnalysisHost& h) {
  if (!show_targets) return;
  h.layout.place("targets", Side::Right, 460, 160);
  if (!ImGui::Begin(tr_id("Targets").c_str(), &show_targets)) {
    ImGui::End();
    return;
  }
  note_rect(h, "targets");
  if (!ready(h)) {
    if (!error.empty())
      ImGui::TextColored({0.8f, 0.1f, 0.1f, 1}, "%s", error.c_str());
    else
      text(h.project.empty() ? tr("Open a project to compute coverage.") : tr("computing…"));
  } else if (ev(h).targets.empty()) {
    text(tr("The project has no targets."));
  } else {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const auto& targets = ev(h).targets;
    for (std::size_t i = 0; i < targets.size(); ++i) {
      const auto& r = targets[i];
      ImU32 col = !r.evaluated ? IM_COL32(150, 150, 150, 255)
                  : r.pass     ? IM_COL32(40, 160, 60, 255)
                               : IM_COL32(210, 40, 40, 255);
      ImVec2 p = ImGui::GetCursorScreenPos();
      float sz = ImGui::GetTextLineHeight();
      dl->AddCircleFilled({p.x + sz * 0.5f, p.y + sz * 0.5f}, sz * 0.4f, col);
      ImGui::Dummy({sz, sz});
      ImGui::SameLine();
      const core::Target* t = r.target;
      bool share = t && t->unit == "share";
      auto value = [&](double v) { return share ? fmt("%.1f %%", 100.0 * v) : fmt("%.4g", v); };
      std::string line = (t ? t->id : std::string("?")) + "  ";
      if (!r.evaluated)
        line += std::string(tr("cannot evaluate")) + ": " + r.reason;
      else {
        line += value(r.value) + " / " + value(t ? t->threshold : 0.0) + "  " +
                (r.pass ? tr("pass") : tr("fail"));
        if (!r.failing.empty())
          line += " · " + std::string(tr("failing units")) + " " + std::to_string(r.failing.size());
      }
      record(line);
      ImGui::PushID(static_cast<int>(i));
      if (ImGui::Selectable(line.c_str(), overlay.highlighted() == static_cast<int>(i)))
        overlay.highlight(h, overlay.highlighted() == static_cast<int>(i) ? -1 : static_cast<int>(i));
      if (ImGui::IsItemHovered() && t) {
        ImGui::BeginTooltip();
        ImGui::PushTextWrapPos(420);
        ImGui::TextUnformatted(t->quote.c_str());
        ImGui::TextDisabled("%s", t->source.c_str());
        if (!r.failing.empty()) {
          std::string f;
          for (const auto& n : r.failing) f += (f.empty() ? "" : "、") + n;
          ImGui::TextUnformatted((std::string(tr("failing units")) + ": " + f).c_str());
        }
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
      }
      ImGui::PopID();
    }
    if (overlay.highlighted() >= 0)
      text(std::string(tr("Failing units highlighted on the map")) + ": " +
           std::to_string(overlay.highlighted_count()));
  }
  ImGui::End();
}

namespace {

/// What the export task returns.
struct ExportResult {
  std::string message;
  bool ok = false;
};

}  // namespace

std::shared_ptr<report::ReportInputs> AnalysisPanel::State::export_inputs(const AnalysisHost& h) const {
  // Everything an export task reads: the evaluated document and figures (shared; edits wait
  // while the session's freeze token is held), the style and the scenario's name and edits.
  auto in = std::make_shared<report::ReportInputs>();
  in->doc = h.session.evaluated_document().get();
  in->pe = h.session.shared_evaluation().get();
  in->style = h.style;
  in->english = export_lang == 1;
  in->a3 = export_a3;
  in->scenario = h.session.scenario_label(in->english);
  in->edits = h.session.edit_lines(in->english, true);
  in->facility_layers = h.session.edited_facility_layers();
  for (std::size_t i = 0; i < h.doc.layers.size() && i < h.layers.size(); ++i)  // the looks on screen
    in->layer_styles.emplace_back(h.doc.layers[i].name, h.layers[i].spec);
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  char date[16];
  std::strftime(date, sizeof date, "%Y-%m-%d", std::localtime(&now));
  in->date = date;
  return in;
}

void AnalysisPanel::State::export_done(const std::string& message, bool ok, std::vector<std::string>& log) {
  export_msg = message;
  export_ok = ok;
  export_task.reset();
  log.push_back(message);
}

bool AnalysisPanel::State::start_export(AnalysisHost& h) {
  export_ok = false;
  if (export_task) return true;
  if (!ready(h) || h.session.stale()) {
    export_msg = tr("Nothing to export yet: the coverage is still being computed.");
    return false;
  }
  if (h.session.dragging()) return false;
  const fs::path dir = export_dir;
  if (dir.empty()) {
    export_msg = tr("Choose a folder first.");
    return false;
  }
  auto in = export_inputs(h);
  auto doc = h.session.evaluated_document();
  auto pe = h.session.shared_evaluation();
  auto token = h.session.freeze();
  export_msg.clear();
  const std::string pages_word = tr("pages"), wrote_word = tr("Wrote");
  export_task = h.tasks.run<ExportResult>(
      "export",
      [in, doc, pe, token, dir, pages_word, wrote_word](session::TaskState& st) {
        ExportResult r;
        try {
          st.set_stage("report.pdf", 0, 2);
          in->cancel = st.cancel_flag();  // the inputs are this task's own
          const report::ReportFiles files = report::write_report(*in, dir);
          if (st.cancelled()) {
            r.message = "export cancelled after report.pdf (已取消)";
            return r;
          }
          st.set_stage("coverage.gpkg, coverage.xlsx", 1, 2);
          if (std::string err = report::write_coverage_outputs(dir, *doc, *pe, in->english, in->style, {},
                                                               st.cancel_flag());
              !err.empty()) {
            r.message = err;
            return r;
          }
          r.message = wrote_word + " " + (dir / "report.pdf").string() + " (" + std::to_string(files.pages) +
                      " " + pages_word + "), coverage.gpkg, coverage.xlsx";
          r.ok = true;
        } catch (const report::Cancelled&) {
          r.message = "export cancelled (已取消): nothing written";
        } catch (const std::exception& e) {
          r.message = e.what();
        }
        return r;
      },
      [this, &log = h.log](ExportResult& r) { export_done(r.message, r.ok, log); });
  return true;
}

bool AnalysisPanel::State::start_view_export(AnalysisHost& h) {
  export_ok = false;
  if (export_task || !ready(h) || h.session.stale() || h.session.dragging()) return false;
  const fs::path dir = export_dir;
  if (dir.empty()) {
    export_msg = tr("Choose a folder first.");
    return false;
  }
  auto in = export_inputs(h);
  auto doc = h.session.evaluated_document();
  auto pe = h.session.shared_evaluation();
  report::ViewMap v;
  v.travel_time = overlay.time_map;
  v.extent = h.view.visible();
  for (std::size_t i = 0; i < h.layers.size() && i < doc->layers.size(); ++i)
    if (h.layers[i].visible) v.layers.push_back(doc->layers[i].name);
  if (h.session.facility_edits() > 0) v.scenario = h.session.scenario_label(in->english);
  const double w0 = export_a3 ? 841.89 : 595.28, h0 = export_a3 ? 1190.55 : 841.89;
  const double pw = export_landscape ? h0 : w0, ph = export_landscape ? w0 : h0;
  auto token = h.session.freeze();
  export_msg.clear();
  const std::string wrote_word = tr("Wrote");
  // the basemaps as the 底图 section shows them now (switches and opacity), not as in the file
  const std::vector<core::BasemapSpec> basemaps = h.basemaps;
  const bool quiet = h.quiet_background;
  export_task = h.tasks.run<ExportResult>(
      "export",
      [in, doc, pe, token, dir, v, pw, ph, wrote_word, basemaps, quiet](session::TaskState& st) {
        ExportResult r;
        try {
          std::error_code ec;
          fs::create_directories(dir, ec);
          report::MapSpec spec = report::view_map(*in, *pe, v);
          std::vector<std::string> warnings;  // a basemap that fails: the map without it
          add_print_backgrounds(spec, *doc, basemaps, quiet, in->style, pw, ph, 150.0, warnings,
                                st.cancel_flag());
          for (const char* f : {"view.pdf", "view.png", "view.svg"}) {
            st.set_stage(f, 0, 3);
            if (st.cancelled()) {
              r.message = "export cancelled (已取消)";
              return r;
            }
            report::write_map(spec, dir / f, pw, ph, 150.0);
          }
          r.message = wrote_word + " " + (dir / "view.pdf").string() + ", view.png, view.svg";
          r.ok = true;
        } catch (const std::exception& e) {
          r.message = e.what();
        }
        return r;
      },
      [this, &log = h.log](ExportResult& r) { export_done(r.message, r.ok, log); });
  return true;
}

void AnalysisPanel::State::draw_export(AnalysisHost& h) {
  if (!show_export) return;
  if (export_dir[0] == '\0' && !h.project.empty()) {
    std::error_code ec;
    std::string d = (fs::absolute(h.project, ec).parent_path() / "kepumap-export").string();
    std::snprintf(export_dir, sizeof export_dir, "%s", d.c_str());
  }
  h.layout.place("export", Side::Float, 440, 220);
  if (!ImGui::Begin(tr_id("Export").c_str(), &show_export)) {
    ImGui::End();
    return;
  }
  note_rect(h, "export");
  ImGui::InputText(tr_id("Folder").c_str(), export_dir, sizeof export_dir);
  text(tr("Language"));
  ImGui::SameLine();
  ImGui::RadioButton("中文", &export_lang, 0);
  ImGui::SameLine();
  ImGui::RadioButton("English", &export_lang, 1);
  int paper = export_a3 ? 1 : 0;
  ImGui::RadioButton("A4", &paper, 0);
  ImGui::SameLine();
  ImGui::RadioButton("A3", &paper, 1);
  export_a3 = paper == 1;
  const bool can = ready(h) && !h.session.stale() && !export_task;
  ImGui::BeginDisabled(!can);
  if (ImGui::Button(tr_id("Write report and tables").c_str())) start_export(h);
  ImGui::EndDisabled();
  // A map of what the map shows now: its extent, the visible layers, gap or travel-time map.
  ImGui::Checkbox(tr_id("Landscape").c_str(), &export_landscape);
  ImGui::SameLine();
  ImGui::BeginDisabled(!can);
  if (ImGui::Button(tr_id("Export map of the view").c_str())) start_view_export(h);
  ImGui::EndDisabled();
  if (export_task) {
    ImGui::ProgressBar(std::max(0.05f, export_task->progress()), ImVec2(-90, 0),
                       export_task->stage().c_str());
    record(tr("Exporting…"));
    ImGui::SameLine();
    if (ImGui::Button(tr_id("Cancel").c_str())) export_task->cancel();
  } else if (!ready(h)) {
    ImGui::SameLine();
    text(tr("computing…"));
  }
  if (ready(h)) {
    const std::string sc = std::string(tr("Scenario")) + ": " + h.session.scenario_label(export_lang == 1);
    text(sc);
  }
  if (h.session.facility_edits() > 0) ImGui::TextDisabled("%s", tr("The export includes the what-if edits."));
  if (!export_msg.empty()) {
    record(export_msg);
    ImGui::PushTextWrapPos(0);
    if (export_ok)
      ImGui::TextUnformatted(export_msg.c_str());
    else
      ImGui::TextColored({0.8f, 0.1f, 0.1f, 1}, "%s", export_msg.c_str());
    ImGui::PopTextWrapPos();
  }
  ImGui::End();
}

}  // namespace kepumap::ui
