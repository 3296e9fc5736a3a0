package org.mediasec.app;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.mediasec.bearer.tls.SelfSignedCertificate;
import org.mediasec.gateway.GatewayServer;
import org.mediasec.h248.message.MessageId;
import org.mediasec.h248stack.transaction.TransactionTimers;
import org.mediasec.h248stack.transport.CertificatePin;
import org.mediasec.h248stack.transport.EndpointLimits;
import org.mediasec.h248stack.transport.TlsLink;
import org.mediasec.h248stack.transport.UnknownPeers;

/**
 * The {@code control} section of the gateway's YAML, resolved: transport (udp, tcp, tls), the Annex D LONG-TIMER, the
 * provisioned inactivity timer (H.248.14), what strangers get (SEC-1), and the TLS link's certificate and pins.
 */
final class ControlSettings {

    /** Annex D.1: the first retransmission, and the cap of the back-off (lowered to LONG-TIMER when that is shorter). */
    private static final Duration INITIAL_RETRANSMISSION = Duration.ofMillis(500);
    private static final Duration MAX_RETRANSMISSION = Duration.ofSeconds(4);
    /** LONG-TIMER by default (H.248.1 D.1.3 leaves it to the implementation; 30 s is the usual figure). */
    private static final int DEFAULT_LONG_TIMER_MS = 30_000;
    /** H.248.1 E.2 root/MGProvisionalResponseTimerValue and MGOriginatedPendingLimit as we use them. */
    private static final Duration PROVISIONAL_RESPONSE = Duration.ofSeconds(2);
    private static final int PENDING_LIMIT = 10;
    /** Registration and fail-over are tried again this often while no MGC accepts. */
    private static final Duration RETRY = Duration.ofSeconds(5);

    private ControlSettings() {}

    static GatewayServer.Control resolve(Optional<GatewaySettings.Control> section, List<InetSocketAddress> mgcs, Path dataDir)
            throws GatewayCommand.ConfigError {
        GatewaySettings.Control control = section.orElse(new GatewaySettings.Control(null, null, null, null, null, null, null, null, null));
        String transport = Optional.ofNullable(control.transport()).orElse("udp");
        if (!List.of("udp", "tcp", "tls").contains(transport)) {
            throw new GatewayCommand.ConfigError("control.transport", "'" + transport + "': udp, tcp or tls");
        }
        InetAddress address = GatewayCommand.address("control.address", Optional.ofNullable(control.address()).orElse("127.0.0.1"));
        int port = GatewayCommand.port("control.port", Optional.ofNullable(control.port()).orElse(2945));
        int version = Optional.ofNullable(control.version()).orElse(3);
        if (version < 1 || version > 3) {
            throw new GatewayCommand.ConfigError("control.version", version + ": H.248 versions 1 to 3");
        }
        int longTimerMs = Optional.ofNullable(control.longTimerMs()).orElse(DEFAULT_LONG_TIMER_MS);
        if (longTimerMs < INITIAL_RETRANSMISSION.toMillis()) {
            throw new GatewayCommand.ConfigError("control.longTimerMs", longTimerMs + " is below the first retransmission (" + INITIAL_RETRANSMISSION.toMillis() + " ms)");
        }
        Duration longTimer = Duration.ofMillis(longTimerMs);
        TransactionTimers timers = new TransactionTimers(INITIAL_RETRANSMISSION, MAX_RETRANSMISSION.compareTo(longTimer) > 0 ? longTimer : MAX_RETRANSMISSION,
                longTimer, PROVISIONAL_RESPONSE, PENDING_LIMIT);
        int inactivityMs = Optional.ofNullable(control.inactivityTimeoutMs()).orElse(0);
        if (inactivityMs < 0 || inactivityMs > 0 && inactivityMs < 10) {
            throw new GatewayCommand.ConfigError("control.inactivityTimeoutMs", inactivityMs + ": 0 (off) or at least 10 (H.248.14 counts tens of ms)");
        }
        Optional<Duration> inactivity = inactivityMs == 0 ? Optional.empty() : Optional.of(Duration.ofMillis(inactivityMs));
        GatewaySettings.UnknownPeers strangers = Optional.ofNullable(control.unknownPeers()).orElse(new GatewaySettings.UnknownPeers(null, null));
        String answer = Optional.ofNullable(strangers.answer()).orElse("drop");
        UnknownPeers unknownPeers = switch (answer) {
            case "drop" -> UnknownPeers.DROP;
            case "402" -> UnknownPeers.ANSWER_402;
            default -> throw new GatewayCommand.ConfigError("control.unknownPeers.answer", "'" + answer + "': drop or 402");
        };
        int perSecond = Optional.ofNullable(strangers.repliesPerSecond()).orElse(EndpointLimits.DEFAULT.unauthorizedRepliesPerSecond());
        if (perSecond < 0) {
            throw new GatewayCommand.ConfigError("control.unknownPeers.repliesPerSecond", perSecond + " is negative");
        }
        GatewayServer.Transport link = switch (transport) {
            case "udp" -> new GatewayServer.Transport.Udp(new InetSocketAddress(address, port));
            case "tcp" -> new GatewayServer.Transport.Tcp(Optional.empty());
            default -> new GatewayServer.Transport.Tcp(Optional.of(tls(Optional.ofNullable(control.tls()), dataDir)));
        };
        if (control.tls() != null && !transport.equals("tls")) {
            throw new GatewayCommand.ConfigError("control.tls", "only with transport: tls");
        }
        return new GatewayServer.Control(link, MessageId.ipv4(address.getHostAddress(), port), version, mgcs, timers, inactivity, unknownPeers,
                EndpointLimits.DEFAULT.withUnauthorizedRepliesPerSecond(perSecond), Boolean.TRUE.equals(control.protectedNetwork()), RETRY);
    }

    private static TlsLink tls(Optional<GatewaySettings.ControlTls> section, Path dataDir) throws GatewayCommand.ConfigError {
        GatewaySettings.ControlTls tls = section.orElseThrow(() -> new GatewayCommand.ConfigError("control.tls",
                "transport tls needs mgcFingerprints (the MGCs' certificate fingerprints, 'sha-256 AB:CD:…')"));
        List<String> fingerprints = Optional.ofNullable(tls.mgcFingerprints()).orElse(List.of());
        if (fingerprints.isEmpty()) {
            throw new GatewayCommand.ConfigError("control.tls.mgcFingerprints", "at least one MGC certificate fingerprint to pin");
        }
        Set<CertificatePin> pins = new HashSet<>();
        for (int i = 0; i < fingerprints.size(); i++) {
            try {
                pins.add(CertificatePin.parse(fingerprints.get(i)));
            } catch (IllegalArgumentException e) {
                throw new GatewayCommand.ConfigError("control.tls.mgcFingerprints[" + i + "]", e.getMessage());
            }
        }
        SelfSignedCertificate certificate;
        try {
            if (tls.certificate() != null || tls.key() != null) {
                if (tls.certificate() == null || tls.key() == null) {
                    throw new GatewayCommand.ConfigError("control.tls", "certificate and key go together");
                }
                certificate = SelfSignedCertificate.read(Path.of(tls.certificate()), Path.of(tls.key()));
            } else {
                certificate = SelfSignedCertificate.loadOrGenerate(dataDir.resolve("tls").resolve("control"), "mediasec control");
            }
        } catch (IOException | RuntimeException e) {
            throw new GatewayCommand.ConfigError("control.tls.certificate", e.getMessage());
        }
        return new TlsLink(certificate.key(), certificate.chain(), pins);
    }
}
