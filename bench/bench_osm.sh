#!/usr/bin/env bash
# bench/bench_osm.sh [WAYS] [BUILD_DIR]: reading an OpenStreetMap PBF of WAYS ways (default
# 1,000,000) into kepumap's road graph, side by side with `ogr2ogr -f GPKG` on the same file.
# The PBF is synthetic (bench/make_osm_grid.cpp writes OPL, osmium-tool converts it): a road grid
# with the real tag vocabulary and 15 % non-road ways. Each step's wall time, CPU time and peak
# memory (maximum resident set) come from /usr/bin/time -v. Build first (./test or
# cmake --build build --target kepumap make_osm_grid). Prints a Markdown table.
set -euo pipefail
ways=${1:-1000000}
root=$(cd "$(dirname "$0")/.." && pwd)
build=${2:-$root/build}
gen=$build/bench/make_osm_grid
kepumap=$build/src/app/kepumap
for f in "$gen" "$kepumap"; do
  [ -x "$f" ] || { echo "error: $f is not built (cmake --build $build --target kepumap make_osm_grid)" >&2; exit 2; }
done
for tool in osmium ogr2ogr /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "error: $tool is missing (Debian packages osmium-tool, gdal-bin, time)" >&2; exit 2; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/kepumap-bench-osm.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Runs a command under /usr/bin/time -v and prints one table row: wall s, CPU s, peak MB.
measure() {
  local label=$1
  shift
  if ! /usr/bin/time -v -o "$work/time.txt" "$@" >"$work/out.txt" 2>"$work/err.txt"; then
    echo "error: $label failed:" >&2
    tail -5 "$work/err.txt" >&2
    exit 1
  fi
  awk -v label="$label" -F': ' '
    /Elapsed \(wall clock\)/ { n = split($2, p, ":"); wall = 0; for (i = 1; i <= n; i++) wall = wall * 60 + p[i] }
    /User time/ { cpu += $2 } /System time/ { cpu += $2 }
    /Maximum resident set size/ { rss = $2 / 1024 }
    END { printf "| %s | %.1f s | %.1f s | %.0f MB |\n", label, wall, cpu, rss }' "$work/time.txt"
}

echo "OSM PBF benchmark: $ways ways; $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| step | wall | CPU | peak memory |"
echo "|---|---|---|---|"
measure "make_osm_grid (OPL)" "$gen" "$ways" "$work/grid.opl"
measure "osmium cat OPL → PBF" osmium cat "$work/grid.opl" -o "$work/grid.osm.pbf"
rm -f "$work/grid.opl"

# A project whose roads layer is the PBF, with one town in the middle of the grid.
cat >"$work/town.geojson" <<'JSON'
{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "centre"},
 "geometry": {"type": "Point", "coordinates": [114.5, 44.0]}}]}
JSON
cat >"$work/project.toml" <<'TOML'
[project]
name = "OSM benchmark"

[[layer]]
name = "roads"
role = "road"
source = "grid.osm.pbf"

[[layer]]
name = "town"
role = "town"
source = "town.geojson"
fields = { name = "name" }

[travel]
cell_size_m = 2000
TOML
measure "kepumap info (read the roads layer)" "$kepumap" info "$work/project.toml"
grep -m1 "features:" "$work/out.txt" | sed 's/^ */  roads /' >"$work/roads.txt" || true
measure "kepumap travel --from town (read + road graph + 2 km grid)" "$kepumap" travel "$work/project.toml" --from town -o "$work/travel"
grep -m1 "nodes, " "$work/out.txt" >>"$work/roads.txt" || true
measure "ogr2ogr -f GPKG (every layer)" ogr2ogr -f GPKG "$work/all.gpkg" "$work/grid.osm.pbf"
measure "ogr2ogr -f GPKG lines" ogr2ogr -f GPKG "$work/lines.gpkg" "$work/grid.osm.pbf" lines
echo
echo "PBF $(du -h "$work/grid.osm.pbf" | cut -f1)."
sed 's/^ */kepumap: /' "$work/roads.txt"
