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

# The non-GUI tests once more, built with AddressSanitizer and UBSan into build-asan/ (-O1, no
# benchmarks, no fuzz targets: those are sanitized already). Any memory error, leak or undefined
# behaviour fails the test that hits it. Skipped when KEPUMAP_SANITIZE_TESTS=0, except under CI.
kepumap_test_sanitized() {
  if [ "${KEPUMAP_SANITIZE_TESTS:-1}" = "0" ] && [ -z "${CI:-}" ]; then
    echo "kepumap: sanitizer tests skipped (KEPUMAP_SANITIZE_TESTS=0)"
    return 0
  fi
  export CCACHE_BASEDIR="$KEPUMAP_ROOT"
  # Warnings are the Release build's job: GCC's flow-based warnings differ at -O1, so this build
  # does not turn them into errors.
  local jobs
  jobs=$(nproc 2>/dev/null || echo 2)
  echo "kepumap: building the sanitizer tests (ASan + UBSan) in build-asan/"
  cmake -S "$KEPUMAP_ROOT" -B "$KEPUMAP_ROOT/build-asan" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" -DCMAKE_C_FLAGS_DEBUG="-O1 -g1" \
    -DKEPUMAP_SANITIZE=ON -DKEPUMAP_BUILD_BENCH=OFF -DKEPUMAP_WERROR=OFF >/dev/null
  cmake --build "$KEPUMAP_ROOT/build-asan" -j "$jobs"
  echo "kepumap: running the non-GUI tests under ASan + UBSan"
  (
    cd "$KEPUMAP_ROOT/build-asan"
    export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=0"
    export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
    export LSAN_OPTIONS="suppressions=$KEPUMAP_ROOT/tools/lsan.supp:print_suppressions=0"
    ctest --output-on-failure -j "$jobs" -LE gui -E '^(fuzz_|format_check)'
  )
}
