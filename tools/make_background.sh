#!/usr/bin/env bash
# Rebuilds data/background/physical.gpkg, the quiet land/water background the app and the print
# maps draw when a project has no [[basemap]], from ../shared/data/physical (GSHHG lakes, WDBII
# rivers and national borders, WGS84). Layers: lakes (polygons), rivers, borders (lines), with
# only the fields the background needs. Deterministic: fixed GeoPackage timestamps.
#   tools/make_background.sh [OUT_FILE]   (default: data/background/physical.gpkg)
# Needs ogr2ogr (Debian gdal-bin).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
shared="${KEPUMAP_SHARED_DATA:-$repo/../shared/data}"
out="${1:-$repo/data/background/physical.gpkg}"
src="$shared/physical"
for f in lakes_gshhg rivers_wdbii borders_wdbii; do
  if [ ! -f "$src/$f.geojson" ]; then
    echo "error: $src/$f.geojson not found (set KEPUMAP_SHARED_DATA)" >&2
    exit 2
  fi
done
attribution="GSHHG/WDBII (c) The GMT Team, LGPL-3.0-or-later"
export OGR_CURRENT_DATE="2025-01-01T00:00:00.000Z"
mkdir -p "$(dirname "$out")"
tmp="$out.tmp.gpkg"
rm -f "$tmp"
ogr2ogr -q -f GPKG "$tmp" "$src/lakes_gshhg.geojson" -nln lakes -sql \
  "SELECT lake_id, name, area_km2 FROM lakes_gshhg" -nlt MULTIPOLYGON \
  -lco DESCRIPTION="GSHHG 2.3.7 level-2 lakes; $attribution" -mo "attribution=$attribution"
ogr2ogr -q -update -f GPKG "$tmp" "$src/rivers_wdbii.geojson" -nln rivers -sql \
  "SELECT river_class, class_name FROM rivers_wdbii" -nlt MULTILINESTRING \
  -lco DESCRIPTION="WDBII rivers and canals; $attribution"
ogr2ogr -q -update -f GPKG "$tmp" "$src/borders_wdbii.geojson" -nln borders -sql \
  "SELECT border, name FROM borders_wdbii" -nlt MULTILINESTRING \
  -lco DESCRIPTION="WDBII national borders; $attribution"
mv -f "$tmp" "$out"
echo "wrote $out"
