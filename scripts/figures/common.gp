# common.gp - loaded first by every figure script. scripts/plot sets dir (this folder)
# and term (pdf | png) as gnuplot code, both constants. Everything that comes from the
# run arrives as data instead: environment variables, read here as strings, and a
# footnote file. A string value is never parsed again, and the shell commands below
# name the variables ("$NB_CSV") rather than paste their values, so a path or a
# record value can never become gnuplot or shell code. This file then sets:
#   collect  the collector binary        csv    the run's results.csv
#   clock    tsc | instructions          clocklabel  the clock in words, for axes
#   out      the output file, without extension
#   footnote where the data came from (clock, platforms, levels, CPUs, emulated jobs)
env(name) = system(sprintf('printf %%s "$%s"', name))
collect = env('NB_COLLECT')
csv = env('NB_CSV')
clock = env('NB_CLOCK')
clocklabel = env('NB_CLOCKLABEL')
out = env('NB_OUT')
footnote = system('cat -- "$NB_FOOTNOTE"')
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
# The collector's table for this run and clock, args being the figure's own constant
# query: table(args) as a shell command, q(args) as gnuplot input.
table(args) = sprintf('"$NB_COLLECT" table "$NB_CSV" --where "clock=$NB_CLOCK" %s', args)
q(args) = '< '.table(args)
# nseries(args, per): how many column groups of per values the table has.
nseries(args, per) = (words(system(table(args).' | head -n 1')) - 1) / per
set label 1 footnote at screen 0.01, screen 0.015 font ',7' noenhanced
set bmargin 6
# maxval(args): the table's largest value, so a panel whose every value is 0 (Bochs
# charges no instructions for a TLB miss) gets a note instead of looking like a bug.
maxval(args) = real(system(table(args).\
	" | awk 'NR>1{for(i=2;i<=NF;i++)if($i!=\"?\"&&$i+0>m)m=$i+0}END{print m+0}'"))

# has(cases): how many distinct cases matching the glob this clock has records of.
has(cases) = int(system(sprintf('"$NB_COLLECT" distinct "$NB_CSV" --col case --where "clock=$NB_CLOCK" --where ''case=%s'' 2>/dev/null | wc -l', \
	cases)))
