#pragma once
// The app's test script language, one command per line ('#' starts a comment):
//   pan DX DY            drag the map by DX, DY screen pixels
//   zoom F [X Y]         zoom by factor F (> 1 in) about screen point X Y (default: centre)
//   select X Y [add]     click at screen point X Y (select the feature there, or clear); with
//                        "add" a Ctrl-click (added to the selection, or taken out)
//   select_feature LAYER N [add]  select feature N of LAYER and show it (as a click in the attribute
//                        table; "add": a Ctrl-click on the row)
//   select_rect X0 Y0 X1 Y1 [add]  a Shift-drag from X0 Y0 to X1 Y1 (Ctrl+Shift with "add")
//   zoom_selection       缩放到所选
//   table_filter [TEXT...]  the attribute table's filter, the rest of the line (none: no filter)
//   table_export FILE    export the table's selected rows (all shown rows when none) to FILE.csv|.xlsx
//   hover X Y            move the cursor to X Y (tooltip)
//   open_panel NAME      layers | inspector | legend | settings | table | log | scenarios [NAME|new]
//                        | layer_props LAYER
//   close_panel NAME
//   set_language en|zh
//   load_layer PATH ROLE [LAYER]  add a layer from a file (ROLE: a project role name; LAYER: the
//                        layer inside a multi-layer source such as a GeoPackage)
//   show LAYER / hide LAYER   layer visibility (layer name)
//   fit LAYER            fit the view to a layer (its name) or "all"
//   click X Y            a left click at screen point X Y (pressed one frame, released the next)
//   project CMD ARGS...  the 文件 menu (ui/app_project.cpp): new FOLDER, open FILE, save [FILE],
//                        close, quit, answer save|discard|cancel (the unsaved-changes prompt) or
//                        open (new project where a project.toml exists), dialog open|new|save_as
//   basemap CMD ARGS...  the basemaps (ui/basemap_view.hpp): add SOURCE [NAME] (添加底图), show NAME,
//                        hide NAME, opacity NAME VALUE, wait (until every visible one has its image
//                        for the view, or has failed)
//   key escape           the Escape key pressed for one frame (through ImGui's key state, as the real
//                        key): closes the open menu, popup, prompt or dialog
//   scenario_edit NAME [label TEXT] [offroad KMH|base] [speed CLASS KMH] [close CLASS] [open CLASS]
//                        [ice on|off|base]   creates or changes travel scenario NAME (the 出行情景
//                        window's 应用); scenario_edit NAME delete deletes it (both undoable edits);
//                        scenario_edit undo|redo as the window's 撤销
//   measure LON LAT      turn measuring on and add a point; measure_wait: until the travel time
//                        along the measured points is computed
//   wait N               let N frames pass
//   memory STEP          print "bench_memory STEP peak_mib=... rss_mib=..." on standard output: the
//                        process's peak and current resident memory (/proc/self/status VmHWM,
//                        VmRSS) so far (bench/bench_memory.sh)
//   screenshot PATH      write the framebuffer as PNG now
//   analysis CMD ARGS... the analysis panels (ui/panel_analysis.hpp): open|close coverage|targets|export,
//                        wait (for the evaluation), mode pan|move|add, drag FACILITY I DX_M DY_M,
//                        add FACILITY X Y, delete FACILITY I, standard FACILITY MINUTES, undo, redo,
//                        target ID (highlight its failing units), gap_map on|off, time_map on|off,
//                        export DIR [zh|en] [a4|a3]
//   siting CMD ARGS...   the siting panel (ui/panel_siting.hpp): open, close, run PROBLEM P [FACILITY]
//                        [CANDIDATE_LAYER|grid:METRES], wait (for the run), cancel, accept (adds the
//                        chosen sites to the what-if scenario as `analysis add` edits)
//   caravan CMD ARGS...  the caravan panel (ui/panel_caravan.hpp): open [calendar], close, set NAME VALUE
//                        (vehicles, day_from, day_to, drive_hours, service_hours, max_days,
//                        season_from, season_to), run, wait (for the plan), select TOUR,
//                        move STOP FROM_TOUR TO_TOUR (tour numbers as in the list)
#include <string>
#include <vector>

namespace kepumap::ui {

struct ScriptCommand {
  std::string verb;
  std::vector<std::string> args;
  int line = 0;
};

/// Parses a script; problems (unknown command, wrong argument count or type) are appended to
/// `errors` as "FILE:LINE: what" lines.
std::vector<ScriptCommand> parse_script(const std::string& text, const std::string& file,
                                        std::vector<std::string>& errors);

}  // namespace kepumap::ui
