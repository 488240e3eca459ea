# tlb.gp - TLB-miss penalty against the span the chased lines cover, one line per
# (platform, level, guest page, EPT page) configuration; log x.
# data: tlb.chase
load dir.'common.gp'
args = "--rows p.span:bytes --series job,p.page --value median --where case=tlb.chase"
n = nseries(args, 1)
set title 'TLB-miss penalty against working-set span (median per access)' noenhanced
set xlabel 'span of the chased pages (bytes; one cache line per page)'
set ylabel 'miss penalty ('.clocklabel.' per access)'
set logscale x 2
set format x '%.0b%B'
set key title 'job/guest page'
if (maxval(args) == 0) {
	set label 2 'every median is 0 '.clocklabel at graph 0.5, graph 0.6 center
	set yrange [-1:1]
}
plot for [i=2:n+1] q(args) using 1:i with linespoints pt 7 ps 0.6 title columnhead(i)
