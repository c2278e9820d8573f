#!/usr/bin/env bash
# bench/bench_world.sh [BUILD_DIR] [SHARED_DATA]: every verb on data/abag with world-sized
# reference layers, side by side with the same layers clipped beforehand.
#
# "world": data/abag plus the whole-world Natural Earth country polygons as a border layer
# (countries-10m.topojson, 3.6 MB) and again as an `other` layer (countries-50m.topojson), and
# every GeoNames town of China with 500 people or more (geonames_cities500.csv) as a town layer.
# "world GPKG": the same world files converted to GeoPackage (ogr2ogr), as an office keeps them.
# "clipped": the same three files cut with ogr2ogr -clipsrc to the banner's box grown by 1°.
# kepumap clips reference layers to the study area plus margin_km itself and leaves towns
# outside the study area out, so both projects must give the same figures in about the same
# time; the script checks the figures (coverage CSV, travel times, siting) are byte-identical.
# Wall time, CPU and peak memory per verb from /usr/bin/time -v; prints a Markdown table.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
shared=${2:-$root/../shared/data}
kepumap=$build/src/app/kepumap
[ -x "$kepumap" ] || { echo "error: $kepumap is not built (cmake --build $build --target kepumap)" >&2; exit 2; }
for f in "$shared/borders/countries-10m.topojson" "$shared/borders/countries-50m.topojson" \
  "$shared/places/geonames_cities500.csv"; do
  [ -f "$f" ] || { echo "error: $f is missing (the shared reference data)" >&2; exit 2; }
done
for tool in ogr2ogr /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "error: $tool is missing (Debian packages gdal-bin, time)" >&2; exit 2; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/kepumap-bench-world.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The banner's box from kepumap info, grown by 1 degree, for the pre-clipped copies.
box=$("$kepumap" info "$root/data/abag/project.toml" | sed -n 's/.*(\([0-9.]*\)–\([0-9.]*\)°E, \([0-9.]*\)–\([0-9.]*\)°N).*/\1 \3 \2 \4/p' | head -1)
read -r x0 y0 x1 y1 <<<"$box"
clip="$(echo "$x0 - 1" | bc) $(echo "$y0 - 1" | bc) $(echo "$x1 + 1" | bc) $(echo "$y1 + 1" | bc)"

for variant in world gpkg clipped; do
  d=$work/$variant
  mkdir -p "$d"
  cp "$root/data/abag/abag.gpkg" "$root/data/abag/abag_population.tif" "$d/"
  if [ "$variant" = world ]; then
    cp "$shared/borders/countries-10m.topojson" "$d/c10.topojson"
    cp "$shared/borders/countries-50m.topojson" "$d/c50.topojson"
    cp "$shared/places/geonames_cities500.csv" "$d/towns.csv"
    b10=c10.topojson b50=c50.topojson
    sel='layer = "countries"'
  elif [ "$variant" = gpkg ]; then
    ogr2ogr -f GPKG "$d/c10.gpkg" "$shared/borders/countries-10m.topojson" countries
    ogr2ogr -f GPKG "$d/c50.gpkg" "$shared/borders/countries-50m.topojson" countries
    cp "$shared/places/geonames_cities500.csv" "$d/towns.csv"
    b10=c10.gpkg b50=c50.gpkg
    sel=""
  else
    # shellcheck disable=SC2086
    ogr2ogr -f GeoJSON -clipsrc $clip "$d/c10.geojson" "$shared/borders/countries-10m.topojson" countries
    # shellcheck disable=SC2086
    ogr2ogr -f GeoJSON -clipsrc $clip "$d/c50.geojson" "$shared/borders/countries-50m.topojson" countries
    awk -F, -v x0="$(echo "$x0 - 1" | bc)" -v x1="$(echo "$x1 + 1" | bc)" -v y0="$(echo "$y0 - 1" | bc)" \
      -v y1="$(echo "$y1 + 1" | bc)" 'NR == 1 { print; next }
      { line = $0; gsub(/"[^"]*"/, "q", line); split(line, f, ",");
        if (f[6] + 0 >= x0 && f[6] + 0 <= x1 && f[5] + 0 >= y0 && f[5] + 0 <= y1) print }' \
      "$shared/places/geonames_cities500.csv" >"$d/towns.csv"
    b10=c10.geojson b50=c50.geojson
    sel=""
  fi
  {
    cat "$root/data/abag/project.toml"
    cat <<TOML

[[layer]]
name = "world_borders"
role = "border"
source = "$b10"
$sel

[[layer]]
name = "world_countries"
role = "other"
source = "$b50"
$sel

[[layer]]
name = "geonames_towns"
role = "town"
source = "towns.csv"
fields = { name = "name", population = "population" }
TOML
  } >"$d/project.toml"
done

# Runs a verb under /usr/bin/time -v in variant $1; prints "wall cpu rss".
measure() {
  local variant=$1
  shift
  local rc=0
  (cd "$work/$variant" && /usr/bin/time -v -o "$work/time.txt" "$kepumap" "$@" >"$work/$variant.out" 2>&1) || rc=$?
  # `check` exits 1 when a target is not met: that is an answer, not a failure; `info` exits 2
  # when a feature was dropped (Natural Earth's 10m file has one with an empty geometry).
  if [ "$rc" -ne 0 ] && ! { [ "$1" = check ] && [ "$rc" -eq 1 ]; } && ! { [ "$1" = info ] && [ "$rc" -eq 2 ]; }; then
    echo "error: kepumap $* failed on the $variant project:" >&2
    tail -5 "$work/$variant.out" >&2
    exit 1
  fi
  awk -F': ' '
    /Elapsed \(wall clock\)/ { n = split($2, p, ":"); wall = 0; for (i = 1; i <= n; i++) wall = wall * 60 + p[i] }
    /User time/ { cpu += $2 } /System time/ { cpu += $2 }
    /Maximum resident set size/ { rss = $2 / 1024 }
    END { printf "%.2f %.2f %.0f\n", wall, cpu, rss }' "$work/time.txt"
}

echo "World-sized vs clipped reference layers on data/abag; $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| verb | clipped: wall | CPU | peak | world GPKG: wall | CPU | peak | world TopoJSON: wall | CPU | peak | CSV outputs |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
verbs=(
  "info project.toml"
  "travel project.toml --from museum -o travel"
  "coverage project.toml -o coverage"
  "access project.toml --method e2sfca --facility museum --minutes 90 -o access"
  "site project.toml --problem mclp --p 2 -o site"
  "caravan project.toml -o caravan"
  "check project.toml"
  "report project.toml -o report"
)
# A CSV with the GeoNames row number (the feature column, which differs after pre-clipping) masked.
masked() { sed 's/,geonames_towns,[0-9]*,/,geonames_towns,#,/' "$1"; }
for v in "${verbs[@]}"; do
  # shellcheck disable=SC2086
  read -r cw cc cr <<<"$(measure clipped $v)"
  # shellcheck disable=SC2086
  read -r gw gc gr <<<"$(measure gpkg $v)"
  # shellcheck disable=SC2086
  read -r ww wc wr <<<"$(measure world $v)"
  out=${v##* -o }
  same="-"
  if [ "$out" != "$v" ]; then
    # Every CSV the verb wrote must be the same in all three (tables are the figures).
    same="identical"
    while IFS= read -r f; do
      rel=${f#"$work/clipped/"}
      for other in gpkg world; do
        cmp -s <(masked "$f") <(masked "$work/$other/$rel") || same="differs: $other/$rel"
      done
    done < <(find "$work/clipped/$out" -name '*.csv' | sort)
  fi
  echo "| ${v%% *} | ${cw} s | ${cc} s | ${cr} MB | ${gw} s | ${gc} s | ${gr} MB | ${ww} s | ${wc} s | ${wr} MB | $same |"
done
