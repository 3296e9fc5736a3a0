package org.mediasec.controller.ngcall;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.mediasec.ng.message.NgReply;

/**
 * The controller's operator metrics for its ng port, in the gateway's style: calls held (gauge), ng requests by
 * command and result with their handling time, calls started and ended by why, offers and answers refused by SIP
 * status. Thread-safe; meters are looked up once per name and tags.
 */
public final class NgCallMetrics {

    private final MeterRegistry meters;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final LongAdder started = new LongAdder();
    private final LongAdder refusals = new LongAdder();

    public NgCallMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    void watch(NgCallHandler handler) {
        Gauge.builder("mediasec.ng.calls", handler, NgCallHandler::callCount).description("calls held for the SIP proxy").register(meters);
    }

    void request(String command, NgReply reply, long nanos) {
        String result = switch (reply) {
            case NgReply.Ok ok -> ok.warning().isPresent() ? "warning" : "ok";
            case NgReply.Pong pong -> "pong";
            case NgReply.Error error -> "error";
            case NgReply.LoadLimit limit -> "load limit";
            case null -> "failed";
        };
        counter("mediasec.ng.requests", "command", command, "result", result).increment();
        timers.computeIfAbsent(command, name -> Timer.builder("mediasec.ng.request.duration").tag("command", name).register(meters))
                .record(Duration.ofNanos(nanos));
    }

    void callStarted() {
        started.increment();
        counter("mediasec.ng.calls.started").increment();
    }

    /** {@code why}: delete, media plane, refused. */
    void callEnded(String why) {
        counter("mediasec.ng.calls.ended", "reason", why).increment();
    }

    void refused(int sipStatus) {
        refusals.increment();
        counter("mediasec.ng.refused", "status", Integer.toString(sipStatus)).increment();
    }

    long callsStarted() {
        return started.sum();
    }

    long refusals() {
        return refusals.sum();
    }

    private Counter counter(String name, String... tags) {
        return counters.computeIfAbsent(name + String.join("|", tags), key -> meters.counter(name, tags));
    }
}
