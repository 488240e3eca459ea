# common.gp - loaded first by every figure script. scripts/plot sets:
#   collect  the collector binary        csv    the run's results.csv
#   clock    tsc | instructions          clocklabel  the clock in words, for axes
#   term     pdf | png                   out    the output file, without extension
#   where    the platforms and CPUs the data came from, for the title
if (term eq 'pdf') {
	set terminal pdfcairo size 6in,3.2in font 'Helvetica,9' enhanced
	set output out.'.pdf'
} else {
	set terminal pngcairo size 1200,640 font 'Helvetica,12' enhanced
	set output out.'.png'
}
set datafile missing '?'
set key outside right top noenhanced
# The collector's tables start with a header: it names the series, never a point.
set key autotitle columnhead
set grid ytics lc rgb '#d0d0d0'
set border 3
set tics nomirror
# q(args): the collector's table for this run and clock, as gnuplot input.
q(args) = sprintf("< %s table %s --where clock=%s %s", collect, csv, clock, args)
# nseries(args, per): how many column groups of per values the table has.
nseries(args, per) = (words(system(sprintf("%s table %s --where clock=%s %s | head -n 1", \
	collect, csv, clock, args))) - 1) / per
set label 1 'clock: '.clocklabel.'; '.where at screen 0.01, screen 0.015 font ',7' noenhanced
set bmargin 6
# zero_note(args): a note for a panel whose every value is 0 (Bochs charges no
# instructions for a TLB miss), so an empty-looking plot is not taken for a bug.
maxval(args) = real(system(sprintf("%s table %s --where clock=%s %s | awk 'NR>1{for(i=2;i<=NF;i++)if($i!=\"?\"&&$i+0>m)m=$i+0}END{print m+0}'", collect, csv, clock, args)))

# has(cases): how many distinct cases matching the glob this clock has records of.
has(cases) = int(system(sprintf("%s distinct %s --col case --where clock=%s --where 'case=%s' 2>/dev/null | wc -l", \
	collect, csv, clock, cases)))
