#!/usr/bin/env bash
# Regenerates the committed pictures of the samples with ImageMagick 6 (`convert`).
# The outputs are committed, so this only needs to run when a picture changes.
# Every picture is drawn from fixed parameters (no randomness), so reruns give
# the same pixels; encoders may still differ in bytes between versions.
#
# Usage: samples/scripts/make-images.sh   (from anywhere)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
font="DejaVu-Sans-Bold"

# profile-card: a square avatar with initials on a warm gradient.
convert -size 200x200 gradient:'#ffb86b-#ff5f8f' \
  -gravity center -font "$font" -pointsize 84 -fill white -annotate 0 'MY' \
  -depth 8 -strip "$here/profile-card/images/avatar.png"

# product-grid: ten products, four formats, three aspect ratios, so that the
# image modes (aspectFill crops, aspectFit letterboxes, widthFix follows the
# ratio) give visibly different results.
#   name  size     background shape-colour  shape
product() {
  local out="$1" size="$2" bg="$3" fg="$4" shape="$5" label="$6"
  convert -size "$size" "xc:$bg" \
    -fill "$fg" -draw "$shape" \
    -gravity south -font "$font" -pointsize 28 -fill "$fg" \
    -annotate +0+10 "$label" \
    -depth 8 -strip -quality 82 "$here/product-grid/images/$out"
}
product p01-sneakers.png   240x240 '#dbe4ff' '#4c6ef5' 'roundrectangle 40,70 200,150 30,30'  '01'
product p02-pour-over.jpg  320x200 '#fff4e6' '#e8590c' 'circle 160,90 160,40'                 '02'
product p03-tote.gif       200x300 '#ebfbee' '#2f9e44' 'rectangle 50,60 150,230'              '03'
product p04-lamp.webp      300x200 '#fff9db' '#f59f00' 'polygon 150,30 230,150 70,150'        '04'
product p05-matcha.png     160x240 '#e6fcf5' '#0ca678' 'roundrectangle 35,40 125,190 16,16'  '05'
product p06-beanie.jpg     240x180 '#f3f0ff' '#7048e8' 'ellipse 120,95 90,50 180,360'         '06'
product p07-notebook.gif   240x240 '#fff0f6' '#d6336c' 'rectangle 60,40 180,190'              '07'
product p08-toothbrush.webp 200x300 '#e3fafc' '#1098ad' 'rectangle 90,30 110,240'             '08'
product p09-mug.png        300x180 '#f8f9fa' '#495057' 'roundrectangle 100,30 200,140 12,12' '09'
product p10-earbuds.jpg    240x240 '#f4fce3' '#66a80f' 'circle 120,110 120,60'                '10'

ls -l "$here"/profile-card/images "$here"/product-grid/images
