package org.mediasec.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.mediasec.bearer.BearerEvent;
import org.mediasec.bearer.ReleaseReason;
import org.mediasec.gateway.context.ContextTable;
import org.mediasec.gateway.context.UsablePorts;
import org.mediasec.gateway.notify.BearerReasons;
import org.mediasec.h248.message.Command;
import org.mediasec.h248.message.ErrorDescriptor;

/**
 * The gateway's operator metrics (TCP-10: reported to operators, not to the MGC): contexts, terminations, open
 * bearers and ports in use (gauges); H.248 commands by command and result; bearer releases and TLS handshake
 * failures by reason; bytes relayed. Thread-safe; counters are looked up once per name and tags.
 */
public final class GatewayMetrics {

    private final MeterRegistry meters;
    private final AtomicInteger bearersOpen = new AtomicInteger();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public GatewayMetrics(MeterRegistry meters, ContextTable contexts, UsablePorts ports) {
        this.meters = meters;
        Gauge.builder("mediasec.contexts", contexts, ContextTable::size).description("contexts in the gateway").register(meters);
        Gauge.builder("mediasec.terminations", contexts, ContextTable::terminations).description("terminations in contexts").register(meters);
        Gauge.builder("mediasec.bearers.open", bearersOpen, AtomicInteger::get).description("relay pairs open").register(meters);
        Gauge.builder("mediasec.ports.in.use", ports, UsablePorts::inUse).description("bearer ports allocated").register(meters);
    }

    public void command(Command command, Optional<ErrorDescriptor> error) {
        String name = command.getClass().getSimpleName();
        String result = error.map(e -> Integer.toString(e.code())).orElse("ok");
        counter("mediasec.h248.commands", "command", name, "result", result).increment();
    }

    /** A relay pair opened; {@link #bearerReleased} follows once. */
    public void bearerOpened() {
        bearersOpen.incrementAndGet();
    }

    public void bearerReleased(BearerEvent.Released released, long octets) {
        bearersOpen.decrementAndGet();
        counter("mediasec.bearer.bytes").increment(octets);
        String reason = BearerReasons.reason(released.reason());
        counter("mediasec.bearer.releases", "reason", reason).increment();
        if (released.reason() == ReleaseReason.TLS_HANDSHAKE_FAILED || released.reason() == ReleaseReason.HANDSHAKE_TIMEOUT) {
            counter("mediasec.tls.handshake.failures", "reason", reason).increment();
        }
    }

    /** TCP-9, TCP-4: a connection to a leg's port was refused (unexpected source, or before the establish signal). */
    public void connectionRefused() {
        counter("mediasec.bearer.connections.refused").increment();
    }

    /** TLS-4: a connection to a passive TLS leg failed its handshake; the leg kept listening (SEC-2 impostor). */
    public void handshakeRefused() {
        counter("mediasec.bearer.handshakes.refused").increment();
    }

    public int bearersOpen() {
        return bearersOpen.get();
    }

    private Counter counter(String name, String... tags) {
        return counters.computeIfAbsent(name + String.join("|", tags), key -> meters.counter(name, tags));
    }
}
