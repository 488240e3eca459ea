# ptevents.gp - shadow paging against EPT: what each page-table event costs one level
# down (pt.*: the event and the read after it), the hypervisor's exits per event, and
# the TLB-miss penalty (tlb.chase, 4K guest pages, at the largest span), one bar per
# job: EPT with 4K pages and, when the run has it, shadow paging. A job the run has
# no records of at this clock is left out, and a note says so.
# data: pt.*
load dir.'common.gp'
jobs = 'bochs-l1-ept_4k bochs-l1-paging_shadow'
# ran(job): whether this clock has pt.* records of the job (job is a constant above).
ran(job) = int(system(sprintf('"$NB_COLLECT" distinct "$NB_CSV" --col job --where "clock=$NB_CLOCK" --where ''case=pt.*'' --where ''job=%s'' 2>/dev/null | wc -l', job)))
present = ''
missing = ''
do for [j in jobs] {
	if (ran(j) > 0) { present = present.' '.j } else { missing = missing.' '.j }
}
ev(job) = sprintf("--rows case --series job --value median --where case=pt.* --where job=%s", job)
ex(job) = sprintf("--rows case --series job --value exits --where case=pt.* --where job=%s", job)
tlb(job) = sprintf("--rows p.page --series job --value median --where case=tlb.chase --where p.page=4K --where job=%s --pick max:p.span:bytes", job)
if (present eq '') {
	# Another platform's pt.* records (native, bare): not this figure's jobs.
	unset xtics; unset ytics; unset border
	set label 2 'no records of'.missing.' at this clock' at graph 0.5, graph 0.5 center noenhanced
	set xrange [0:1]; set yrange [0:1]
	plot -1 notitle
	exit
}
if (missing ne '') { set label 3 'no data in this run:'.missing at screen 0.99, screen 0.07 right font ',7' noenhanced }
set multiplot layout 1,3 title 'Page-table events one level down, shadow paging against EPT ('.clocklabel.')' noenhanced
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.7 border -1
set xtics noenhanced rotate by -30 font ',7'
set key inside top left font ',7'
set yrange [0:*]
set ylabel 'event and the read after it'
plot for [j in present] q(ev(j)) using 2:xtic(1) title columnhead(2)
unset label 1
unset label 3
set ylabel 'hypervisor exits per event'
# A panel whose every value is 0 (EPT's exits; Bochs charges no instructions for a
# TLB miss) gets a note instead of looking empty.
z = 1
do for [j in present] { if (maxval(ex(j)) != 0) { z = 0 } }
if (z) {
	set label 2 'no exits' at graph 0.5, graph 0.6 center
	set yrange [-1:1]
}
plot for [j in present] q(ex(j)) using 2:xtic(1) title columnhead(2)
unset label 2
set yrange [0:*]
set ylabel 'TLB-miss penalty per access (4K pages)'
m = 0
do for [j in present] { if (has('tlb.chase') > 0 && words(system(table(tlb(j)))) > 2) { m = m + 1 } }
if (m > 0) {
	z = 1
	do for [j in present] { if (words(system(table(tlb(j)))) > 2 && maxval(tlb(j)) != 0) { z = 0 } }
	if (z) {
		set label 2 'every median is 0' at graph 0.5, graph 0.6 center
		set yrange [-1:1]
	}
	plot for [j in present] q(tlb(j)) using 2:xtic(1) title columnhead(2)
} else {
	unset xtics; unset ytics; unset border
	set label 2 'no TLB timings at this clock' at graph 0.5, graph 0.5 center
	set xrange [0:1]; set yrange [0:1]
	plot -1 notitle
}
unset multiplot
