#!/bin/sh
# kepumap's multi-source travel-time surface and GRASS r.cost (Debian grass-core) side by side
# on the same synthetic friction grid: CPU times, their ratio, and the largest difference.
#   bench/bench_travel_grass.sh [BUILD_DIR] [SIZE] [SOURCES]
# Example: bench/bench_travel_grass.sh build 4096 1000
set -eu
BUILD=${1:-build}
N=${2:-4096}
K=${3:-1000}
CELL=250
BIN="$BUILD/bench/bench_travel"
command -v grass >/dev/null || { echo "grass not found: apt-get install grass-core" >&2; exit 2; }
[ -x "$BIN" ] || { echo "$BIN not built" >&2; exit 2; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

echo "== kepumap ($N x $N, $K sources, $CELL m cells)"
"$BIN" --size "$N" --sources "$K" --surface-only --write-grid "$WORK"

EXT=$((N * CELL))
grass -c XY "$WORK/db/bench" -e >/dev/null 2>&1
cat > "$WORK/run.sh" <<EOF
set -e
g.region n=$EXT s=0 e=$EXT w=0 res=$CELL --q
r.in.bin -f input=$WORK/speed_kmh.f32 output=speed rows=$N cols=$N n=$EXT s=0 e=$EXT w=0 anull=0 --q
r.in.bin -f input=$WORK/sources.f32 output=start rows=$N cols=$N n=$EXT s=0 e=$EXT w=0 anull=0 --q
# Cost per cell: seconds to cross one cell at the cell's speed.
r.mapcalc "cost = $CELL / (speed / 3.6)" --q
for k in "" "-k"; do
  moves=8; [ "\$k" = "-k" ] && moves=16
  /usr/bin/time -f "  r.cost \$k (\$moves moves): %U s user CPU, %e s wall" r.cost \$k input=cost start_raster=start output=cum\$moves --q --o
  r.out.bin -f input=cum\$moves output=$WORK/grass_\$moves.f32 null=-1 --q
done
EOF
echo "== GRASS r.cost"
grass "$WORK/db/bench/PERMANENT" --exec sh "$WORK/run.sh" 2>&1 | grep -v "^WARNING\|^Starting\|^Executing\|^Cleaning\|^Execution" || true
for m in 8 16; do
  echo "== $m moves: kepumap vs r.cost"
  "$BIN" --compare "$WORK/kepumap_$m.f32" "$WORK/grass_$m.f32"
done
