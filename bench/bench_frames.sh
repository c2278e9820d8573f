#!/usr/bin/env bash
# Frame time of the desktop app while panning over data/nmg with every layer on, under Xvfb
# with Mesa's software OpenGL (llvmpipe). Prints the median and 99th-percentile milliseconds.
# usage: bench/bench_frames.sh [build-dir] [project.toml] [frames]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
project="${2:-$root/data/nmg/project.toml}"
frames="${3:-480}"
cfg="$(mktemp -d)"
trap 'rm -rf "$cfg"' EXIT
XDG_CONFIG_HOME="$cfg" LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -s "-screen 0 1280x800x24" \
  "$build/src/app/kepumap" "$project" --size 1280x800 --bench-pan "$frames"
