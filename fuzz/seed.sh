#!/bin/sh
# Seeds fuzz/corpus/<target>/ from the test files, the bundled layers and fuzz/seeds/.
# Run from anywhere; existing corpus files are kept (libFuzzer adds to the corpus as it runs).
set -eu
fuzz=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$fuzz")
corpus="$fuzz/corpus"
for target in geojson geojsonseq kml kmz csv; do
    mkdir -p "$corpus/$target"
    cp "$fuzz/seeds/$target/"* "$corpus/$target/"
done
mkdir -p "$corpus/fgb" "$corpus/shp" "$corpus/wkb"
cp "$root"/tests/data/*.fgb "$corpus/fgb/"
cp "$root"/tests/data/*.zip "$corpus/shp/"
cp "$root"/tests/data/*.geojson "$root"/assets/*.geojson "$corpus/geojson/"
cp "$root"/tests/data/*.geojsonl "$corpus/geojsonseq/"
cp "$root"/tests/data/*.kml "$corpus/kml/"
cp "$root"/tests/data/*.csv "$corpus/csv/"
# Every KML seed as a KMZ too, when `zip` is at hand (fuzz/seeds/kmz has some already).
if command -v zip >/dev/null 2>&1; then
    tmp=$(mktemp -d)
    for kml in "$corpus"/kml/*.kml; do
        cp "$kml" "$tmp/doc.kml"
        (cd "$tmp" && rm -f out.kmz && zip -q -9 out.kmz doc.kml)
        cp "$tmp/out.kmz" "$corpus/kmz/$(basename "$kml" .kml).kmz"
    done
    rm -rf "$tmp"
fi
for target in geojson geojsonseq kml kmz csv fgb shp wkb; do
    echo "$target: $(ls "$corpus/$target" | wc -l) seeds"
done
