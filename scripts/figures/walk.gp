# walk.gp - left: references per TLB miss of the 2D walk, as the hypervisor walked
# the tables in use and as the formula (n+1)(m+1)-1 gives it; right: the miss
# penalty measured in the same configurations, at the largest span each reached.
# data: walk.depth
load dir.'common.gp'
refs = "--rows p.page --series job --value refs_walked,refs_formula --where case=walk.depth"
pen = "--rows p.page --series job --value median --where case=tlb.chase --pick max:p.span:bytes"
n = nseries(refs, 2)
set multiplot layout 1,2 title '2D page walk: references per TLB miss, beside the measured miss penalty' noenhanced
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.7 border -1
set xlabel 'guest page size'
set yrange [0:*]
set key inside top right font ',7'
# Many jobs (a --full run): the key goes below the panels, in columns.
if (n > 4) { set key below maxrows 8 font ',6'; set bmargin 16 }
set ylabel 'memory references per TLB miss'
plot for [i=0:n-1] q(refs) using (column(2+2*i)):xtic(1) title columnhead(2+2*i).' walked', \
     for [i=0:n-1] q(refs) using (column(3+2*i)) title columnhead(2+2*i).' formula' fs pattern 4
unset label 1
m = 0
if (has('tlb.chase') > 0) { m = nseries(pen, 1) }
set ylabel 'miss penalty ('.clocklabel.' per access)'
if (m > 0) {
	if (maxval(pen) == 0) {
		set label 2 'every median is 0 '.clocklabel at graph 0.5, graph 0.6 center
		set yrange [-1:1]
	}
	plot for [i=2:m+1] q(pen) using i:xtic(1) title columnhead(i)
} else {
	unset xtics; unset ytics; unset border
	set label 2 'no TLB timings at this clock' at graph 0.5, graph 0.5 center
	set xrange [0:1]; set yrange [0:1]
	plot -1 notitle
}
unset multiplot
