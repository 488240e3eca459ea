#!/usr/bin/env bash
# The repository stands alone: no file sends its reader to notes outside it (a design
# brief, a sibling folder) or to an issue tracker by number, and every relative link
# of README.md and docs/*.md leads to a file that exists. results/ holds raw run logs,
# never edited, and docs/ may name what it likes; both are left out of the first check.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

# Spelled in pieces, so that this file does not match itself.
outside='DESIGN''[.]md|[.][.]/shared'
issue='\bissue''s? #?[0-9]+'

if git rev-parse --git-dir > /dev/null 2>&1; then
	git ls-files -z --cached --others --exclude-standard
else
	find . -path ./.git -prune -o -path ./build -prune -o -type f -printf '%P\0'
fi | grep -z -v -E '^(results|docs)/' > "$RUNS/files"

bad=0
# -s: a file deleted from the work tree but still in the index is no error.
xargs -0 grep -s -I -n -H -E -- "$outside" < "$RUNS/files" > "$RUNS/hits"
xargs -0 grep -s -I -n -H -i -E -- "$issue" < "$RUNS/files" >> "$RUNS/hits"
if [ -s "$RUNS/hits" ]; then cat "$RUNS/hits"; bad=1; fi
[ $bad = 0 ] || fail "the lines above refer to notes outside the repository or to issue numbers"

# The anchors of a Markdown file's headings, one a line, as GitHub makes them: lower
# case, punctuation other than '-' and '_' dropped, spaces as '-'.
anchors() {
	sed -n -E 's/^#+ +//p' "$1" | tr '[:upper:]' '[:lower:]' | sed -E 's/[^a-z0-9 _-]//g; s/ /-/g'
}

# Relative links: [text](target) with no scheme; FILE#anchor and #anchor must name a
# heading of that file.
[ -d docs ] || fail "there is no docs/ folder"
links=0
for md in README.md docs/*.md; do
	dir=$(dirname "$md")
	while IFS= read -r target; do
		case "$target" in ''|*://*|mailto:*) continue ;; esac
		file=${target%%#*} anchor=""
		[ "$file" = "$target" ] || anchor=${target#*#}
		if [ -z "$file" ]; then path=$md; else path=$dir/$file; fi
		links=$((links + 1))
		if [ ! -e "$path" ]; then
			echo "$md: link to $target: no such file"; bad=1
		elif [ -n "$anchor" ] && ! anchors "$path" | grep -q -x -F -- "$anchor"; then
			echo "$md: link to $target: no such heading in $path"; bad=1
		fi
	done < <(grep -o -E '\]\([^) ]+\)' "$md" | sed -E 's/^\]\((.*)\)$/\1/')
done
[ $bad = 0 ] || fail "broken relative links above"

# Every page of docs/ is reachable from README.md.
for page in docs/*.md; do
	grep -q -F "]($page" README.md || fail "README.md does not link to $page"
done
echo "ok: $(tr -cd '\0' < "$RUNS/files" | wc -c) files free of outside references, $links relative links resolve"
