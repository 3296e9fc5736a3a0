package org.mediasec.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The gateway's YAML configuration ({@code mediasec gateway --config FILE}); every key is optional, the defaults
 * being the embedded one-machine setup. Unknown keys are errors. See docs/gateway.md for the reference.
 */
record GatewaySettings(
        @JsonProperty("profile") String profile,
        @JsonProperty("control") Control control,
        @JsonProperty("mgcs") List<String> mgcs,
        @JsonProperty("realms") List<Realm> realms,
        @JsonProperty("tls") Tls tls,
        @JsonProperty("limits") Limits limits,
        @JsonProperty("metrics") Metrics metrics) {

    record Control(@JsonProperty("address") String address, @JsonProperty("port") Integer port, @JsonProperty("transport") String transport,
            @JsonProperty("version") Integer version, @JsonProperty("longTimerMs") Integer longTimerMs,
            @JsonProperty("inactivityTimeoutMs") Integer inactivityTimeoutMs, @JsonProperty("unknownPeers") UnknownPeers unknownPeers,
            @JsonProperty("protectedNetwork") Boolean protectedNetwork, @JsonProperty("tls") ControlTls tls) {}

    /** What a source that is no configured MGC gets: {@code drop} (nothing) or {@code 402}, at most so many a second. */
    record UnknownPeers(@JsonProperty("answer") String answer, @JsonProperty("repliesPerSecond") Integer repliesPerSecond) {}

    /** The control link over TLS 1.3: our certificate (generated when absent) and the MGCs' pinned fingerprints. */
    record ControlTls(@JsonProperty("certificate") String certificate, @JsonProperty("key") String key,
            @JsonProperty("mgcFingerprints") List<String> mgcFingerprints) {}

    /** {@code passiveSource}: which source a passive leg admits, {@code exact}, {@code address} (default) or {@code latch}. */
    record Realm(@JsonProperty("name") String name, @JsonProperty("address") String address, @JsonProperty("ports") String ports,
            @JsonProperty("allowRemote") List<String> allowRemote, @JsonProperty("passiveSource") String passiveSource) {}

    record Tls(@JsonProperty("default") String defaultDomain, @JsonProperty("domains") List<Domain> domains) {}

    record Domain(@JsonProperty("name") String name, @JsonProperty("provider") String provider, @JsonProperty("certificate") String certificate,
            @JsonProperty("key") String key, @JsonProperty("protocols") List<String> protocols, @JsonProperty("cipherSuites") List<String> cipherSuites,
            @JsonProperty("fingerprintHash") String fingerprintHash, @JsonProperty("certificatePerStream") Boolean certificatePerStream,
            @JsonProperty("resumption") Boolean resumption, @JsonProperty("handshakeTimeoutSeconds") Integer handshakeTimeoutSeconds) {}

    /**
     * {@code eventLoops}: the bearer plane's event loop threads (0 or absent: Netty's default, twice the cores);
     * {@code passiveWindowSeconds}: a passive TLS leg's connect window, in seconds, fractions allowed (absent: the
     * connect timeout).
     */
    record Limits(@JsonProperty("maxContexts") Integer maxContexts, @JsonProperty("pairBufferBytes") Integer pairBufferBytes,
            @JsonProperty("earlyDataBytes") Integer earlyDataBytes, @JsonProperty("idleTimeoutSeconds") Integer idleTimeoutSeconds,
            @JsonProperty("connectTimeoutSeconds") Integer connectTimeoutSeconds, @JsonProperty("eventLoops") Integer eventLoops,
            @JsonProperty("passiveWindowSeconds") Double passiveWindowSeconds) {}

    /** The Prometheus endpoint ({@code /metrics}); port 0 turns it off. */
    record Metrics(@JsonProperty("address") String address, @JsonProperty("port") Integer port) {}

    static GatewaySettings empty() {
        return new GatewaySettings(null, null, null, null, null, null, null);
    }
}
