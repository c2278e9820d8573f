#pragma once
// What goes under a printed map of a view (`kepumap map`, the app's 导出当前视图地图): the
// project's visible basemaps, or with none the quiet land/water background, rendered through
// io::render_basemap / report::render_quiet_background at print resolution and added to the
// MapSpec (report does not read files itself). No GL here: the command line uses it too.
#include <atomic>
#include <string>
#include <vector>

#include "core/document.hpp"
#include "core/style.hpp"
#include "report/map_render.hpp"

namespace kepumap::ui {

/// Adds the backgrounds to `spec` for a page of width × height points at `dpi`: the quiet
/// land/water background when `quiet`, then each of `basemaps` that is visible at its opacity
/// (the app passes what its 底图 section shows, `kepumap map` the project's [[basemap]] entries
/// with the quiet background when there are none), each with its attribution in the sources
/// note. A basemap that fails is left out with one line in `warnings`; `doc` gives the CRS and
/// the project file basemap paths are relative to.
void add_print_backgrounds(report::MapSpec& spec, const core::Document& doc,
                           const std::vector<core::BasemapSpec>& basemaps, bool quiet,
                           const core::Style& style, double width_pt, double height_pt, double dpi,
                           std::vector<std::string>& warnings, const std::atomic<bool>* cancel = nullptr);

}  // namespace kepumap::ui
