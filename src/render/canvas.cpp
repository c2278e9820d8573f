#include "render/canvas.hpp"

#include <glad/gl.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <utility>

#include "render/gl_program.hpp"

namespace kepumap::render {

namespace {

/// GL rows [y0, y1) of band `b` of Canvas::k_over_parts in an image `h` rows high (GL rows
/// count from the bottom: band b is window rows [h b / parts, h (b + 1) / parts)); b < 0: all.
void band_rows(int h, int b, int& y0, int& y1) {
  y0 = b < 0 ? 0 : h - h * (b + 1) / Canvas::k_over_parts;
  y1 = b < 0 ? h : h - h * b / Canvas::k_over_parts;
}

bool same_scale(const View& a, const View& b) { return std::abs(std::log(a.m_per_px / b.m_per_px)) < 1e-9; }

}  // namespace

Canvas::Canvas() = default;

Canvas::~Canvas() {
  for (Target* t : {&m_front, &m_back})
    for (auto [fbo, tex] : {std::pair{&t->fbo, &t->tex}, std::pair{&t->over_fbo, &t->over_tex}}) {
      if (*fbo) glDeleteFramebuffers(1, fbo);
      if (*tex) glDeleteTextures(1, tex);
    }
  if (m_program) glDeleteProgram(m_program);
}

bool Canvas::init(std::string& error) {
  m_program = link_program("canvas.vert", "canvas.frag", error);
  if (!m_program) return false;
  m_quad.init();
  return true;
}

void Canvas::ensure_size(Target& t, int w, int h) {
  if (t.fbo && t.w == w && t.h == h) return;
  for (auto [fbo, tex] : {std::pair{&t.fbo, &t.tex}, std::pair{&t.over_fbo, &t.over_tex}}) {
    if (!*fbo) {
      glGenFramebuffers(1, fbo);
      glGenTextures(1, tex);
    }
    glBindTexture(GL_TEXTURE_2D, *tex);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glBindFramebuffer(GL_FRAMEBUFFER, *fbo);
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, *tex, 0);
  }
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
  t.w = w;
  t.h = h;
  t.valid = false;
}

void Canvas::draw_over(Target& t, std::uint64_t over_content,
                       const std::function<void(const View&, int)>& over, int part) {
  // the band's rows of the layers' image copied into the image shown (the same format: a copy
  // of memory), then what is over them drawn on it
  int y0 = 0, y1 = 0;
  band_rows(t.h, part, y0, y1);
  glBindFramebuffer(GL_READ_FRAMEBUFFER, t.fbo);
  glBindFramebuffer(GL_DRAW_FRAMEBUFFER, t.over_fbo);
  glBlitFramebuffer(0, y0, t.w, y1, 0, y0, t.w, y1, GL_COLOR_BUFFER_BIT, GL_NEAREST);
  glBindFramebuffer(GL_FRAMEBUFFER, t.over_fbo);
  glViewport(0, 0, t.w, t.h);
  if (over) over(t.view, part);
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
  t.over_content = over_content;
}

bool Canvas::covers(const View& image, const View& view, double keep_px) const {
  // the window's map box, grown by keep_px of the image's pixels, inside the image's box
  core::BBox in = image.visible(), want = view.visible();
  double k = keep_px * image.m_per_px;
  return want.min_x - k >= in.min_x && want.max_x + k <= in.max_x && want.min_y - k >= in.min_y &&
         want.max_y + k <= in.max_y;
}

void Canvas::start(MapRenderer& r, const View& view, const std::vector<std::size_t>& order,
                   const std::vector<LayerVisibility>& vis, std::uint64_t content, core::Rgba background,
                   const std::function<void(const View&)>& underlay) {
  GLint max_size = 4096;
  glGetIntegerv(GL_MAX_TEXTURE_SIZE, &max_size);
  const int mx = static_cast<int>(std::lround(k_margin * view.width_px));
  const int my = static_cast<int>(std::lround(k_margin * view.height_px));
  const int w = std::min<int>(view.width_px + 2 * mx, max_size),
            h = std::min<int>(view.height_px + 2 * my, max_size);
  ensure_size(m_back, w, h);
  m_back.view = view;
  m_back.view.width_px = w;
  m_back.view.height_px = h;
  // ahead of a pan (as web maps fetch the tiles the way the map moves): the image moved by
  // whole pixels the way the view went since the last frame, as far as it goes in
  // k_lead_frames, the window kept `keep` pixels inside it; a pan then crosses the image's
  // whole margin before the next one starts, not half of it
  if (m_has_last && same_scale(m_last_view, view)) {
    const double keep = 0.5 * k_margin * std::min(view.width_px, view.height_px);
    const double vx = (view.center.x - m_last_view.center.x) / view.m_per_px,
                 vy = (view.center.y - m_last_view.center.y) / view.m_per_px;
    // (a pixel short of it: the half-pixel grid shift below must not put the view outside)
    const double ax = std::max(0.0, std::floor(mx - keep) - 1), ay = std::max(0.0, std::floor(my - keep) - 1);
    const double lx = std::clamp(std::round(vx * k_lead_frames), -ax, ax),
                 ly = std::clamp(std::round(vy * k_lead_frames), -ay, ay);
    m_back.view.center.x += lx * view.m_per_px;
    m_back.view.center.y += ly * view.m_per_px;
  }
  // the same pixel grid as the window: the image's centre pixel edge sits on the window's
  if ((w - view.width_px) % 2 != 0) m_back.view.center.x += 0.5 * view.m_per_px;
  if ((h - view.height_px) % 2 != 0) m_back.view.center.y -= 0.5 * view.m_per_px;
  m_back.content = content;
  m_back.valid = false;
  // the background and basemaps are drawn in bands, a frame each (see update)
  m_background = background;
  m_underlay = underlay;
  m_under_part = 0;
  m_over_part = 0;
  m_steps = r.plan(m_back.view, order, vis, 1u << 13);
  m_vis = vis;
  m_next = 0;
  m_back_busy = true;
}

void Canvas::update(MapRenderer& r, const View& view, const std::vector<std::size_t>& order,
                    const std::vector<LayerVisibility>& vis, std::uint64_t content, double budget_ms,
                    core::Rgba background, const std::function<void(const View&)>& underlay,
                    std::uint64_t over_content, const std::function<void(const View&, int)>& over) {
  m_last_work = "";
  m_last_steps = 0;
  m_last_estimate_ms = 0;
  const double keep = 0.5 * k_margin * std::min(view.width_px, view.height_px);
  const bool front_ok = m_front.valid && m_front.content == content && same_scale(m_front.view, view) &&
                        covers(m_front.view, view, keep);
  if (!front_ok) {
    // the render under way is kept when it will show this view: same layers, the window inside
    // it, a scale within a factor 2.5 (zooming on: it is finished and shown scaled, then the
    // next one starts; a render takes a score of frames, and restarting it on every step of a
    // continuous zoom would show no new image until the zoom stops)
    const bool back_ok = m_back_busy && m_back.content == content &&
                         std::abs(std::log(m_back.view.m_per_px / view.m_per_px)) < std::log(2.5) &&
                         covers(m_back.view, view, 0);
    if (!back_ok) {
      start(r, view, order, vis, content, background, underlay);
      m_last_work = "start";
    }
  }
  // what is over the layers changed: the image on screen gets it now
  if (m_front.valid && m_front.over_content != over_content) draw_over(m_front, over_content, over, -1);
  m_last_view = view;
  m_has_last = true;
  if (!m_back_busy) return;
  // the background and the basemaps, band by band (clearing and drawing a whole image of four
  // megapixels at once took more than a frame)
  while (m_under_part < k_over_parts) {
    int y0 = 0, y1 = 0;
    band_rows(m_back.h, m_under_part++, y0, y1);
    glBindFramebuffer(GL_FRAMEBUFFER, m_back.fbo);
    glViewport(0, 0, m_back.w, m_back.h);
    glEnable(GL_SCISSOR_TEST);
    glScissor(0, y0, m_back.w, y1 - y0);
    glClearColor(m_background.r, m_background.g, m_background.b, 1);
    glClear(GL_COLOR_BUFFER_BIT);
    if (m_underlay) m_underlay(m_back.view);
    glDisable(GL_SCISSOR_TEST);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    if (m_last_work[0] == 0) m_last_work = "under";
    if (budget_ms >= 0) return;
  }
  using clock = std::chrono::steady_clock;
  if (m_next < m_steps.size()) {
    const auto t0 = clock::now();
    glBindFramebuffer(GL_FRAMEBUFFER, m_back.fbo);
    r.begin(m_back.view);
    double cost = 0;
    while (m_next < m_steps.size()) {  // at least one step a frame, then as the budget allows
      const DrawStep& s = m_steps[m_next++];
      r.draw_step(m_back.view, s, m_vis);
      cost += s.cost;
      ++m_last_steps;
      if (!(m_next < m_steps.size() &&
            (budget_ms < 0 || (cost + m_steps[m_next].cost) * m_ms_per_cost <= budget_ms)))
        break;
    }
    m_last_work = "steps";
    m_last_estimate_ms = cost * m_ms_per_cost;
    if (budget_ms >= 0) {
      // learn what a unit of cost takes here (vertex work in this thread, pixels in the driver's)
      glFinish();
      const double ms = std::chrono::duration<double, std::milli>(clock::now() - t0).count();
      if (cost > 0) m_ms_per_cost = std::clamp(0.6 * m_ms_per_cost + 0.4 * ms / cost, 1e-7, 1e-2);
    }
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    if (m_next < m_steps.size() || budget_ms >= 0) return;  // the over image in frames of its own
  }
  // the over image: each part in a frame of its own, or all at once (again from the first
  // when what it shows changed in between)
  if (m_over_part > 0 && m_back.over_content != over_content) m_over_part = 0;
  draw_over(m_back, over_content, over, budget_ms < 0 ? -1 : m_over_part);
  m_last_work = "over";
  if (budget_ms >= 0 && ++m_over_part < k_over_parts) return;
  m_last_work = "swap";
  m_back.valid = true;
  std::swap(m_front, m_back);
  m_back_busy = false;
  m_steps.clear();
  ++m_serial;
  ++m_finished;
}

void Canvas::draw(const View& view) const {
  if (!m_front.valid || view.width_px <= 0 || view.height_px <= 0) return;
  const core::BBox box = m_front.view.visible();
  const core::Vec2 a = view.to_screen({box.min_x, box.min_y}), b = view.to_screen({box.max_x, box.max_y});
  auto nx = [&](double px) { return static_cast<float>(px / view.width_px * 2 - 1); };
  auto ny = [&](double py) { return static_cast<float>(1 - py / view.height_px * 2); };
  const float quad[16] = {nx(a.x), ny(a.y), 0, 0, nx(b.x), ny(a.y), 1, 0,
                          nx(a.x), ny(b.y), 0, 1, nx(b.x), ny(b.y), 1, 1};
  glViewport(0, 0, view.width_px, view.height_px);
  glDisable(GL_BLEND);  // opaque: the background and the basemaps are in it
  glUseProgram(m_program);
  glUniform1i(glGetUniformLocation(m_program, "u_image"), 0);
  // pixel for pixel at the image's scale (crisp), smoothed when zooming shows it scaled
  const GLint filter = same_scale(m_front.view, view) ? GL_NEAREST : GL_LINEAR;
  glActiveTexture(GL_TEXTURE0);
  glBindTexture(GL_TEXTURE_2D, m_front.over_tex);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, filter);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, filter);
  m_quad.draw(quad);
  glUseProgram(0);
  glEnable(GL_BLEND);
}

}  // namespace kepumap::render
