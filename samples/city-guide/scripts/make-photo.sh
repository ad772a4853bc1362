#!/bin/sh
# Redraws the one picture of the city-guide sample with ImageMagick 6 from
# fixed parameters (no randomness): images/harbor.png, a 750x500 harbour
# skyline at dusk (the photo page shows it at 375x250 px, so 2x pixels).
# Run from anywhere: `sh samples/city-guide/scripts/make-photo.sh`.
set -eu
cd "$(dirname "$0")/../images"
tmp="${TMPDIR:-/tmp}/city-guide-photo.$$"
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT

# Buildings: "left top width colour"; the water line is at y=340.
cat > "$tmp/buildings.txt" <<'LIST'
20 250 60 #27305a
70 200 46 #1f2850
110 228 70 #2c3765
175 150 40 #1b2348
210 182 58 #243061
262 120 34 #1a2246
292 170 64 #2a3562
350 232 52 #222b55
398 140 46 #1c2449
440 196 72 #28335f
506 238 48 #202a53
548 166 40 #1b2347
584 212 66 #27315d
646 252 50 #222b55
692 222 48 #1e274e
LIST

# One MVG text (a single -draw; "@file" is often barred by the policy): the sun, each building, and a fixed grid of windows per
# building with every third one lit.
{
  echo "fill '#ffd9a0' circle 560,250 560,212"
  while read -r x top w colour; do
    echo "fill '$colour' rectangle $x,$top $((x + w)),340"
    y=$((top + 12)); n=0
    while [ $y -lt 326 ]; do
      wx=$((x + 8))
      while [ $((wx + 6)) -lt $((x + w - 4)) ]; do
        n=$((n + 1))
        if [ $((n % 3)) -eq 0 ]; then
          echo "fill '#ffd88a' rectangle $wx,$y $((wx + 5)),$((y + 7))"
        fi
        wx=$((wx + 12))
      done
      y=$((y + 16))
    done
  done < "$tmp/buildings.txt"
} > "$tmp/sky.mvg"

convert -size 750x340 gradient:'#33406f-#f5a26a' -draw "$(cat "$tmp/sky.mvg")" "$tmp/sky.png"

# Water: a darker gradient with the sun's reflection as fixed streaks.
convert -size 750x160 gradient:'#3c4a7a-#141a33' \
  -fill '#f7b77a' \
  -draw "rectangle 520,10 600,14" -draw "rectangle 530,26 590,29" \
  -draw "rectangle 540,44 580,47" -draw "rectangle 548,64 572,66" \
  -draw "rectangle 553,86 567,88" \
  -fill '#5a6aa0' \
  -draw "rectangle 60,30 180,32" -draw "rectangle 240,58 330,60" \
  -draw "rectangle 380,96 470,98" -draw "rectangle 120,120 230,122" \
  "$tmp/water.png"

# A pier and a small sailing boat in front, then a 160-colour palette PNG (no dithering, so the gradients band a little and the file stays small).
convert "$tmp/sky.png" "$tmp/water.png" -append \
  -fill '#0f1428' -draw "rectangle 0,352 260,362" \
  -draw "rectangle 40,362 46,400" -draw "rectangle 120,362 126,400" \
  -draw "rectangle 200,362 206,400" \
  -draw "polygon 330,430 450,430 430,450 350,450" -draw "rectangle 384,396 388,430" \
  -fill '#f3e6d0' -draw "polygon 389,398 389,428 420,428" \
  +dither -colors 160 -depth 8 -strip -define png:color-type=3 harbor.png
ls -l harbor.png
