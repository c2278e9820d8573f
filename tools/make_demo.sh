#!/usr/bin/env bash
# Rebuilds the demo projects in data/ from ../shared/data (issue 3).
#   tools/make_demo.sh [OUT_DIR]      (default: data/ of this repository)
# Builds the generator kepumap_make_demo in build-demo/ (or $KEPUMAP_BUILD_DIR) first.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
build="${KEPUMAP_BUILD_DIR:-$repo/build-demo}"
shared="${KEPUMAP_SHARED_DATA:-$repo/../shared/data}"
out="${1:-$repo/data}"
if [ ! -f "$shared/SOURCES.md" ]; then
  echo "error: $shared: shared data not found (set KEPUMAP_SHARED_DATA)" >&2
  exit 2
fi
if [ ! -f "$build/build.ninja" ] && [ ! -f "$build/Makefile" ]; then
  cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
if ! log="$(cmake --build "$build" --target kepumap_make_demo 2>&1)"; then echo "$log" >&2; exit 2; fi
mkdir -p "$out"
"$build/tools/make_demo/kepumap_make_demo" --shared "$shared" --out "$out"
