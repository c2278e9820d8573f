#include "ui/ui_cache.hpp"

#include <glad/gl.h>

#include <imgui.h>
#include <imgui_impl_opengl3.h>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace kepumap::ui {

namespace {

/// 64-bit hash of a byte range, 8 bytes at a time (a multiply-xorshift mix; collisions would
/// only leave a stale panel until its next change).
std::uint64_t hash_bytes(std::uint64_t h, const void* data, std::size_t n) {
  const auto* p = static_cast<const unsigned char*>(data);
  auto mix = [&](std::uint64_t v) {
    h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    h *= 0xff51afd7ed558ccdull;
  };
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t v;
    std::memcpy(&v, p + i, 8);
    mix(v);
  }
  std::uint64_t tail = 0;
  std::memcpy(&tail, p + i, n - i);
  mix(tail ^ n);
  return h;
}

}  // namespace

UiCache::~UiCache() {
  if (m_fbo) glDeleteFramebuffers(1, &m_fbo);
  if (m_tex) glDeleteTextures(1, &m_tex);
  if (m_program) glDeleteProgram(m_program);
}

bool UiCache::init(std::string& error) {
  m_program = render::link_program("canvas.vert", "ui.frag", error);
  if (!m_program) return false;
  m_quad.init();
  return true;
}

void UiCache::update(ImDrawData* dd, int window_w, int window_h) {
  m_redrawn_px = 0;
  if (!dd || window_w <= 0 || window_h <= 0) return;
  bool all = false;
  if (!m_fbo || m_w != window_w || m_h != window_h) {
    if (!m_fbo) {
      glGenFramebuffers(1, &m_fbo);
      glGenTextures(1, &m_tex);
    }
    glBindTexture(GL_TEXTURE_2D, m_tex);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, window_w, window_h, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glBindFramebuffer(GL_FRAMEBUFFER, m_fbo);
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, m_tex, 0);
    m_w = window_w;
    m_h = window_h;
    all = true;
  }
  // what each list is and where it draws
  std::vector<ListSeen> now(static_cast<std::size_t>(dd->CmdListsCount));
  for (int i = 0; i < dd->CmdListsCount; ++i) {
    const ImDrawList* l = dd->CmdLists[i];
    ListSeen& s = now[static_cast<std::size_t>(i)];
    std::uint64_t h = 1469598103934665603ull;
    h = hash_bytes(h, l->VtxBuffer.Data, static_cast<std::size_t>(l->VtxBuffer.Size) * sizeof(ImDrawVert));
    h = hash_bytes(h, l->IdxBuffer.Data, static_cast<std::size_t>(l->IdxBuffer.Size) * sizeof(ImDrawIdx));
    s.x0 = s.y0 = 1e9f;
    s.x1 = s.y1 = -1e9f;
    // where its triangles are (the map shows through everywhere else)
    s.vx0 = s.vy0 = 1e9f;
    s.vx1 = s.vy1 = -1e9f;
    for (const ImDrawVert& v : l->VtxBuffer) {
      s.vx0 = std::min(s.vx0, v.pos.x);
      s.vy0 = std::min(s.vy0, v.pos.y);
      s.vx1 = std::max(s.vx1, v.pos.x);
      s.vy1 = std::max(s.vy1, v.pos.y);
    }
    for (const ImDrawCmd& c : l->CmdBuffer) {
      h = hash_bytes(h, &c.ClipRect, sizeof c.ClipRect);
      const std::uint64_t rest[4] = {
          static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(c.TextureId)), c.VtxOffset, c.IdxOffset,
          c.ElemCount};
      h = hash_bytes(h, rest, sizeof rest);
      if (c.ElemCount == 0 || c.UserCallback) continue;
      s.x0 = std::min(s.x0, c.ClipRect.x);
      s.y0 = std::min(s.y0, c.ClipRect.y);
      s.x1 = std::max(s.x1, c.ClipRect.z);
      s.y1 = std::max(s.y1, c.ClipRect.w);
    }
    s.hash = h;
  }
  // the rectangle to draw again: where a changed list draws now and drew before
  float x0 = 1e9f, y0 = 1e9f, x1 = -1e9f, y1 = -1e9f;
  auto grow = [&](const ListSeen& s) {
    // the triangles' box inside the clip rectangles (a list's clip rectangle is often the window)
    const float a = std::max(s.x0, s.vx0 - 1), b = std::max(s.y0, s.vy0 - 1), c = std::min(s.x1, s.vx1 + 1),
                d = std::min(s.y1, s.vy1 + 1);
    if (c <= a || d <= b) return;
    x0 = std::min(x0, a);
    y0 = std::min(y0, b);
    x1 = std::max(x1, c);
    y1 = std::max(y1, d);
  };
  if (all || now.size() != m_seen.size()) {
    x0 = y0 = 0;
    x1 = static_cast<float>(m_w);
    y1 = static_cast<float>(m_h);
  } else {
    for (std::size_t i = 0; i < now.size(); ++i)
      if (now[i].hash != m_seen[i].hash) {
        grow(now[i]);
        grow(m_seen[i]);
      }
  }
  m_seen = std::move(now);
  // where the texture is drawn: the tiles of 32 pixels under the lists' triangles' boxes, as
  // runs along each row of tiles (disjoint, so no pixel is blended twice; the map shows through
  // everywhere else without being drawn over)
  m_rects.clear();
  {
    constexpr int k_tile = 32;
    const int tw = (m_w + k_tile - 1) / k_tile, th = (m_h + k_tile - 1) / k_tile;
    std::vector<unsigned char> used(static_cast<std::size_t>(tw) * static_cast<std::size_t>(th), 0);
    for (const ListSeen& s : m_seen) {
      if (s.vx1 <= s.vx0 || s.vy1 <= s.vy0) continue;
      const int c0 = std::clamp(static_cast<int>(std::floor(s.vx0 - 1)) / k_tile, 0, tw - 1),
                c1 = std::clamp(static_cast<int>(std::ceil(s.vx1 + 1)) / k_tile, 0, tw - 1),
                r0 = std::clamp(static_cast<int>(std::floor(s.vy0 - 1)) / k_tile, 0, th - 1),
                r1 = std::clamp(static_cast<int>(std::ceil(s.vy1 + 1)) / k_tile, 0, th - 1);
      for (int r = r0; r <= r1; ++r)
        for (int c = c0; c <= c1; ++c)
          used[static_cast<std::size_t>(r) * static_cast<std::size_t>(tw) + c] = 1;
    }
    for (int r = 0; r < th; ++r)
      for (int c = 0; c < tw;) {
        if (!used[static_cast<std::size_t>(r) * static_cast<std::size_t>(tw) + c]) {
          ++c;
          continue;
        }
        int e = c;
        while (e < tw && used[static_cast<std::size_t>(r) * static_cast<std::size_t>(tw) + e]) ++e;
        m_rects.push_back(Rect{static_cast<float>(c * k_tile), static_cast<float>(r * k_tile),
                               static_cast<float>(std::min(e * k_tile, m_w)),
                               static_cast<float>(std::min((r + 1) * k_tile, m_h))});
        c = e;
      }
  }
  x0 = std::max(0.0f, std::floor(x0));
  y0 = std::max(0.0f, std::floor(y0));
  x1 = std::min(static_cast<float>(m_w), std::ceil(x1));
  y1 = std::min(static_cast<float>(m_h), std::ceil(y1));
  if (x1 <= x0 || y1 <= y0) {
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    return;
  }
  m_redrawn_px = static_cast<std::int64_t>(x1 - x0) * static_cast<std::int64_t>(y1 - y0);
  // every list clipped to the rectangle, into it cleared
  for (int i = 0; i < dd->CmdListsCount; ++i)
    for (ImDrawCmd& c : dd->CmdLists[i]->CmdBuffer)
      c.ClipRect = ImVec4(std::max(c.ClipRect.x, x0), std::max(c.ClipRect.y, y0), std::min(c.ClipRect.z, x1),
                          std::min(c.ClipRect.w, y1));
  glBindFramebuffer(GL_FRAMEBUFFER, m_fbo);
  glViewport(0, 0, m_w, m_h);
  glEnable(GL_SCISSOR_TEST);
  glScissor(static_cast<GLint>(x0), static_cast<GLint>(static_cast<float>(m_h) - y1),
            static_cast<GLsizei>(x1 - x0), static_cast<GLsizei>(y1 - y0));
  glClearColor(0, 0, 0, 0);
  glClear(GL_COLOR_BUFFER_BIT);
  glDisable(GL_SCISSOR_TEST);
  ImGui_ImplOpenGL3_RenderDrawData(dd);
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
}

void UiCache::draw() const {
  if (!m_tex || !m_program) return;
  glViewport(0, 0, m_w, m_h);
  glEnable(GL_BLEND);
  glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA);  // premultiplied
  glUseProgram(m_program);
  glUniform1i(glGetUniformLocation(m_program, "u_ui"), 0);
  glActiveTexture(GL_TEXTURE0);
  glBindTexture(GL_TEXTURE_2D, m_tex);
  const float w = static_cast<float>(m_w), h = static_cast<float>(m_h);
  for (const Rect& r : m_rects) {
    // window pixels (top down) to clip space and to texture coordinates (row 0 at the bottom)
    const float x0 = r.x0 / w * 2 - 1, x1 = r.x1 / w * 2 - 1, y0 = 1 - r.y1 / h * 2, y1 = 1 - r.y0 / h * 2;
    const float u0 = r.x0 / w, u1 = r.x1 / w, v0 = 1 - r.y1 / h, v1 = 1 - r.y0 / h;
    const float quad[16] = {x0, y0, u0, v0, x1, y0, u1, v0, x0, y1, u0, v1, x1, y1, u1, v1};
    m_quad.draw(quad);
  }
  glUseProgram(0);
  glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
}

}  // namespace kepumap::ui
