# shellcheck shell=bash
# tests/integration/paper.bash - sourced by the paper tests (after lib.sh).

# pdf_text PDF: the text in the order LaTeX wrote it (-raw: a column at a time,
# where the default reading order can interleave two columns beside a float), lines
# joined and hyphenation undone, for grep.
pdf_text() { pdftotext -raw "$1" - | tr '\n' ' ' | sed 's/- //g; s/  */ /g'; }

# check_quotes CSV TEXT [HIDDEN]: every number the annotated PDF's TEXT quotes as
# [NAME=VALUE] is what its line in paper/numbers.txt yields on CSV (a query, or
# "=EXPR" on earlier lines' values), as often as the text uses it; a number CSV has
# no value for is not quoted at all (the text says what was not measured instead of
# n/a). The names in HIDDEN (a space-separated list) are in text the run's data
# leaves out, so they may go unquoted. Prints how many were checked.
check_quotes() {
	local csv=$1 quoted=$RUNS/quoted hidden=" ${3:-} " name digits expr where want n bad checked=0 total tok toks c
	local -A val=() tokens=() uses=()
	grep -o -E '\[[A-Za-z]+=[^] ]*\]' "$2" > "$quoted" || fail "no quoted number in the PDF"
	# Read once, not grepped per line of numbers.txt (forks are slow here): the
	# quoted [NAME=VALUE] tokens by name, in order, and how often the text uses each
	# \nbNAME outside comments.
	while read -r tok; do
		name=${tok#[} name=${name%%=*}
		tokens[$name]+="$tok "
	done < "$quoted"
	while read -r c name; do uses[${name#\\nb}]=$c; done < <(grep -v '^ *%' paper/nestbench.tex |
		grep -o -E '\\nb[A-Za-z]+' | sort | uniq -c)
	# Each query's answer, "VALUE EXACT" or "!", in order, from one collector run
	# (tests/integration/collect.sh checks "values" against "value" query by query).
	local -a answers
	local qi=0 e
	mapfile -t answers < <(awk 'NF && $1 !~ /^#/ && $3 !~ /^=/ { $1 = ""; print substr($0, 2) }' \
		paper/numbers.txt | build/host/collect values "$csv" 2> /dev/null)
	while read -r name digits expr where; do
		case "$name" in ''|'#'*) continue ;; esac
		if [ "${expr#=}" != "$expr" ]; then
			# (not in $(...): derive adds to val[])
			derive "$digits" "${expr#=}" > "$RUNS/derived" 2> /dev/null && want=$(cat "$RUNS/derived") || want=""
		else
			read -r want e <<< "${answers[qi++]:-!}"
			if [ "$want" = '!' ]; then want=""; else val[$name]=$e; fi
		fi
		read -r -a toks <<< "${tokens[$name]:-}"
		n=${#toks[@]}
		if [ -z "$want" ]; then
			[ "$n" = 0 ] || fail "\\nb$name has no value in $csv, but the PDF quotes it: ${toks[0]}"
			continue
		fi
		if [ "${hidden/ $name /}" = "$hidden" ]; then
			[ "$n" -ge 1 ] || fail "\\nb$name is in paper/numbers.txt and has a value, but the PDF does not quote it"
			# Each use the text makes of it is in the PDF (generated sentences may add more).
			[ "$n" -ge "${uses[$name]:-0}" ] || fail "\\nb$name: the text uses it ${uses[$name]:-0} times, the PDF shows $n"
		fi
		bad=""
		for tok in "${toks[@]}"; do [ "$tok" = "[$name=$want]" ] || { bad=$tok; break; }; done
		[ -z "$bad" ] || fail "the PDF quotes $bad; its line ($expr${where:+ where $where}) yields $want"
		checked=$((checked + n))
	done < paper/numbers.txt
	total=$(wc -l < "$quoted")
	[ "$checked" = "$total" ] || fail "the PDF quotes $total numbers, of which only $checked are in paper/numbers.txt"
	echo "$checked"
}

# section_names TITLE: the numbers the paper's section TITLE quotes.
section_names() {
	sed -n "/^\\\\section{$1}/,/^\\\\section{/p" paper/nestbench.tex | grep -v '^ *%' |
		grep -o '\\nb[A-Za-z]*' | sed 's/^\\nb//' | sort -u | tr '\n' ' '
}

# derive DIGITS EXPR: EXPR with each name replaced by its value in val[], the test's
# own evaluation of a derived line; its unrounded value joins val[] under $name.
derive() {
	local e=$2 n v
	while read -r n; do
		[ -n "${val[$n]:-}" ] || return 1
		e=$(sed -E "s/(^|[^A-Za-z0-9])$n([^A-Za-z0-9]|\$)/\1(${val[$n]})\2/g" <<<"$e")
	done < <(grep -o '[A-Za-z][A-Za-z0-9]*' <<<"$e" | sort -u)
	v=$(awk "BEGIN { printf \"%.17g\", $e }") && [[ "$v" =~ ^-?[0-9.]+(e[-+][0-9]+)?$ ]] || return 1
	val[$name]=$v
	awk -v v="$v" -v d="$1" 'BEGIN { printf "%.*f\n", d, v }'
}
