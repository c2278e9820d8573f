#!/usr/bin/env bash
# Frame times of the desktop app under Xvfb with Mesa's software OpenGL (llvmpipe): panning,
# zooming and dragging a facility over all of Inner Mongolia with every layer on. Prints the
# median, 99th percentile and worst frame in milliseconds for each.
#
# The project (made by build/bench/make_frames_project in a temporary folder): data/nmg's
# layers, 20,000 village points (the real village list's names at synthetic positions inside
# their real county, plus synthetic ones), GeoNames' township seats and 12 synthetic museums;
# labels on; the coverage panel open with its travel-time surface on the map, then the siting
# and caravan panels.
#
# usage: bench/bench_frames.sh [build-dir] [frames] [WIDTHxHEIGHT] [modes...]
#   defaults: build, 480 frames, 1600x1000, pan zoom drag
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
frames="${2:-480}"
size="${3:-1600x1000}"
shift $(($# < 3 ? $# : 3))
modes=("$@")
[ ${#modes[@]} -gt 0 ] || modes=(pan zoom drag)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$build/bench/make_frames_project" "$root" "$root/../shared/data" "$work/project" >&2
cat >"$work/script" <<'EOF'
analysis open coverage
analysis wait
analysis time_map on
siting open
caravan open
EOF
[ -n "${BENCH_KEEP:-}" ] && { trap - EXIT; echo "bench_frames: project in $work" >&2; }
for mode in "${modes[@]}"; do
  cfg="$work/cfg-$mode"
  mkdir -p "$cfg"
  XDG_CONFIG_HOME="$cfg" LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -s "-screen 0 ${size}x24" \
    "$build/src/app/kepumap" "$work/project/project.toml" --size "$size" --script "$work/script" \
    "--bench-$mode" "$frames" 2>"$work/err-$mode" | grep '^bench_' ||
    { echo "bench_frames: $mode failed:" >&2; tail -5 "$work/err-$mode" >&2; exit 1; }
done
