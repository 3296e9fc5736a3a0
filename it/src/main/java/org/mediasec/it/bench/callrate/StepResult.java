package org.mediasec.it.bench.callrate;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One step of one system: the offered rate, what it sustained (calls that ended without error within the measured
 * window, per second), set-up latency, failed calls by kind, and where the machine's CPU went meanwhile: the
 * system's own processes per successful call, the load generator (this JVM, with our MGC and bearer clients), and
 * everything else on the machine (other engineers' work) in cores.
 *
 * @param offered calls per second started on schedule
 * @param calls calls started in the step (settling included)
 * @param examples for each kind of failure, the detail of its first call (the peer's error text)
 * @param maxSendLagMicros how late the generator started a call at worst (its latency counts from the intended time anyway)
 * @param refusals the requests the system refused in the step (settling and draining included) by the check that
 *     refused them, by its own account ({@link CallSystem#refusals()}); empty when it does not say
 */
record StepResult(String system, int offered, double sustained, long calls, SetUpLatency setUp, Map<String, Long> errors, Map<String, String> examples,
        double cpuMicrosPerCall,
        double generatorCores, double otherCores, long maxSendLagMicros, Map<String, Long> refusals) {

    StepResult {
        errors = Collections.unmodifiableMap(new TreeMap<>(errors));
        examples = Collections.unmodifiableMap(new TreeMap<>(examples));
        refusals = Collections.unmodifiableMap(new TreeMap<>(refusals));
    }

    long failed() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    double failedFraction() {
        return calls == 0 ? 0 : (double) failed() / calls;
    }

    String errorSummary() {
        return errors.isEmpty() ? "0" : failed() + " " + errors;
    }

    @Override
    public String toString() {
        return String.format("%-22s offered %6d/s  sustained %8.1f/s  set-up p50 %s  p99 %s  p99.9 %s  errors %s  cpu %.0f µs/call  generator %.2f cores  others %.2f cores  lag %d µs",
                system, offered, sustained, millis(setUp.p50Micros()), millis(setUp.p99Micros()), millis(setUp.p999Micros()), errorSummary(),
                cpuMicrosPerCall, generatorCores, otherCores, maxSendLagMicros)
                + (refusals.values().stream().allMatch(count -> count == 0) ? "" : "  by its own account (refused by check; retransmissions) " + refusals);
    }

    static String millis(long micros) {
        return micros < 0 ? "—" : String.format("%.2f ms", micros / 1000.0);
    }
}
