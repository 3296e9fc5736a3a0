# Sourced by ./mvnw and ./mediasec (POSIX sh). Finds a JDK >= 21 and exports JAVA_HOME.
# Order: $JAVA_HOME, the `java` on PATH, then the usual install folders (newest first).
# Fails with one line that says what to install when there is none.

mediasec_jdk_major() {
  # prints the feature version of the JDK at $1 (empty when it is no JDK); read from its `release` file (every JDK
  # since 9 has one: JAVA_VERSION="25.0.3", "1.8.0_402" for 8), which costs nothing, where starting the JVM to ask
  # it costs about 0.1 s per candidate (a fifth of the demo's start-up on a machine with four JDKs)
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  if [ -r "$1/release" ]; then
    version=$(sed -n 's/^JAVA_VERSION="\(1\.\)\{0,1\}\([0-9][0-9]*\).*/\2/p' "$1/release" | head -n 1)
    if [ -n "$version" ]; then
      printf '%s\n' "$version"
      return 0
    fi
  fi
  "$1/bin/java" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

mediasec_find_jdk() {
  need=21
  candidates=""
  [ -n "${JAVA_HOME-}" ] && candidates="$JAVA_HOME"
  if command -v java >/dev/null 2>&1; then
    javabin=$(command -v java)
    javabin=$(readlink -f "$javabin" 2>/dev/null || printf %s "$javabin")
    candidates="$candidates ${javabin%/bin/java}"
  fi
  # mvnw runs with `set -f`: globbing is needed here
  case $- in *f*) noglob=1; set +f ;; *) noglob=0 ;; esac
  for dir in /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.jdks/* "$HOME"/.sdkman/candidates/java/*; do
    [ -d "$dir" ] && candidates="$candidates $dir"
  done
  [ "$noglob" = 1 ] && set -f
  best="" best_major=0
  for dir in $candidates; do
    major=$(mediasec_jdk_major "$dir")
    [ -n "$major" ] || continue
    # $JAVA_HOME wins when it is new enough; otherwise take the newest found
    if [ "$dir" = "${JAVA_HOME-}" ] && [ "$major" -ge "$need" ]; then best="$dir"; best_major=$major; break; fi
    if [ "$major" -gt "$best_major" ]; then best="$dir"; best_major=$major; fi
  done
  if [ "$best_major" -lt "$need" ]; then
    echo "mediasec needs a JDK >= $need (found none in JAVA_HOME, PATH or /usr/lib/jvm): install one, e.g. Temurin 21 or 25, and set JAVA_HOME." >&2
    return 1
  fi
  JAVA_HOME="$best"
  export JAVA_HOME
}
