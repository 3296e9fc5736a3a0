#!/usr/bin/env bash
# Long fuzzing (issue 24): every Jazzer @FuzzTest of the project, or those named, for a given time each, with a
# persistent corpus under it/fuzz-corpus/<module>/<class>/<method>/ that each run starts from and adds to.
#
#   it/fuzz-long.sh 600                              # ten minutes on each target
#   it/fuzz-long.sh 300 H248ParserFuzzTest SdpParserFuzzTest
#
# Jazzer's JUnit runner keeps what it finds in <module>/.cifuzz-corpus/<class>/<method>/ (not configurable): the
# script copies the persistent corpus there before the run and the grown corpus back after it. A finding fails the
# run; Jazzer writes it as crash-<sha1> into the seed folder (src/test/resources/...Inputs/<method>/), where it
# stays as a regression seed. Results: one line per target in it/target/fuzz-long/results.tsv (target, seconds,
# executions, coverage, corpus size, outcome), the whole libFuzzer output beside it.
# Needs the modules installed once: ./mvnw -q install -DskipTests -Dfuzz.skip=true
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:?usage: it/fuzz-long.sh <seconds per target> [FuzzTest class ...]}
shift
out="$root/it/target/fuzz-long"
mkdir -p "$out"
results="$out/results.tsv"
[ -f "$results" ] || printf 'target\tseconds\texecutions\tcoverage\tcorpus\toutcome\n' > "$results"
cd "$root"
mapfile -t files < <(find . -path '*/src/test/java/*' -name '*FuzzTest.java' -not -path './it/target/*' | sort)
status=0
for file in "${files[@]}"; do
  module=$(echo "$file" | cut -d/ -f2)
  class=$(basename "$file" .java)
  if [ $# -gt 0 ] && ! printf '%s\n' "$@" | grep -qx "$class"; then continue; fi
  fqcn=$(echo "$file" | sed -e 's|^\./[^/]*/src/test/java/||' -e 's|\.java$||' -e 's|/|.|g')
  method=$(grep -A3 '@FuzzTest' "$file" | grep -oE 'void [a-zA-Z0-9_]+' | head -1 | cut -d' ' -f2)
  kept="$root/it/fuzz-corpus/$module/$fqcn/$method"
  working="$root/$module/.cifuzz-corpus/$fqcn/$method"
  mkdir -p "$kept" "$working"
  cp -n "$kept"/. "$working"/ -r 2>/dev/null || true
  log="$out/$class.log"
  echo "fuzzing $fqcn.$method for $seconds s (corpus: $(ls "$working" | wc -l) inputs)"
  # only the fuzz execution (the regression replay runs in the normal build)
  if ./mvnw -o -pl "$module" test-compile surefire:test@fuzz -Dtest="$class" -Dfuzz.seconds="$seconds" \
      -Dsurefire.failIfNoSpecifiedTests=false > "$log" 2>&1; then outcome=passed; else outcome=FAILED; status=1; fi
  report="$root/$module/target/surefire-reports/$fqcn-output.txt"
  [ -f "$report" ] && cat "$report" >> "$log"
  runs=$(grep -oE 'Done [0-9]+ runs' "$log" | tail -1 | grep -oE '[0-9]+' || echo '?')
  coverage=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo '?')
  cp -n "$working"/. "$kept"/ -r 2>/dev/null || true
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$fqcn.$method" "$seconds" "$runs" "$coverage" "$(ls "$kept" | wc -l)" "$outcome" | tee -a "$results"
done
exit $status
