# Shared by benchmarks/ab.sh and benchmarks/inproc-ab.sh (sourced, not run): each run's values per jar and,
# at the end, their medians. The caller sets root, calls ab_args, and sets fields=(...) (the names of a run's
# values, in order).

# ab_args <usage-lines> "$@": SIZE COUNT ROUNDS JAR... into size, count, rounds and jars=(...); helper (this build's
# perf jar, for ThreadCpu) and java_opts (PERF_JAVA_OPTS, compare.sh's flags by default). Prints the script's
# usage (its lines <usage-lines>, a sed range) and exits when fewer than four arguments are given.
ab_args() {
    local usage=$1
    shift
    (( $# >= 4 )) || { sed -n "${usage}p" "$0"; exit 1; }
    size=$1 count=$2 rounds=$3
    shift 3
    jars=("$@")
    helper=$root/benchmarks/target/zmq-perf.jar
    read -r -a java_opts <<< "${PERF_JAVA_OPTS:--Xms512m -Xmx512m -XX:+UseParallelGC}"
}

declare -A results # key "<jar>,<field>": values of every round

# median: the median of the numbers on stdin (NA when there are none, as for a field a run could not measure)
median() { tr ' ' '\n' | { grep -E '^[0-9.]+$' || true; } | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "NA"; else printf "%.10g\n", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# record <jar> <value>...: one run's values, in the order of fields (a missing one counts as NA)
record() {
    local jar=$1 f
    shift
    local values=("$@")
    for (( f = 0; f < ${#fields[@]}; f++ )); do results[$jar,${fields[f]}]+="${values[f]:-NA} "; done
}

# print_medians <printf format> <size> <count>: one line per jar; the format takes the jar's name, the size,
# the count, then the median of each field
print_medians() {
    local format=$1 size=$2 count=$3 jar f med
    for jar in "${jars[@]}"; do
        med=()
        for f in "${fields[@]}"; do med+=("$(median <<< "${results[$jar,$f]}")"); done
        # shellcheck disable=SC2059 # the format is the caller's
        printf "$format" "$(basename "$jar" .jar)" "$size" "$count" "${med[@]}"
    done
}
