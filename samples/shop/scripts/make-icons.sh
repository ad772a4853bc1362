#!/bin/sh
# Redraws the tab-bar icons of the shop sample with ImageMagick from fixed
# parameters: 48x48 PNGs (the tab bar shows them at 24x24 px), a bag for the
# Shop tab and a cart for the Cart tab, grey when idle and orange when
# selected. Run from anywhere: `sh samples/shop/scripts/make-icons.sh`.
set -eu
cd "$(dirname "$0")/../images"

bag() { # bag COLOUR OUT
  convert -size 48x48 xc:none -fill none -stroke "$1" -strokewidth 4 \
    -draw "roundrectangle 8,16 40,42 4,4" \
    -draw "arc 16,4 32,24 180,360" \
    -strip -define png:color-type=6 "$2"
}

cart() { # cart COLOUR OUT
  convert -size 48x48 xc:none -fill none -stroke "$1" -strokewidth 4 \
    -draw "polyline 4,8 11,8 16,32 38,32 42,14 13,14" \
    -fill "$1" -stroke none \
    -draw "circle 19,40 19,37" -draw "circle 35,40 35,37" \
    -strip -define png:color-type=6 "$2"
}

bag '#8a8f99' tab-shop.png
bag '#ff6a3d' tab-shop-active.png
cart '#8a8f99' tab-cart.png
cart '#ff6a3d' tab-cart-active.png
