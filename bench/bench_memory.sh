#!/usr/bin/env bash
# Peak resident memory of the desktop app on a demo project (default data/nmg) with every panel
# used, under Xvfb with Mesa's software OpenGL (llvmpipe): the app opens the project, waits for
# the evaluation, opens the coverage panel (travel-time surface on the map), runs a siting run,
# opens the caravan panel and plans the tours, then quits. After each step the script's `memory`
# command prints the process's peak (VmHWM) and current (VmRSS) resident memory so far, in MiB;
# the last line is /usr/bin/time's maximum resident set size of the whole run.
#
# usage: bench/bench_memory.sh [build-dir] [project.toml|frames] [siting-problem] [p]
#   defaults: build, data/nmg/project.toml, mclp, 3; siting-problem "none" opens the siting panel
#   without a run. "frames" is data/nmg with people: the project bench/bench_frames.sh uses
#   (data/nmg's layers, 20,000 village points with synthetic positions and populations, the 340
#   GeoNames township seats, 12 synthetic museums), plus the museums as caravan depots and the
#   township seats as caravan stops, so that every panel can run on all of Inner Mongolia.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
project="${2:-$root/data/nmg/project.toml}"
problem="${3:-mclp}"
p="${4:-3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
if [ "$project" = frames ]; then
  "$build/bench/make_frames_project" "$root" "$root/../shared/data" "$work/project" >&2
  cat >>"$work/project/project.toml" <<'EOT'

# bench_memory.sh: caravans based at the (synthetic) museums, visiting the township seats
[[layer]]
name = "caravan_depots"
title = "科普大篷车基地（合成）"
role = "caravan_depot"
source = "museums_synthetic.csv"
fields = { name = "name" }

[[layer]]
name = "caravan_stops"
title = "大篷车停靠点（苏木乡镇驻地）"
role = "caravan_stop"
source = "township_seats.csv"
fields = { name = "name" }
EOT
  project="$work/project/project.toml"
fi
siting_run="siting run $problem $p
siting wait"
[ "$problem" = none ] && siting_run=""
cat >"$work/script" <<EOS
wait 2
memory opened
analysis wait
memory evaluated
analysis open coverage
analysis time_map on
wait 3
memory coverage_panel
siting open
$siting_run
wait 2
memory siting
caravan open
caravan run
caravan wait
wait 2
memory caravan
EOS
mkdir -p "$work/cfg"
status=0
XDG_CONFIG_HOME="$work/cfg" LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -s "-screen 0 1600x1000x24" \
  /usr/bin/time -v -o "$work/time" "$build/src/app/kepumap" "$project" --size 1600x1000 \
  --script "$work/script" >"$work/out" 2>"$work/err" || status=$?
grep '^bench_memory' "$work/out" || true
if [ "$status" -ne 0 ] || ! grep -q '^bench_memory caravan' "$work/out"; then
  echo "bench_memory: the app failed (exit $status):" >&2
  tail -5 "$work/err" >&2
  exit 1
fi
awk -F': ' '/Maximum resident set size/ { printf "bench_memory max_rss_mib=%.1f (/usr/bin/time)\n", $2 / 1024 }
            /Elapsed \(wall clock\)/ { print "bench_memory wall=" $2 }' "$work/time"
