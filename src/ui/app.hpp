#pragma once
// The desktop app: a GLFW window with the map (render::MapRenderer) and ImGui panels (layers,
// inspector, legend, status bar), driven by the mouse or by a test script.
#include <string>

namespace kepumap::ui {

struct AppOptions {
  std::string project;       ///< project.toml to open; empty = an empty map
  std::string screenshot;    ///< write the framebuffer here (PNG) after the frames, then quit
  int frames = 0;            ///< with screenshot/dump_state: frames to render before quitting
  std::string script;        ///< test script (see ui/script.hpp)
  std::string dump_state;    ///< write view, selection and visible UI strings as JSON on quit
  int bench_pan_frames = 0;  ///< > 0: move the map for this many frames, print frame times
  /// what the benchmark frames do: "pan" (a circle of 300 px), "zoom" (in and out by 3 % a
  /// frame about the centre) or "drag" (the first facility of the first fixed set around a
  /// circle of 20 km, through the what-if session, the map still)
  std::string bench_mode = "pan";
  /// false: ImGui draws the panels into the window every frame (tests compare with the cache)
  bool panel_cache = true;
  bool use_settings = false;  ///< scripted runs read and write the remembered settings too
  bool live_input = false;    ///< scripted runs still take the mouse (tests driving it with xdotool)
  int width = 0;              ///< window size override (pixels); 0 = remembered or default
  int height = 0;
};

/// Exit code meaning "no display": the caller runs the headless output instead.
inline constexpr int k_no_display = 99;

/// Runs the app until the window closes (or the frames are done). Returns 0, 2 on bad input
/// (problems printed one per line on stderr), or k_no_display when no window can be opened.
int run_app(const AppOptions& options);

}  // namespace kepumap::ui
