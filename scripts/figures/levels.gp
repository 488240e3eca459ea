# levels.gp - VM-exit round trip per exit reason at every level under Bochs, side by
# side: level 0 (bare), 1 (our hypervisor), 2 (it under itself, VMCS shadowing on and
# off) and 3. One clock only, Bochs's emulated instructions, so the levels share an
# axis; log y, since each level multiplies the path. The bars are the default CPU
# model's jobs (bochs-l*); a level the run has no records of is named in a note,
# never drawn as zero.
# data: vmexit.*
# where: platform=bochs
load dir.'common.gp'
sel = "--where 'case=vmexit.*' --where platform=bochs --where 'job=bochs-l*'"
args = "--rows case --series job --value median ".sel
n = nseries(args, 1)
missing = ''
do for [l=0:3] {
	if (int(system(table('--rows case --series job --value median '.sel.sprintf(' --where level=%d', l)).' 2>/dev/null | wc -l')) == 0) {
		missing = missing.(missing eq '' ? '' : ', ').l
	}
}
set title 'VM-exit round trip by exit reason at each level (median, '.clocklabel.')' noenhanced
set ylabel 'round trip ('.clocklabel.', log scale)'
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.7 border -1
set logscale y
set yrange [0.5:*]
set xtics noenhanced rotate by -25
set key title 'job (level in its name)'
if (missing ne '') {
	set label 2 'no data in this run for level '.missing at graph 0.02, graph 0.95 left font ',8' noenhanced
}
plot for [i=2:n+1] q(args) using i:xtic(1) title columnhead(i)
