#!/usr/bin/env bash
# Draws a bench.csv (from build/bench-bundle/run.sh) as a PNG: GB/s of each
# case and path beside the cuMemcpyDtoD bandwidth measured in the same run.
# usage: bash bench/plot.sh bench.csv out.png
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
csv=${1:?usage: plot.sh bench.csv out.png}
png=${2:?usage: plot.sh bench.csv out.png}
bash "$root/scripts/setup.sh" gnuplot-nox
data=$(mktemp)
# Columns: index, "name (path)", GB/s, DtoD GB/s, and for rows with a
# memset floor (im2col) the floor as a bandwidth over the same bytes.
tail -n +2 "$csv" | awk -F, '{f = ($8 > 0) ? $5 * $8 : "NaN";
  printf "%d \"%s (%s)\" %s %s %s\n", NR - 1, $1, $2, $5, $6, f}' > "$data"
gnuplot <<GP
set terminal pngcairo size 2000,900 font "DejaVu Sans,9"
set output "$png"
set title "tl kernels: achieved bandwidth vs cuMemcpyDtoD of the same bytes (read + written)"
set ylabel "GB/s"
set style fill solid 0.8
set boxwidth 0.6
set xtics rotate by -40 left noenhanced
set bmargin 22
set rmargin 40
set key top right
set yrange [0:*]
plot "$data" using 1:3:xtic(2) with boxes title "tl kernel", \
     "$data" using 1:4 with linespoints lw 2 pt 7 title "cuMemcpyDtoD, same bytes", \
     "$data" using 1:5 with points pt 9 ps 1.5 lc rgb "black" title "floor: cuMemsetD8 of the column matrix (im2col)"
GP
rm -f "$data"
echo "wrote $png"
