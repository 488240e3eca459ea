# vmexit.gp - VM-exit round trip per exit reason, one bar per platform/level/EPT
# configuration: the median, with min-max whiskers over the repetitions. Levels 0 and
# 1 only: a nested level's path is tens of times longer and would flatten these bars
# (levels.gp sets all levels side by side on a log axis).
# data: vmexit.*
# where: level=[01]
load dir.'common.gp'
args = "--rows case --series job --value median,min,max --where case=vmexit.* --where 'level=[01]'"
n = nseries(args, 3)
set title 'VM-exit round trip by exit reason (median, min-max whiskers)' noenhanced
set ylabel 'round trip ('.clocklabel.')'
set style data histogram
set style histogram errorbars gap 1 lw 1
set style fill solid 0.7 border -1
set yrange [0:*]
set xtics noenhanced rotate by -25
set key title 'job (platform-model-level-options)'
plot for [i=0:n-1] q(args) using (column(2+3*i)):(column(3+3*i)):(column(4+3*i)):xtic(1) \
	title columnhead(2+3*i)
