#!/bin/sh
# Fails when a run of N (default 6) identical Swift lines appears in two notebooks: shared code
# belongs in the library (Sources/BackMap, Sources/NotebookSupport), not copied between pages.
#
# Usage: Scripts/check-notebook-duplicates.sh [NOTEBOOK_FOLDER] [N]
# Lines are compared with surrounding white space removed; blank lines are skipped. Only fenced
# blocks whose info string starts with `swift` count.
set -eu
folder=${1:-Notebooks}
run=${2:-6}
windows=$(mktemp)
trap 'rm -f "$windows"' EXIT
for notebook in "$folder"/*.md; do
    awk -v name="$(basename "$notebook")" -v run="$run" '
        /^```/ {
            if (inside) { inside = 0; next }
            if ($0 ~ /^```swift/) { inside = 1; count = 0; next }
        }
        inside {
            line = $0
            gsub(/^[ \t]+|[ \t]+$/, "", line)
            if (line == "") next
            count++
            lines[count] = line
            numbers[count] = NR
            if (count >= run) {
                window = lines[count - run + 1]
                for (i = count - run + 2; i <= count; i++) window = window " \342\220\244 " lines[i]
                print name "\t" numbers[count - run + 1] "\t" window
            }
        }
    ' "$notebook"
done | sort -t "$(printf '\t')" -k3,3 -k1,1 > "$windows"
# A window is shared when it occurs in two different files.
duplicates=$(awk -F '\t' '
    { if ($3 == previous && $1 != previousFile) { print previousFile ":" previousLine " and " $1 ":" $2 ": " $3 }
      previous = $3; previousFile = $1; previousLine = $2 }
' "$windows" | sort -u)
if [ -n "$duplicates" ]; then
    echo "Swift lines repeated across notebooks (runs of $run identical lines):" >&2
    echo "$duplicates" >&2
    exit 1
fi
echo "no run of $run identical Swift lines appears in two notebooks of $folder"
