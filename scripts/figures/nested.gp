# nested.gp - what one exit of L2 costs L0: L0's exits per L2 exit, by L2's exit
# reason, one panel per job (VMCS shadowing on, off), each bar stacked by cause: the
# L2 exit reflected to L1, then L1's VMREADs, VMWRITEs and VMRESUME that exit to L0
# (shadowing absorbs the VMCS accesses), and any other exit of L1's handler. A point
# marks l0_exits/l2_exits, the total the parts must add up to. From L0's hv.nested
# records; a shadowing setting the run has no records of is named in a note.
# data: hv.nested
load dir.'common.gp'
parts = 'reflected vmreads vmwrites vmresumes other'
sel = "--where case=hv.nested --where from_level=2"
args = "--rows reason --series job --value reflected/l2_exits,vmreads/l2_exits,vmwrites/l2_exits,vmresumes/l2_exits,other/l2_exits,l0_exits/l2_exits ".sel
n = nseries(args, 6)
head = system(table(args).' | head -n 1')
top = maxval(args)
missing = ''
do for [s in 'on off'] {
	if (int(system(table('--rows reason --series job --value l2_exits '.sel.' --where hv.shadow='.s).' 2>/dev/null | wc -l')) == 0) {
		missing = missing.(missing eq '' ? '' : '; ').'VMCS shadowing '.s
	}
}
set multiplot layout 1,n title 'L0 exits per exit of L2, by exit reason and cause' noenhanced
set style data histogram
set style histogram rowstacked gap 1
set style fill solid 0.7 border -1
set boxwidth 0.7
set yrange [0:top * 1.1 + 0.1]
set xtics noenhanced rotate by -30
set ylabel 'L0 exits per L2 exit'
set key inside top left font ',7'
do for [j=0:n-1] {
	set title word(head, 2 + 6*j) noenhanced
	if (j == 0 && missing ne '') {
		set label 2 'no data in this run: '.missing at graph 0.02, graph 0.7 left font ',8' noenhanced
	}
	plot for [k=0:4] q(args) using (column(2+6*j+k)):xtic(1) title word(parts, k+1), \
	     q(args) using 0:(column(7+6*j)) with points pt 7 ps 0.5 lc rgb 'black' title 'total'
	unset label 1
	unset label 2
	if (j == 0) { unset key }
}
unset multiplot
