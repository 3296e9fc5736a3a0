package org.mediasec.sdp;

import java.util.Locale;
import org.mediasec.traceability.Implements;

/**
 * The transport of an m-line (RFC 8866 5.14 {@code <proto>}), e.g. {@code TCP/TLS/MSRP}. Any token is kept as
 * written; the helpers know the ones the gateway acts on: TCP/MSRP, TCP/TLS/MSRP (RFC 4975), TCP/BFCP,
 * TCP/TLS/BFCP (RFC 8856), udptl, UDP/TLS/UDPTL (RFC 7345), udp (RFC 8866), TCP and TCP/TLS (RFC 4145/8122).
 */
@Implements({"TLS-2", "TCP-3"})
public record Transport(String token) {

    public static final Transport TCP_MSRP = new Transport("TCP/MSRP");
    public static final Transport TCP_TLS_MSRP = new Transport("TCP/TLS/MSRP");
    public static final Transport TCP_BFCP = new Transport("TCP/BFCP");
    public static final Transport TCP_TLS_BFCP = new Transport("TCP/TLS/BFCP");
    public static final Transport UDPTL = new Transport("udptl");
    public static final Transport UDP_TLS_UDPTL = new Transport("UDP/TLS/UDPTL");
    /** RFC 8866 5.14: an unspecified protocol over UDP (datagrams relayed as they are, e.g. end-to-end DTLS). */
    public static final Transport UDP = new Transport("udp");

    public Transport {
        if (token.isEmpty()) {
            throw new IllegalArgumentException("bad transport token: " + token);
        }
        for (int i = 0; i < token.length(); i++) {
            if (token.charAt(i) <= ' ' || token.charAt(i) >= 0x7f) {
                throw new IllegalArgumentException("bad transport token: " + token);
            }
        }
    }

    /** TLS is in the transport: a TLS bearer (TLS-2). */
    public boolean isTls() {
        return upper().contains("/TLS");
    }

    /** Runs over TCP (TCP-3). */
    public boolean isTcp() {
        return upper().startsWith("TCP");
    }

    /** The application protocol on top (MSRP, BFCP, UDPTL), or empty for a bare TCP or TCP/TLS. */
    public String application() {
        String upper = upper();
        int slash = upper.lastIndexOf('/');
        String last = slash < 0 ? upper : upper.substring(slash + 1);
        return last.equals("TCP") || last.equals("TLS") ? "" : last;
    }

    /** The same transport without TLS: TCP/TLS/MSRP → TCP/MSRP, UDP/TLS/UDPTL → udptl (CTRL-1). */
    public Transport withoutTls() {
        if (!isTls()) {
            return this;
        }
        String upper = upper();
        if (upper.equals("UDP/TLS/UDPTL")) {
            return UDPTL;
        }
        return new Transport(token.substring(0, upper.indexOf("/TLS")) + token.substring(upper.indexOf("/TLS") + 4));
    }

    /** The same transport with TLS: TCP/MSRP → TCP/TLS/MSRP, udptl → UDP/TLS/UDPTL (CTRL-2). */
    public Transport withTls() {
        if (isTls()) {
            return this;
        }
        String upper = upper();
        if (upper.equals("UDPTL")) {
            return UDP_TLS_UDPTL;
        }
        if (upper.startsWith("TCP")) {
            return new Transport(token.substring(0, 3) + "/TLS" + token.substring(3));
        }
        throw new IllegalArgumentException("no TLS form of " + token);
    }

    private String upper() {
        return token.toUpperCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return token;
    }
}
