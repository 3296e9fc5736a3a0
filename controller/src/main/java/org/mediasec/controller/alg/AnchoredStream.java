package org.mediasec.controller.alg;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.mediasec.controller.mgc.LegRequest;
import org.mediasec.controller.mgc.LocalEnd;
import org.mediasec.h248.message.ContextId;
import org.mediasec.h248.message.TerminationId;

/**
 * One anchored m-line of a call: its context on the gateway, and for the leg towards each party what was asked of the
 * gateway and what it answered. Its plan was made for the offer of {@code offeredBy}. Touched only on the
 * procedures' thread, except {@link #latched}, a concurrent map that any thread may read.
 */
final class AnchoredStream {

    final StreamPlan plan;
    final CallSide offeredBy;
    ContextId context;
    final Map<CallSide, LegRequest> requests = new EnumMap<>(CallSide.class);
    final Map<CallSide, LocalEnd> ends = new EnumMap<>(CallSide.class);
    /** RFC 8842 5: the gateway's a=tls-id on a DTLS leg, one per association (that is, per stream and party). */
    private final Map<CallSide, String> tlsIds = new EnumMap<>(CallSide.class);
    boolean released;
    /** TR 29.828 4.4.2.3: what the IMS-ALG chose for the leg towards each party (none when absent). */
    final Map<CallSide, NatTraversalPolicy.Choice> nat = new EnumMap<>(CallSide.class);
    /** TR 29.828 4.4.2.2 NOTE 3: the leg whose establishment waits for the other's NAT traversal, until its signal. */
    Optional<CallSide> waiting = Optional.empty();
    /** TCP-6: the source the gateway latched onto, per party, as reported (H.248.37 Amd.1); read from any thread. */
    final Map<CallSide, InetSocketAddress> latched = new ConcurrentHashMap<>();
    /** Each party's address and port as its SDP (offer, answer, re-offer) advertised them, unresolved. */
    final Map<CallSide, InetSocketAddress> advertised = new EnumMap<>(CallSide.class);

    /** RFC 8842 5.1: 20 to 255 characters of ALPHA / DIGIT / "+" / "/" / "-" / "_"; 18 random octets in base64url are 24. */
    private static final int TLS_ID_OCTETS = 18;
    private static final SecureRandom RANDOM = new SecureRandom();

    AnchoredStream(StreamPlan plan, CallSide offeredBy) {
        this.plan = plan;
        this.offeredBy = offeredBy;
    }

    int mediaIndex() {
        return plan.mediaIndex();
    }

    /** What the gateway does with TLS on the leg towards {@code side}. */
    LegSecurity security(CallSide side) {
        return side == offeredBy ? plan.towardsOfferer() : plan.towardsAnswerer();
    }

    /** The gateway's tls-id towards {@code side}, made on first use and kept with the stream (its DTLS association). */
    String tlsId(CallSide side) {
        return tlsIds.computeIfAbsent(side, s -> {
            byte[] octets = new byte[TLS_ID_OCTETS];
            RANDOM.nextBytes(octets);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(octets);
        });
    }

    /** The party's end of this m-line for reports; empty before the gateway answered the Add. */
    Optional<PartyEndpoint> endpoint(CallSide side) {
        LocalEnd end = ends.get(side);
        return end == null ? Optional.empty()
                : Optional.of(new PartyEndpoint(mediaIndex(), end.host(), end.port(), Optional.ofNullable(advertised.get(side)), Optional.ofNullable(latched.get(side))));
    }

    /** The party whose leg this termination is, if it is one of the stream's. */
    Optional<CallSide> sideOf(TerminationId termination) {
        return ends.entrySet().stream().filter(e -> e.getValue().termination().equals(termination)).map(Map.Entry::getKey).findFirst();
    }

    /** Whether a re-offer's plan for this m-line keeps what this stream does (same application, same TLS on each leg, same MSRP mode). */
    boolean sameAs(StreamPlan other, CallSide offerer) {
        return plan.application().equals(other.application()) && security(offerer) == other.towardsOfferer()
                && security(offerer.other()) == other.towardsAnswerer() && plan.msrpAware() == other.msrpAware();
    }
}
