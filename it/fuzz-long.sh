#!/usr/bin/env bash
# Long fuzzing (issue 24): every Jazzer @FuzzTest of the project, or those named, for a given time each, with a
# persistent corpus under it/fuzz-corpus/<module>/<class>/<method>/ that each run starts from and adds to.
#
#   it/fuzz-long.sh 600                              # ten minutes on each target
#   it/fuzz-long.sh 300 H248ParserFuzzTest SdpParserFuzzTest
#   it/fuzz-long.sh 0                                # no fuzzing: only minimise the kept corpora
#
# Jazzer's JUnit runner keeps what it finds in <module>/.cifuzz-corpus/<class>/<method>/ (not configurable): the
# script copies the persistent corpus there before the run and the grown corpus back after it. A finding fails the
# run; Jazzer writes it as crash-<sha1> into the seed folder (src/test/resources/...Inputs/<method>/), where it
# stays as a regression seed. Results: one line per target in it/target/fuzz-long/results.tsv (target, seconds,
# executions, coverage, corpus size, outcome), the whole libFuzzer output beside it.
# After each run the kept corpus is minimised: libFuzzer's -merge=1, run by Jazzer's own driver on the @FuzzTest
# (the JUnit runner has no merge), keeps the smallest set of inputs that reaches every feature the corpus reached;
# inputs equal to a seed are dropped (the seeds replay anyway). The test classpath comes from the dependency plugin,
# which the first minimisation may download.
# Needs the modules installed once: ./mvnw -q install -DskipTests -Dfuzz.skip=true
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/.mvn/find-jdk.sh"
mediasec_find_jdk
seconds=${1:?usage: it/fuzz-long.sh <seconds per target> [FuzzTest class ...]}
shift
out="$root/it/target/fuzz-long"
mkdir -p "$out"
results="$out/results.tsv"
[ -f "$results" ] || printf 'target\tseconds\texecutions\tcoverage\tcorpus\toutcome\n' > "$results"
cd "$root"
mapfile -t files < <(find . -path '*/src/test/java/*' -name '*FuzzTest.java' -not -path './it/target/*' | sort)

# minimise <module> <class fqcn> <method> <kept corpus> <working corpus> <log>: replaces both corpora by the merge
minimise() {
  local module=$1 fqcn=$2 method=$3 kept=$4 working=$5 log=$6 classpath merged before seeds
  classpath="$out/$module.classpath"
  [ -s "$classpath" ] || ./mvnw -q -pl "$module" org.apache.maven.plugins:maven-dependency-plugin:3.9.0:build-classpath \
      -Dmdep.includeScope=test -Dmdep.outputFile="$classpath" >> "$log" 2>&1 || { echo "minimising $fqcn: no classpath (see $log)"; return 1; }
  merged=$(mktemp -d)
  before=$(ls "$kept" | wc -l)
  if ! (cd "$out" && "$JAVA_HOME/bin/java" -cp "$root/$module/target/test-classes:$root/$module/target/classes:$(cat "$classpath")" \
      com.code_intelligence.jazzer.Jazzer --target_class="$fqcn" --target_method="$method" --instrumentation_includes="org.mediasec.**" -merge=1 "$merged" "$kept") >> "$log" 2>&1; then
    echo "minimising $fqcn: the merge failed, the corpus is left as it was (see $log)"; rm -rf "$merged"; return 1
  fi
  # Jazzer adds the seed folder to the merge: drop what only repeats a seed (libFuzzer names inputs by their SHA-1)
  seeds="$root/$module/src/test/resources/$(echo "$fqcn" | tr . /)Inputs/$method"
  if [ -d "$seeds" ]; then
    find "$seeds" -type f -exec sha1sum {} + | cut -c1-40 | while read -r sum; do rm -f "$merged/$sum"; done
  fi
  if [ -z "$(ls "$merged")" ] && [ "$before" -gt 0 ]; then
    echo "minimising $fqcn: the merge kept nothing, the corpus is left as it was"; rm -rf "$merged"; return 1
  fi
  find "$kept" "$working" -mindepth 1 -maxdepth 1 -type f -delete
  cp "$merged"/. "$kept"/ -r 2>/dev/null || true
  cp "$merged"/. "$working"/ -r 2>/dev/null || true
  rm -rf "$merged"
  echo "minimised $fqcn.$method: $before inputs to $(ls "$kept" | wc -l)"
}

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
  : > "$log"
  runs='-' coverage='-' outcome=minimised
  if [ "$seconds" -gt 0 ]; then
    echo "fuzzing $fqcn.$method for $seconds s (corpus: $(ls "$working" | wc -l) inputs)"
    # only the fuzz execution (the regression replay runs in the normal build)
    if ./mvnw -o -pl "$module" test-compile surefire:test@fuzz -Dtest="$class" -Dfuzz.seconds="$seconds" \
        -Dsurefire.failIfNoSpecifiedTests=false > "$log" 2>&1; then outcome=passed; else outcome=FAILED; status=1; fi
    report="$root/$module/target/surefire-reports/$fqcn-output.txt"
    [ -f "$report" ] && cat "$report" >> "$log"
    runs=$(grep -oE 'Done [0-9]+ runs' "$log" | tail -1 | grep -oE '[0-9]+' || echo '?')
    coverage=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo '?')
    cp -n "$working"/. "$kept"/ -r 2>/dev/null || true
  fi
  minimise "$module" "$fqcn" "$method" "$kept" "$working" "$log" || { [ "$seconds" -gt 0 ] || status=1; }
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$fqcn.$method" "$seconds" "$runs" "$coverage" "$(ls "$kept" | wc -l)" "$outcome" | tee -a "$results"
done
exit $status
