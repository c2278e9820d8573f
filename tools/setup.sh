#!/usr/bin/env bash
# Shared set-up for ./run and ./test: install missing Debian packages (tools/debian-packages.txt),
# configure and build Release into build/. Sourced, not run.
set -euo pipefail
KEPUMAP_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

kepumap_install_packages() {
  local wanted missing=()
  mapfile -t wanted < <(grep -vE '^\s*(#|$)' "$KEPUMAP_ROOT/tools/debian-packages.txt")
  for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "kepumap: installing Debian packages: ${missing[*]}"
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "error: need root or sudo to install: ${missing[*]}" >&2; exit 2; }
    sudo="sudo"
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

kepumap_build() {
  # Paths under the checkout hash as relative paths, so a fresh clone reuses the compile cache.
  export CCACHE_BASEDIR="$KEPUMAP_ROOT"
  local werror=OFF
  [ -n "${CI:-}" ] && werror=ON
  local jobs
  jobs=$(nproc 2>/dev/null || echo 2)
  cmake -S "$KEPUMAP_ROOT" -B "$KEPUMAP_ROOT/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DKEPUMAP_WERROR=$werror >/dev/null
  cmake --build "$KEPUMAP_ROOT/build" -j "$jobs"
}
