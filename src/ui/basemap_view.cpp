#include "ui/basemap_view.hpp"

#include <glad/gl.h>

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <thread>

#include "io/basemap.hpp"
#include "report/background.hpp"
#include "ui/i18n.hpp"

namespace kepumap::ui {

namespace fs = std::filesystem;

namespace {

/// How much larger than the window an image is rendered (each side), so a pan shows no edge at once.
constexpr double k_margin = 0.25;
/// How long the view must rest before a new image is asked for.
constexpr double k_rest_s = 0.15;
constexpr const char* k_quiet_name = "quiet_background";

/// The image a view wants: the visible box grown by k_margin each side, at the view's scale.
struct Want {
  core::BBox extent;
  int width = 0, height = 0;
};

Want wanted(const render::View& v) {
  Want w;
  const core::BBox vis = v.visible();
  const double mx = vis.width() * k_margin, my = vis.height() * k_margin;
  w.extent.add(core::Vec2{vis.min_x - mx, vis.min_y - my});
  w.extent.add(core::Vec2{vis.max_x + mx, vis.max_y + my});
  w.width = std::clamp(static_cast<int>(std::lround(v.width_px * (1 + 2 * k_margin))), 1, 8192);
  w.height = std::clamp(static_cast<int>(std::lround(v.height_px * (1 + 2 * k_margin))), 1, 8192);
  return w;
}

/// True when an image of `extent` at `width` pixels serves view `v`: it covers the window and
/// its scale is the view's (within 2 %).
bool serves(const core::BBox& extent, int width, const render::View& v) {
  if (extent.empty() || width <= 0) return false;
  const core::BBox vis = v.visible();
  const double m_per_px = extent.width() / width;
  return std::abs(m_per_px / v.m_per_px - 1.0) < 0.02 && extent.min_x <= vis.min_x &&
         extent.max_x >= vis.max_x && extent.min_y <= vis.min_y && extent.max_y >= vis.max_y;
}

std::string signature(const core::Document& doc) {
  std::string s = doc.config.file.string() + "\n" + doc.analysis_crs + "\n";
  for (const auto& b : doc.config.basemaps)
    s += b.name + "\t" + b.source + "\t" + b.kind + "\t" + b.shift + "\t" + b.cache + "\t" + b.key + "\n";
  return s;
}

}  // namespace

struct BasemapView::Entry {
  /// Unique over the run: a task's completion finds its entry by it (never a reused address).
  std::uint64_t id = next_id();
  static std::uint64_t next_id() {
    static std::uint64_t n = 0;
    return ++n;
  }
  core::BasemapSpec spec;
  bool quiet = false;  // the land/water background, not a [[basemap]]
  bool from_project = false;
  std::shared_ptr<io::Basemap> handle;
  bool opening = false;
  bool failed = false;  // its error is in the log; not tried again until switched on again
  std::string error;
  std::shared_ptr<session::TaskState> job;
  core::BBox job_extent;
  int job_width = 0;
  io::BasemapRender result;  // finished, waiting to be uploaded
  bool has_result = false;
  GLuint tex = 0;
  core::BBox tex_extent;
  int tex_width = 0;
};

BasemapView::BasemapView() = default;
BasemapView::~BasemapView() = default;

void BasemapView::release_gl() {
  for (auto& e : m_entries)
    if (e->tex) {
      glDeleteTextures(1, &e->tex);
      e->tex = 0;
    }
  m_quad.release();
  if (m_program) glDeleteProgram(m_program);
  if (m_grey) glDeleteTextures(1, &m_grey);
  m_program = m_grey = 0;
}

void BasemapView::sync(const BasemapHost& host) {
  const std::string sig = signature(host.doc);
  if (sig == m_signature) return;
  m_signature = sig;
  for (auto& e : m_entries) {
    if (e->job) e->job->cancel();
    if (e->tex) glDeleteTextures(1, &e->tex);
  }
  m_entries.clear();
  m_quiet.reset();
  m_quiet_error.clear();
  m_quiet_loading = false;
  if (host.doc.analysis_crs.empty()) return;  // no project: nothing to draw under
  for (const auto& b : host.doc.config.basemaps) {
    auto e = std::make_unique<Entry>();
    e->spec = b;
    e->from_project = true;
    m_entries.push_back(std::move(e));
  }
  if (m_entries.empty()) {
    auto e = std::make_unique<Entry>();
    e->spec.name = k_quiet_name;
    e->spec.attribution = "GSHHG/WDBII (c) The GMT Team, LGPL-3.0-or-later";
    e->quiet = true;
    m_entries.push_back(std::move(e));
  }
}

bool BasemapView::settled(const BasemapHost& host) const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - m_view_changed).count() >=
             k_rest_s ||
         host.view.width_px <= 0;
}

void BasemapView::schedule(const BasemapHost& host, bool now) {
  const render::View& v = host.view;
  if (v.center.x != m_last_view.center.x || v.center.y != m_last_view.center.y ||
      v.m_per_px != m_last_view.m_per_px || v.width_px != m_last_view.width_px ||
      v.height_px != m_last_view.height_px) {
    m_last_view = v;
    m_view_changed = std::chrono::steady_clock::now();
  }
  const std::string crs = host.doc.analysis_crs;
  const fs::path project = host.doc.config.file;
  for (auto& ep : m_entries) {
    Entry& e = *ep;
    if (e.has_result) upload(e);
    if (!e.spec.visible || e.failed) continue;
    // open first (the quiet background: read its layers once)
    if (e.quiet && !m_quiet) {
      if (!m_quiet_loading && m_quiet_error.empty()) {
        m_quiet_loading = true;
        host.tasks.run<std::shared_ptr<io::BackgroundLayers>>(
            std::string(tr("Basemap")) + " " + tr("Land and water (quiet background)"),
            [crs](session::TaskState&) {
              auto layers = std::make_shared<io::BackgroundLayers>();
              std::string error;
              if (!io::load_background(io::default_background_file(), crs, *layers, error)) {
                layers->attribution = "\n" + error;  // a failure, told by the completion
                layers->lakes.name = "failed";
              }
              return layers;
            },
            [this, &log = host.log](std::shared_ptr<io::BackgroundLayers>& r) {
              m_quiet_loading = false;
              if (r->lakes.name == "failed") {
                m_quiet_error = r->attribution.substr(1);
                log.push_back(std::string(tr("Background")) + ": " + m_quiet_error);
                for (auto& q : m_entries)
                  if (q->quiet) q->failed = true;
              } else {
                m_quiet = r;
              }
            });
      }
      continue;
    }
    if (!e.quiet && !e.handle) {
      if (!e.opening) {
        e.opening = true;
        const core::BasemapSpec spec = e.spec;
        io::BasemapOptions opts;
        opts.allow_network_files = host.doc.config.limits.allow_network_sources;
        const std::uint64_t id = e.id;
        host.tasks.run<io::BasemapOpen>(
            std::string(tr("Basemap")) + " " + (spec.title.empty() ? spec.name : spec.title),
            [spec, project, opts](session::TaskState&) { return io::open_basemap(spec, project, opts); },
            [this, id, &log = host.log](io::BasemapOpen& r) {
              Entry* raw = find_entry(id);
              if (!raw) return;
              raw->opening = false;
              if (!r.handle) {
                raw->failed = true;
                raw->error = r.error;
                log.push_back(r.error);
              } else {
                raw->handle = r.handle;
              }
            });
      }
      continue;
    }
    if (serves(e.tex_extent, e.tex_width, v)) continue;
    if (e.job) {
      // a render for another view is of no use: stop it (its completion clears `job`)
      if (!e.job->cancelled() && !serves(e.job_extent, e.job_width, v)) e.job->cancel();
      continue;
    }
    if (!now && e.tex && !settled(host)) continue;  // debounce: the old image is moved meanwhile
    const Want w = wanted(v);
    e.job_extent = w.extent;
    e.job_width = w.width;
    const std::uint64_t id = e.id;
    auto finish = [this, id, &log = host.log](io::BasemapRender& r) {
      Entry* raw = find_entry(id);
      if (!raw) return;
      raw->job.reset();
      if (r.cancelled) return;
      if (!r.error.empty()) {
        raw->failed = true;
        raw->error = r.error;
        log.push_back(r.error);
        return;
      }
      raw->result = std::move(r);
      raw->has_result = true;
      upload(*raw);
    };
    if (e.quiet) {
      auto layers = m_quiet;
      const core::Style style = host.style;
      e.job = host.tasks.run<io::BasemapRender>(
          std::string(tr("Basemap")) + " " + tr("Land and water (quiet background)"),
          [layers, style, w](session::TaskState& st) {
            io::BasemapRender r;
            r.image = report::render_quiet_background({&layers->lakes, &layers->rivers, &layers->borders},
                                                      style, w.extent, w.width, w.height);
            r.cancelled = st.cancelled();
            return r;
          },
          finish);
    } else {
      auto handle = e.handle;
      e.job = host.tasks.run<io::BasemapRender>(
          std::string(tr("Basemap")) + " " + (e.spec.title.empty() ? e.spec.name : e.spec.title),
          [handle, crs, w](session::TaskState& st) {
            return io::render_basemap(*handle, w.extent, crs, w.width, w.height, st.cancel_flag());
          },
          finish);
    }
  }
}

BasemapView::Entry* BasemapView::find_entry(std::uint64_t id) {
  for (auto& e : m_entries)
    if (e->id == id) return e.get();
  return nullptr;
}

void BasemapView::upload(Entry& e) {
  e.has_result = false;
  const core::ImageRgba& im = e.result.image;
  if (im.empty()) return;
  if (e.tex == 0) glGenTextures(1, &e.tex);
  glBindTexture(GL_TEXTURE_2D, e.tex);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, im.width, im.height, 0, GL_RGBA, GL_UNSIGNED_BYTE,
               im.pixels.data());
  e.tex_extent = im.extent;
  e.tex_width = im.width;
  e.result = {};
}

void BasemapView::frame(const BasemapHost& host) {
  sync(host);
  schedule(host, false);
  // the attribution, at the bottom right of the map area (above the status bar, left of the
  // right column)
  std::string text;
  for (const auto& e : m_entries) {
    if (!e->spec.visible || e->failed) continue;
    const std::string a = e->quiet ? e->spec.attribution : io::basemap_attribution(e->spec);
    if (!a.empty() && text.find(a) == std::string::npos) text += (text.empty() ? "" : " · ") + a;
  }
  if (!text.empty()) {
    record(text);
    const ImVec2 disp = ImGui::GetIO().DisplaySize;
    const float size = ImGui::GetFontSize() * 0.8f;
    const ImVec2 ts = ImGui::GetFont()->CalcTextSizeA(size, 1e9f, 0, text.c_str());
    const float status_h = ImGui::GetFrameHeight() + 6;
    const PanelRect& m = host.map_area;
    const bool known = m.w > 0 && m.h > 0;  // before the first laid-out frame: the window's corner
    ImVec2 at{(known ? m.right() : disp.x) - ts.x - 8, (known ? m.bottom() : disp.y - status_h) - ts.y - 4};
    // left of any panel still over that corner (one moved by hand); when no place is left on
    // the bottom row, over the panels
    ImDrawList* dl = ImGui::GetBackgroundDrawList();
    for (bool moved = true; moved;) {
      moved = false;
      for (const core::BBox& p : host.panel_rects)
        if (at.x - 4 < p.max_x && at.x + ts.x + 4 > p.min_x && at.y - 1 < p.max_y &&
            at.y + ts.y + 1 > p.min_y) {
          at.x = static_cast<float>(p.min_x) - ts.x - 8;
          moved = true;
        }
      if (at.x < 4) {
        at.x = disp.x - ts.x - 8;
        dl = ImGui::GetForegroundDrawList();
        break;
      }
    }
    dl->AddRectFilled({at.x - 4, at.y - 1}, {at.x + ts.x + 4, at.y + ts.y + 1}, IM_COL32(255, 255, 255, 170));
    dl->AddText(ImGui::GetFont(), size, at, IM_COL32(60, 60, 60, 255), text.c_str());
    host.panel_rects.push_back(core::BBox{at.x - 4, at.y - 1, at.x + ts.x + 4, at.y + ts.y + 1});
    host.panel_names.push_back("attribution");
  }
  if (m_show_add) {
    ImGui::SetNextWindowSize({520, 0}, ImGuiCond_FirstUseEver);
    if (ImGui::Begin(tr_id("Add basemap").c_str(), &m_show_add)) {
      ImGui::TextWrapped("%s", tr("A raster file (GeoTIFF, MBTiles, GeoPackage), a tile URL with "
                                  "{z}/{x}/{y}, or a WMS/WMTS connection"));
      ImGui::InputText("##basemap_source", m_add_source, sizeof m_add_source);
      if (ImGui::Button(tr_id("Add").c_str())) {
        std::string err;
        add(host, m_add_source, "", err);
        m_add_error = err;
        if (err.empty()) m_show_add = false;
      }
      ImGui::SameLine();
      if (ImGui::Button(tr_id("Cancel").c_str())) m_show_add = false;
      if (!m_add_error.empty()) ImGui::TextColored({0.75f, 0.1f, 0.1f, 1}, "%s", m_add_error.c_str());
    }
    ImGui::End();
  }
}

void BasemapView::layers_section(const BasemapHost& host) {
  if (host.doc.analysis_crs.empty()) return;
  if (!ImGui::CollapsingHeader(tr_id("Basemap").c_str(), ImGuiTreeNodeFlags_DefaultOpen)) return;
  for (std::size_t i = 0; i < m_entries.size(); ++i) {
    Entry& e = *m_entries[i];
    ImGui::PushID(static_cast<int>(i) + 100000);
    const std::string shown = e.quiet ? tr("Land and water (quiet background)")
                                      : (e.spec.title.empty() ? e.spec.name : e.spec.title);
    record(shown);
    bool vis = e.spec.visible;
    if (ImGui::Checkbox(shown.c_str(), &vis)) {
      e.spec.visible = vis;
      if (vis && e.failed) {  // switched on again: tried again
        e.failed = false;
        e.error.clear();
        if (e.quiet) m_quiet_error.clear();
      }
    }
    float op = static_cast<float>(e.spec.opacity);
    if (ImGui::SliderFloat(tr_id("Opacity").c_str(), &op, 0.0f, 1.0f, "%.2f")) e.spec.opacity = op;
    if (e.failed) ImGui::TextColored({0.75f, 0.1f, 0.1f, 1}, "%s", tr("failed (see the log)"));
    ImGui::PopID();
  }
  if (ImGui::Button(tr_id("Add basemap...").c_str())) {
    m_show_add = true;
    m_add_error.clear();
  }
}

void BasemapView::add(const BasemapHost& host, const std::string& source_in, const std::string& name,
                      std::string& error) {
  std::string source = source_in;
  while (!source.empty() && (source.back() == ' ' || source.back() == '\n')) source.pop_back();
  if (source.empty()) {
    error = tr("Give a file path or a tile URL");
    return;
  }
  if (host.doc.analysis_crs.empty()) {
    error = tr("Open a project first");
    return;
  }
  core::BasemapSpec b;
  b.source = source;
  // a local path typed in the app is relative to where the app runs: kept absolute
  if (source.find("://") == std::string::npos && source.front() != '<' && source.rfind("WMS:", 0) != 0 &&
      source.rfind("WMTS:", 0) != 0) {
    std::error_code ec;
    b.source = fs::absolute(fs::path(source), ec).lexically_normal().string();
  }
  std::string base = name;
  if (base.empty()) {
    const std::string kind = io::basemap_kind(b);
    base = kind == "file" ? fs::path(b.source).stem().string() : "basemap";
    if (base.empty()) base = "basemap";
  }
  b.name = base;
  for (int k = 2;
       std::any_of(m_entries.begin(), m_entries.end(), [&](const auto& e) { return e->spec.name == b.name; });
       ++k)
    b.name = base + "_" + std::to_string(k);
  // the same checks as a [[basemap]] entry in project.toml
  if (io::basemap_kind(b) == "xyz")
    for (const char* part : {"{z}", "{x}", "{y}"})
      if (b.source.find(part) == std::string::npos) {
        error = std::string(tr("The tile URL lacks")) + " " + part;
        return;
      }
  // the quiet background gives way to the first basemap
  m_entries.erase(std::remove_if(m_entries.begin(), m_entries.end(),
                                 [](const auto& e) {
                                   if (!e->quiet) return false;
                                   if (e->tex) glDeleteTextures(1, &e->tex);
                                   if (e->job) e->job->cancel();
                                   return true;
                                 }),
                  m_entries.end());
  auto e = std::make_unique<Entry>();
  e->spec = b;
  m_entries.push_back(std::move(e));
}

std::uint64_t BasemapView::look() const {
  std::uint64_t h = 1469598103934665603ull;
  auto mix = [&](double v) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &v, sizeof bits);
    h = (h ^ bits) * 1099511628211ull;
  };
  for (const auto& ep : m_entries) {
    const Entry& e = *ep;
    for (double v : {static_cast<double>(e.tex), e.tex_extent.min_x, e.tex_extent.min_y, e.tex_extent.max_x,
                     e.tex_extent.max_y, e.failed ? 1.0 : 0.0, e.spec.visible ? 1.0 : 0.0, e.spec.opacity})
      mix(v);
  }
  return h;
}

void BasemapView::draw_gl(const render::View& view) {
  if (m_program == 0) {
    std::string err;
    m_program = render::link_program("basemap.vert", "basemap.frag", err);
    if (!m_program) return;
    m_u_opacity = glGetUniformLocation(m_program, "u_opacity");
    m_u_tex = glGetUniformLocation(m_program, "u_tex");
    m_quad.init();
    // a 1 x 1 grey texture for a basemap that failed
    const unsigned char px[4] = {200, 200, 200, 255};
    glGenTextures(1, &m_grey);
    glBindTexture(GL_TEXTURE_2D, m_grey);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, 1, 1, 0, GL_RGBA, GL_UNSIGNED_BYTE, px);
  }
  glEnable(GL_BLEND);
  glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
  glUseProgram(m_program);
  glUniform1i(m_u_tex, 0);
  glActiveTexture(GL_TEXTURE0);
  for (const auto& ep : m_entries) {
    const Entry& e = *ep;
    if (!e.spec.visible || e.spec.opacity <= 0) continue;
    float x0 = -1, y0 = -1, x1 = 1, y1 = 1;
    GLuint tex = 0;
    if (e.failed) {
      tex = m_grey;
    } else if (e.tex) {
      const core::Vec2 a = view.to_screen({e.tex_extent.min_x, e.tex_extent.max_y});
      const core::Vec2 b = view.to_screen({e.tex_extent.max_x, e.tex_extent.min_y});
      x0 = static_cast<float>(a.x / view.width_px * 2 - 1);
      x1 = static_cast<float>(b.x / view.width_px * 2 - 1);
      y0 = static_cast<float>(1 - b.y / view.height_px * 2);
      y1 = static_cast<float>(1 - a.y / view.height_px * 2);
      tex = e.tex;
    } else {
      continue;
    }
    // x, y, u, v for a strip: bottom-left, bottom-right, top-left, top-right (row 0 = north = v 0)
    const float quad[16] = {x0, y0, 0, 1, x1, y0, 1, 1, x0, y1, 0, 0, x1, y1, 1, 0};
    glBindTexture(GL_TEXTURE_2D, tex);
    glUniform1f(m_u_opacity, static_cast<float>(e.spec.opacity));
    m_quad.draw(quad);
  }
  glUseProgram(0);
}

bool BasemapView::script(const BasemapHost& host, const std::vector<std::string>& args, std::string& error) {
  if (args.empty()) {
    error = "basemap: give add, show, hide, opacity or wait";
    return false;
  }
  sync(host);
  const std::string& cmd = args[0];
  auto find = [&](const std::string& name) -> Entry* {
    for (auto& e : m_entries)
      if (e->spec.name == name) return e.get();
    error = "basemap: no basemap named '" + name + "'";
    return nullptr;
  };
  if (cmd == "add" && args.size() >= 2) {
    add(host, args[1], args.size() > 2 ? args[2] : std::string(), error);
    return error.empty();
  }
  if ((cmd == "show" || cmd == "hide") && args.size() == 2) {
    Entry* e = find(args[1]);
    if (!e) return false;
    e->spec.visible = cmd == "show";
    return true;
  }
  if (cmd == "opacity" && args.size() == 3) {
    Entry* e = find(args[1]);
    if (!e) return false;
    const double v = std::strtod(args[2].c_str(), nullptr);
    if (!(v >= 0 && v <= 1)) {
      error = "basemap opacity: give a number from 0 to 1";
      return false;
    }
    e->spec.opacity = v;
    return true;
  }
  if (cmd == "wait" && args.size() == 1) {
    // until every visible basemap has an image for this view, or has failed
    for (;;) {
      host.tasks.poll();
      schedule(host, true);
      bool busy = m_quiet_loading;
      for (const auto& e : m_entries)
        if (e->spec.visible && !e->failed &&
            (e->opening || e->job || !serves(e->tex_extent, e->tex_width, host.view)))
          busy = true;
      if (!busy) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  error =
      "basemap: unknown command or wrong arguments (add SOURCE [NAME], show NAME, hide NAME, opacity NAME V, "
      "wait)";
  return false;
}

std::vector<core::BasemapSpec> BasemapView::specs() const {
  std::vector<core::BasemapSpec> out;
  for (const auto& e : m_entries)
    if (!e->quiet) out.push_back(e->spec);
  return out;
}

bool BasemapView::quiet_shown() const {
  return std::any_of(m_entries.begin(), m_entries.end(),
                     [](const auto& e) { return e->quiet && e->spec.visible && e->spec.opacity > 0; });
}

bool BasemapView::dirty(const core::Document& doc) const {
  const auto now = specs();
  if (now.size() != doc.config.basemaps.size()) return !m_entries.empty() || !doc.config.basemaps.empty();
  for (std::size_t i = 0; i < now.size(); ++i) {
    const auto& a = now[i];
    const auto& b = doc.config.basemaps[i];
    if (a.name != b.name || a.visible != b.visible || a.opacity != b.opacity) return true;
  }
  return false;
}

std::vector<std::string> BasemapView::glyph_texts() const {
  std::vector<std::string> out;
  for (const auto& e : m_entries) {
    out.push_back(e->spec.name);
    out.push_back(e->spec.title);
    out.push_back(e->quiet ? e->spec.attribution : io::basemap_attribution(e->spec));
    out.push_back(e->error);
  }
  out.push_back(m_add_error);
  out.push_back(m_add_source);
  return out;
}

}  // namespace kepumap::ui
