#!/usr/bin/env bash
# Checks that every C/C++ source file of ours (everything tracked outside third_party/) matches
# .clang-format. Prints one line per file that deviates, with the command that fixes it.
#   tools/check_format.sh          check (exit 1 when a file deviates)
#   tools/check_format.sh --fix    reformat those files in place
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
cf="$(command -v clang-format || command -v clang-format-14 || true)"
if [ -z "$cf" ]; then
  echo "error: clang-format not found (Debian package clang-format; ./test installs it)" >&2
  exit 2
fi
# Tracked files when this is a git checkout, else every matching file (a source tarball).
if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files -- '*.cpp' '*.hpp' '*.h' '*.c' | grep -v '^third_party/')
else
  mapfile -t files < <(find src tests bench tools -name '*.cpp' -o -name '*.hpp' -o -name '*.h' -o -name '*.c')
fi
bad=0
for f in "${files[@]}"; do
  [ -f "$f" ] || continue
  if [ "${1:-}" = "--fix" ]; then
    "$cf" -i "$f"
  elif ! "$cf" --dry-run --Werror "$f" >/dev/null 2>&1; then
    echo "$f: not formatted as .clang-format says (fix: $cf -i $f, or tools/check_format.sh --fix)"
    bad=$((bad + 1))
  fi
done
if [ "$bad" -gt 0 ]; then
  echo "error: $bad of ${#files[@]} source files deviate from .clang-format" >&2
  exit 1
fi
echo "format: ${#files[@]} source files match .clang-format"
