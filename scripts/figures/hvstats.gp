# hvstats.gp - the hypervisor's own statistics, per exit reason: left, VMREADs and
# VMWRITEs per exit (what decides nested overhead, since each one exits to L0 when
# the hypervisor is itself a guest); right, handler time per exit. The hypervisor at
# the bottom (level 0) serving its own guest (from level 1): in a nested job L0 also
# counts the exits of L2, and L1 its own (nested.gp and the paper show those).
# data: hv.exits
# where: level=0 from_level=1
load dir.'common.gp'
own = " --where case=hv.exits --where level=0 --where from_level=1"
acc = "--rows reason --series job --value vmreads/count,vmwrites/count".own
tim = "--rows reason --series job --value ticks/count".own
n = nseries(acc, 2)
set multiplot layout 1,2 title 'Hypervisor exit statistics per exit reason' noenhanced
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.7 border -1
set yrange [0:*]
set xtics noenhanced rotate by -30
set key inside top left font ',7'
# Many jobs (a --full run): the key goes below the panels, in columns.
if (n > 4) { set key below maxrows 8 font ',6'; set bmargin 16 }
set ylabel 'VMCS accesses per exit'
plot for [i=0:n-1] q(acc) using (column(2+2*i)):xtic(1) title 'VMREAD '.columnhead(2+2*i), \
     for [i=0:n-1] q(acc) using (column(3+2*i)) title 'VMWRITE '.columnhead(2+2*i) fs pattern 4
unset label 1
set ylabel 'handler time per exit ('.clocklabel.')'
plot for [i=2:n+1] q(tim) using i:xtic(1) title columnhead(i)
unset multiplot
