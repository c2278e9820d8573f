// The frame benchmarks (--bench-pan/zoom/drag N, bench/bench_frames.sh): what each frame does to
// the view, and the report of the frame times printed when the run ends.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>

#include "ui/app_window.hpp"

namespace kepumap::ui {

double App::process_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) * 1e-6;
}

void App::print_bench(int fw, int fh) {
  std::vector<double> v(m_bench.frame_ms.begin() + 5, m_bench.frame_ms.end());  // skip warm-up frames
  std::sort(v.begin(), v.end());
  double median = v[v.size() / 2];
  double p99 = v[std::min(v.size() - 1,
                          static_cast<std::size_t>(std::ceil(0.99 * static_cast<double>(v.size()))) - 1)];
  std::printf(
      "bench_%s: frames=%zu size=%dx%d median_ms=%.2f p99_ms=%.2f max_ms=%.2f map_images=%d renderer=%s\n",
      m_opt.bench_mode.c_str(), v.size(), fw, fh, median, p99, v.back(),
      m_canvas ? m_canvas->renders_finished() : -1, reinterpret_cast<const char*>(glGetString(GL_RENDERER)));
  {
    // CPU time a frame took on all threads: the work itself, less dependent on what else runs
    std::vector<double> c(m_bench.cpu_ms.begin() + 5, m_bench.cpu_ms.end());
    std::sort(c.begin(), c.end());
    std::printf("bench_%s_cpu: median_ms=%.2f p99_ms=%.2f max_ms=%.2f\n", m_opt.bench_mode.c_str(),
                c[c.size() / 2],
                c[std::min(c.size() - 1,
                           static_cast<std::size_t>(std::ceil(0.99 * static_cast<double>(c.size()))) - 1)],
                c.back());
  }
  // each part's median and 99th percentile over the same frames
  std::printf("bench_%s_parts:", m_opt.bench_mode.c_str());
  const char* names[4] = {"ui", "map_image", "panels", "composite"};
  for (int k = 0; k < 4; ++k) {
    std::vector<double> p;
    for (std::size_t i = 5; i < m_bench.part_ms.size(); ++i) p.push_back(m_bench.part_ms[i][k]);
    std::sort(p.begin(), p.end());
    const std::size_t i99 =
        std::min(p.size() - 1, static_cast<std::size_t>(std::ceil(0.99 * static_cast<double>(p.size()))) - 1);
    std::printf(" %s=%.2f/%.2f", names[k], p[p.size() / 2], p[i99]);
  }
  std::printf("\n");
  // the frames by what the map image did in them: how many, their median and worst time
  std::printf("bench_%s_work:", m_opt.bench_mode.c_str());
  for (const char* kind : {"none", "start", "under", "steps", "over", "swap"}) {
    std::vector<double> t;
    for (std::size_t i = 5; i < m_bench.frame_ms.size(); ++i)
      if (std::strcmp(m_bench.work[i].what[0] ? m_bench.work[i].what : "none", kind) == 0)
        t.push_back(m_bench.frame_ms[i]);
    std::sort(t.begin(), t.end());
    if (!t.empty()) std::printf(" %s=%zu/%.2f/%.2f", kind, t.size(), t[t.size() / 2], t.back());
  }
  std::printf("\n");
  // the slowest frames: their parts and what the map image did in them
  std::vector<std::size_t> slow;
  for (std::size_t i = 5; i < m_bench.frame_ms.size(); ++i) slow.push_back(i);
  std::sort(slow.begin(), slow.end(),
            [&](std::size_t a, std::size_t b) { return m_bench.frame_ms[a] > m_bench.frame_ms[b]; });
  slow.resize(std::min<std::size_t>(slow.size(), 8));
  for (std::size_t i : slow) {
    const BenchRecord::Work& w = m_bench.work[i];
    std::printf("bench_%s_slow: frame=%zu ms=%.2f ui=%.2f map_image=%.2f panels=%.2f composite=%.2f work=%s",
                m_opt.bench_mode.c_str(), i, m_bench.frame_ms[i], m_bench.part_ms[i][0],
                m_bench.part_ms[i][1], m_bench.part_ms[i][2], m_bench.part_ms[i][3],
                w.what[0] ? w.what : "none");
    if (w.steps > 0) std::printf(" steps=%d estimate_ms=%.2f", w.steps, w.estimate_ms);
    std::printf("\n");
  }
  if (!m_bench_step_ms.empty()) {  // of the frame, what the what-if figures took
    std::sort(m_bench_step_ms.begin(), m_bench_step_ms.end());
    std::printf("bench_%s: whatif_step_median_ms=%.2f whatif_steps=%zu\n", m_opt.bench_mode.c_str(),
                m_bench_step_ms[m_bench_step_ms.size() / 2], m_bench_step_ms.size());
  }
}

void App::bench_step(int frame) {
  if (m_opt.bench_mode == "zoom") {
    // 30 frames in by 3 % each, 30 out, about the centre of the window
    double f = (frame / 30) % 2 == 0 ? 1.03 : 1 / 1.03;
    m_view.zoom_at(f, {m_view.width_px * 0.5, m_view.height_px * 0.5});
  } else if (m_opt.bench_mode == "drag") {
    // the first facility of the first fixed set around a circle of 20 km, one turn per 120 frames
    if (!m_session.ready()) return;
    const auto& sets = m_session.evaluation().ev.sets;
    std::size_t k = 0;
    while (k < sets.size() && sets[k].points.empty()) ++k;
    if (k == sets.size()) return;
    if (!m_session.dragging()) {
      m_bench_drag_origin = sets[k].points[0];
      if (!m_session.begin_drag(k, 0)) return;
    }
    double a = 2 * M_PI * frame / 120.0;
    m_session.drag_to(
        {m_bench_drag_origin.x + 20000 * std::cos(a), m_bench_drag_origin.y + 20000 * std::sin(a)});
    // the figure update of each step that finished since the last frame (steps run as tasks)
    const std::uint64_t serial = m_session.key().edits;
    if (frame >= 5 && serial != m_bench_serial && m_bench_serial != 0)
      m_bench_step_ms.push_back(m_session.last_update_ms());
    m_bench_serial = serial;
  } else {
    // pan around a circle of 300 pixels radius, one turn per 240 frames (about 8 pixels a frame)
    double t0a = 2 * M_PI * frame / 240.0, t1a = 2 * M_PI * (frame + 1) / 240.0;
    m_view.pan(300 * (std::cos(t1a) - std::cos(t0a)), 300 * (std::sin(t1a) - std::sin(t0a)));
  }
}

}  // namespace kepumap::ui
