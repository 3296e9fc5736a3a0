package org.mediasec.gateway.leg;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.mediasec.gateway.GatewayError;
import org.mediasec.gateway.profile.GatewayProfile;
import org.mediasec.h248.ErrorCode;
import org.mediasec.msrp.MsrpParseException;
import org.mediasec.msrp.MsrpUri;
import org.mediasec.sdp.MediaDescription;
import org.mediasec.sdp.Transport;
import org.mediasec.traceability.Implements;

/**
 * The one mapping of the MSRP-aware mode (GW-6) to H.248: how the MGC asks for it and what it tells about the peer.
 * <b>Unverified</b> (docs/h248-profile.md): TS 23.334 6.2.18.4 has the IMS-ALG ask for a "TCP/MSRP" termination for
 * the aware mode and "TCP" for the agnostic one; this gateway has always been told {@code TCP/MSRP} for agnostic
 * streams, so that distinction cannot be used without breaking them. Instead:
 * <ul>
 *   <li>Local {@code a=path:$} (CHOOSE, as {@code a=fingerprint:$} asks for our fingerprint) asks the MG for its own
 *       MSRP URI: the termination is MSRP-aware, and the reply's Local carries that URI;</li>
 *   <li>a Local without it (or with another path) makes the termination agnostic; no Local keeps what it was;</li>
 *   <li>Remote {@code a=path} is the peer's path (RFC 4975 8.1: relays first, the endpoint last); no Remote keeps it.</li>
 * </ul>
 * Pure, apart from the session-id source, which is injected.
 */
@Implements("GW-6")
public final class MsrpMode {

    /** H.248.1 7.1.8: {@code $} asks the MG to choose. */
    static final String CHOOSE = "$";
    /** RFC 4975 9: a session-id of 80 bits of randomness is more than enough to be unguessable (RFC 4975 14.1 asks for 80). */
    private static final int SESSION_ID_LENGTH = 20;
    private static final char[] SESSION_ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Fresh session-ids for the gateway's URIs (RFC 4975 14.1: unguessable): ~103 bits from a SecureRandom. */
    public static final Supplier<String> RANDOM_SESSION_IDS = () -> {
        char[] id = new char[SESSION_ID_LENGTH];
        for (int i = 0; i < id.length; i++) {
            id[i] = SESSION_ID_ALPHABET[RANDOM.nextInt(SESSION_ID_ALPHABET.length)];
        }
        return new String(id);
    };

    private MsrpMode() {}

    /**
     * The aware mode of a leg after an update, or empty for agnostic: 449 where MSRP cannot be parsed here (not an
     * MSRP stream, or TLS relayed untouched: the gateway holds no key, e2e), or where the peer's path is malformed.
     */
    static Optional<LegPlan.MsrpAware> plan(Optional<LegPlan> current, Optional<MediaDescription> local, Optional<MediaDescription> remote,
            Transport transport, GatewayProfile profile, Supplier<String> sessionIds) throws GatewayError {
        Optional<LegPlan.MsrpAware> before = current.flatMap(LegPlan::msrpAware);
        boolean aware = local.map(MsrpMode::asksForOwnPath).orElse(before.isPresent());
        if (!aware) {
            return Optional.empty();
        }
        if (!transport.application().equals("MSRP")) {
            throw new GatewayError(ErrorCode.UNSUPPORTED_PARAMETER_OR_PROPERTY_VALUE, "a=path:$ (MSRP-aware) on a " + transport + " stream");
        }
        if (transport.isTls() && !profile.terminatesTls()) {
            throw new GatewayError(ErrorCode.UNSUPPORTED_PARAMETER_OR_PROPERTY_VALUE, "a=path:$ (MSRP-aware) on " + transport
                    + " relayed end to end: the gateway holds no key, so MSRP cannot be rewritten (e2e TLS stays agnostic)");
        }
        String sessionId = before.map(LegPlan.MsrpAware::sessionId).orElseGet(sessionIds);
        List<MsrpUri> peerPath = remote.isPresent() ? peerPath(remote.get()) : before.map(LegPlan.MsrpAware::peerPath).orElse(List.of());
        return Optional.of(new LegPlan.MsrpAware(sessionId, peerPath));
    }

    /**
     * The gateway's own URI on an aware leg: {@code msrp://} or, on a TLS leg, {@code msrps://} (RFC 4975 6), the
     * termination's address and port (a 4975-only peer connects to it, RFC 4975 8.1), the leg's session-id, TCP.
     */
    public static Optional<MsrpUri> ownUri(LegPlan plan, InetAddress address, int port) {
        String host = address instanceof Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
        return plan.msrpAware().map(aware -> MsrpUri.of(plan.transport().isTls(), host, port, aware.sessionId()));
    }

    /** Local {@code a=path:$}: the MGC asks for the MG's own MSRP URI. */
    static boolean asksForOwnPath(MediaDescription local) {
        return local.path().equals(List.of(CHOOSE));
    }

    /** Remote {@code a=path}: the peer's URIs in order (RFC 4975 8.1); 449 when one is not an MSRP URI. */
    static List<MsrpUri> peerPath(MediaDescription remote) throws GatewayError {
        List<MsrpUri> path = new ArrayList<>();
        for (String uri : remote.path()) {
            try {
                path.add(MsrpUri.parse(uri));
            } catch (MsrpParseException e) {
                throw new GatewayError(ErrorCode.UNSUPPORTED_PARAMETER_OR_PROPERTY_VALUE, "Remote a=path: " + e.getMessage());
            }
        }
        return path;
    }
}
