package org.mediasec.gateway.notify;

import java.util.Optional;
import org.mediasec.bearer.ReleaseReason;
import org.mediasec.h248.packages.TcpTlsPackageNames;
import org.mediasec.traceability.Implements;

/**
 * The one mapping from the bearer's release reasons to what the MGC hears (TLS-10, TLS-11, TCP-8): the failure
 * event of the TCP or TLS package with its {@code reason} parameter, or {@code nt/netfail} with {@code cs}. The
 * event names and the reason values are unverified (H.248.89 cl. 7, H.248.90 cl. 8 could not be read) and are listed
 * in docs/h248-profile.md; they change here only.
 */
@Implements("TLS-11")
public final class BearerReasons {

    private BearerReasons() {}

    /** The value of the failure event's {@code reason} parameter. */
    public static String reason(ReleaseReason reason) {
        return switch (reason) {
            case PEER_CLOSED -> "fin";
            case RESET -> "rst";
            case TLS_CLOSE_NOTIFY -> "close_notify";
            case TLS_HANDSHAKE_FAILED -> "handshake_failed";
            case TLS_ERROR -> "tls_alert";
            case HANDSHAKE_TIMEOUT -> "handshake_timeout";
            case IDLE_TIMEOUT -> "idle_timeout";
            case EARLY_DATA_OVERFLOW -> "early_data_overflow";
            case CONNECT_FAILED -> "connect_failed";
            case RELEASED -> "released";
            case MSRP_ERROR -> "msrp_error";
            case PEER_NOT_READING -> "not_reading";
            case INTERNAL_ERROR -> "internal_error";
        };
    }

    /** Whether the release is the TLS layer's (reported with the TLS package) or the TCP connection's. */
    static boolean tls(ReleaseReason reason) {
        return switch (reason) {
            case TLS_CLOSE_NOTIFY, TLS_HANDSHAKE_FAILED, TLS_ERROR, HANDSHAKE_TIMEOUT -> true;
            default -> false;
        };
    }

    public static String failurePackage(ReleaseReason reason, boolean tlsLeg) {
        return tlsLeg && tls(reason) ? TcpTlsPackageNames.TLS_PACKAGE : TcpTlsPackageNames.TCP_PACKAGE;
    }

    /**
     * The failure event's package on a leg, or empty where only {@code nt/netfail} can say it: a UDP leg has no TCP
     * (GW-7), so its releases that are not the DTLS layer's (idle timeout) are network failures (H.248.1 E.2). A DTLS
     * leg reports its TLS-layer releases with the TLS package, as TLS does (TS 23.334: "(D)TLS session").
     */
    public static Optional<String> failurePackage(ReleaseReason reason, boolean tlsLeg, boolean datagramLeg) {
        String layer = failurePackage(reason, tlsLeg);
        return datagramLeg && layer.equals(TcpTlsPackageNames.TCP_PACKAGE) ? Optional.empty() : Optional.of(layer);
    }
}
