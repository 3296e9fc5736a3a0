package org.mediasec.gateway;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.mediasec.bearer.PortAllocator;
import org.mediasec.bearer.Side;
import org.mediasec.bearer.TcpRole;
import org.mediasec.bearer.tls.CertificateFingerprint;
import org.mediasec.bearer.tls.SelfSignedCertificate;
import org.mediasec.bearer.tls.TlsEngines;
import org.mediasec.h248.message.Events;
import org.mediasec.h248.message.MediaParameter;
import org.mediasec.h248.message.TerminationId;
import org.mediasec.sdp.Transport;

/**
 * An ephemeral {@code ip/n} termination with its one stream (H.248.1 6.2): the SDP as the MGC gave it and as we
 * answered, the bearer leg it stands for, and the events the MGC asked to hear about.
 */
final class Termination {

    final TerminationId id;
    final long createdNanos = System.nanoTime();
    final PortAllocator.Allocation allocation;
    String localSdp = "";
    String remoteSdp = "";
    Transport transport;
    TcpRole role = TcpRole.PASSIVE;
    /** Local a=setup:actpass and no answer yet (RFC 4145 4.1): the leg listens but joins no bearer until its role is decided. */
    boolean roleOpen;
    Optional<InetSocketAddress> remote = Optional.empty();
    List<CertificateFingerprint> remoteFingerprints = List.of();
    /** Set when TLS is terminated on this leg (not for TCP, nor for TLS relayed as TCP). */
    TlsEngines tls;
    boolean tlsClient;
    SelfSignedCertificate certificate;
    MediaParameter.StreamMode mode = MediaParameter.StreamMode.SEND_RECEIVE;
    OptionalLong eventsRequestId = OptionalLong.empty();
    List<Events.RequestedEvent> events = new ArrayList<>();
    /** The side of the context's relay pair, once it is open. */
    Side side;

    // ---- MRFP (conference) terminations: one participant each, with a relay pair of its own to the focus ----
    /** TLS keyed by a pre-shared key (E2E-5): set for a TLS transport on the MRFP. */
    boolean pskTls;
    /** The PSK (the TEK) until the leg has taken it; wiped then (E2E-5: held only as long as needed). */
    byte[] psk;
    /** BFCP conference, user and floor IDs (RFC 8856 a=confid, a=userid, a=floorid), from the MRFC or chosen here. */
    Optional<Long> conferenceId = Optional.empty();
    Optional<Integer> userId = Optional.empty();
    List<String> floorIds = List.of();
    /** MSRP members: the UE's a=path (To-Path of what the focus sends it), its a=accept-types, its CPIM identity, our session. */
    List<org.mediasec.msrp.MsrpUri> msrpPath = List.of();
    List<String> acceptTypes = List.of();
    String identity = "";
    String focusSessionId;
    /** This participant's relay pair (UE leg = side A, the focus = side B), once open. */
    org.mediasec.bearer.RelayPair pair;
    boolean opening;
    boolean releasing;

    Termination(TerminationId id, PortAllocator.Allocation allocation) {
        this.id = id;
        this.allocation = allocation;
    }

    InetSocketAddress localAddress() {
        return new InetSocketAddress(allocation.realm().address(), allocation.port());
    }

    Optional<CertificateFingerprint> localFingerprint() {
        return tls == null ? Optional.empty() : Optional.of(tls.fingerprintOf(certificate));
    }

    /**
     * Enough is known to open the leg: an active leg needs the peer's address, a TLS leg its fingerprints (TLS-4), a
     * TLS-PSK leg its key, an MSRP conference member the UE's path.
     */
    boolean complete() {
        return transport != null && !roleOpen && (role == TcpRole.PASSIVE || remote.isPresent()) && (tls == null || !remoteFingerprints.isEmpty())
                && (!pskTls || psk != null) && (focusSessionId == null || !msrpPath.isEmpty());
    }

    boolean wants(String packageName, String event) {
        return events.stream().anyMatch(e -> e.name().packageName().equalsIgnoreCase(packageName) && e.name().itemName().equalsIgnoreCase(event));
    }
}
