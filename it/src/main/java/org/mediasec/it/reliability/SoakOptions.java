package org.mediasec.it.reliability;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.mediasec.it.harness.NamedOptions;

/**
 * The soak's options ({@code --name value} pairs; every one has a default, the CI short form's):
 * <pre>
 * --sessions 500          concurrent calls held open (each slot replaces its call as soon as it ends)
 * --hold-seconds 10       mean call duration (each call 0.5 to 1.5 times it); churn = sessions / hold calls/s
 * --seconds 60            how long the load runs (the calls then end, and the gateway is watched going back)
 * --sample-seconds 10     between two samples of the gateway
 * --chunk-bytes 256       each call sends this much each way (a fax call: one UDPTL datagram, at most 400 octets) ...
 * --chunk-millis 1000     ... this often, and checks it byte for byte
 * --ramp-per-second 200   calls started per second at most while the population builds up
 * --event-loops 0         the gateway's bearer event loops (0: Netty's default)
 * --first-port 10000      the gateway's first bearer port (another soak on the machine needs a range of its own)
 * --mix tcp,bfcp,e2ae,tls,udptl
 *                         the calls' kinds in turn ({@link SoakStream}): MSRP over TCP, BFCP over TCP, e2ae TLS to
 *                         TCP, TLS to TLS, T.38 fax UDPTL in DTLS to UDPTL ({@code fax} also names it)
 * --out target/soak       summary.txt, samples.csv, soak.svg, the gateway's log
 * </pre>
 */
record SoakOptions(int sessions, Duration hold, Duration duration, Duration sampleEvery, int chunkBytes, Duration chunkEvery, int rampPerSecond,
        int eventLoops, List<SoakStream> mix, Path out, int firstPort) {

    private static final Map<String, String> DEFAULTS = Map.ofEntries(Map.entry("--sessions", "500"), Map.entry("--hold-seconds", "10"),
            Map.entry("--seconds", "60"), Map.entry("--sample-seconds", "10"), Map.entry("--chunk-bytes", "256"), Map.entry("--chunk-millis", "1000"),
            Map.entry("--ramp-per-second", "200"), Map.entry("--event-loops", "0"), Map.entry("--first-port", "10000"), Map.entry("--mix", "tcp,bfcp,e2ae,tls,udptl"),
            Map.entry("--out", "target/soak"));

    SoakOptions {
        mix = List.copyOf(mix);
        if (sessions < 1 || hold.isNegative() || hold.isZero() || duration.isZero() || sampleEvery.isZero() || chunkBytes < 1 || chunkEvery.isZero()
                || rampPerSecond < 1 || eventLoops < 0 || firstPort < 1 || firstPort > 65535) {
            throw new IllegalArgumentException("bad soak options: " + sessions + " sessions, hold " + hold + ", " + duration);
        }
    }

    static SoakOptions parse(String... args) {
        NamedOptions options = NamedOptions.parse(DEFAULTS, args);
        return new SoakOptions(options.number("--sessions"), options.seconds("--hold-seconds"), options.seconds("--seconds"),
                options.seconds("--sample-seconds"), options.number("--chunk-bytes"), options.millis("--chunk-millis"),
                options.number("--ramp-per-second"), options.number("--event-loops"), SoakStream.mix(options.text("--mix")), options.path("--out"),
                options.number("--first-port"));
    }

    /** Calls started per second once the population stands: every slot ends its call after a mean hold. */
    double churnPerSecond() {
        return sessions / (hold.toNanos() / 1e9);
    }
}
