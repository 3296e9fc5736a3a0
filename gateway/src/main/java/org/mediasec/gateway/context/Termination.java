package org.mediasec.gateway.context;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.mediasec.bearer.LegSpec;
import org.mediasec.bearer.PortAllocator;
import org.mediasec.bearer.TcpRole;
import org.mediasec.bearer.datagram.DatagramLegSpec;
import org.mediasec.bearer.tls.CertificateFingerprint;
import org.mediasec.bearer.tls.SelfSignedCertificate;
import org.mediasec.gateway.leg.LegPlan;
import org.mediasec.gateway.leg.LocalAnswer;
import org.mediasec.gateway.leg.MsrpMode;
import org.mediasec.gateway.leg.PlannedLeg;
import org.mediasec.gateway.leg.RequestedEvents;
import org.mediasec.gateway.leg.TerminationUpdate;
import org.mediasec.gateway.leg.UdptlPayload;
import org.mediasec.h248.message.MediaParameter;
import org.mediasec.h248.message.TerminationId;
import java.util.List;
import org.mediasec.msrp.MsrpUri;
import org.mediasec.sdp.Fingerprint;
import org.mediasec.sdp.MediaDescription;
import org.mediasec.sdp.SdpParseException;
import org.mediasec.sdp.SdpParser;
import org.mediasec.sdp.SessionDescription;

/**
 * An ephemeral {@code ip/n} termination with its one stream (H.248.1 6.2): its port, its {@link LegPlan}, the SDP
 * as the MGC gave it, our certificate on a TLS leg (TLS-3), the pre-shared key until its leg takes it (E2E-5), the
 * events the MGC asked to hear about, and the octets of a bearer that went before the Subtract reporting them.
 * Used only on its context's event loop.
 */
public final class Termination {

    /** TLS-PSK handshakes on the MRFP (E2E-5) get as long as certificate handshakes do by default. */
    private static final Duration PSK_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private final TerminationId id;
    private final PortAllocator.Allocation allocation;
    private final long createdNanos = System.nanoTime();
    private LegPlan plan;
    private String localSdp = "";
    private String remoteSdp = "";
    private Optional<SelfSignedCertificate> certificate = Optional.empty();
    private byte[] preSharedKey;
    private MediaParameter.StreamMode mode = MediaParameter.StreamMode.SEND_RECEIVE;
    private RequestedEvents events = RequestedEvents.NONE;
    private Octets releasedOctets = Octets.NONE;

    /** Octets a leg relayed: {@code sent} towards its peer, {@code received} from it (nt/os, nt/or). */
    public record Octets(long sent, long received) {
        public static final Octets NONE = new Octets(0, 0);
    }

    public Termination(TerminationId id, PortAllocator.Allocation allocation, PlannedLeg planned, TerminationUpdate update) {
        this.id = id;
        this.allocation = allocation;
        apply(planned, update);
    }

    /** Takes the planned leg and what the update restated; the update's key now belongs to this termination. */
    public void apply(PlannedLeg planned, TerminationUpdate update) {
        LegPlan before = plan;
        plan = planned.plan();
        update.localSdp().ifPresent(sdp -> localSdp = sdp);
        update.remoteSdp().ifPresent(sdp -> remoteSdp = sdp);
        update.mode().ifPresent(m -> mode = m);
        update.events().ifPresent(e -> events = e);
        update.preSharedKey().ifPresent(key -> {
            wipeKey();
            preSharedKey = key;
        });
        var domain = plan.certificateTls().map(LegPlan.CertificateTls::engines);
        if (before == null || !domain.equals(before.certificateTls().map(LegPlan.CertificateTls::engines))) {
            // TLS-3: the certificate whose fingerprint the reply announces, one per stream where the domain says so
            certificate = domain.map(engines -> engines.certificateForStream());
        }
    }

    public TerminationId id() {
        return id;
    }

    public PortAllocator.Allocation allocation() {
        return allocation;
    }

    public LegPlan plan() {
        return plan;
    }

    public MediaParameter.StreamMode mode() {
        return mode;
    }

    /** H.248.1 7.1.7: the termination takes bytes from its peer into the context (SendReceive, ReceiveOnly). */
    public boolean receives() {
        return mode == MediaParameter.StreamMode.SEND_RECEIVE || mode == MediaParameter.StreamMode.RECEIVE_ONLY;
    }

    /** H.248.1 7.1.7: the termination sends bytes from the context to its peer (SendReceive, SendOnly). */
    public boolean sends() {
        return mode == MediaParameter.StreamMode.SEND_RECEIVE || mode == MediaParameter.StreamMode.SEND_ONLY;
    }

    public String remoteSdp() {
        return remoteSdp;
    }

    /**
     * The Remote SDP as an audit reports it (SEC-3): on a leg where TLS is terminated with certificates, its
     * fingerprints are the ones enforced, not every one the MGC gave.
     */
    public String auditedRemoteSdp() {
        if (remoteSdp.isBlank() || plan.certificateTls().isEmpty()) {
            return remoteSdp;
        }
        try {
            SessionDescription sdp = SdpParser.parseH248(remoteSdp).get(0);
            List<Fingerprint> enforced = plan.remoteFingerprints().stream().map(f -> new Fingerprint(f.hashFunction(), f.digest())).toList();
            return sdp.withoutAttribute("fingerprint").withMedia(0, sdp.media().get(0).withFingerprints(enforced)).write("\n").strip();
        } catch (SdpParseException e) {
            return remoteSdp; // parsed when the termination took it; never reached
        }
    }

    public RequestedEvents events() {
        return events;
    }

    public InetSocketAddress localAddress() {
        return new InetSocketAddress(allocation.realm().address(), allocation.port());
    }

    /** Our certificate's fingerprint on a TLS leg with certificates (TLS-3). */
    public Optional<CertificateFingerprint> localFingerprint() {
        return plan.certificateTls().flatMap(tls -> certificate.map(tls.engines()::fingerprintOf));
    }

    /** The gateway's own MSRP URI on an MSRP-aware leg (GW-6), as the reply's Local {@code a=path} announces it. */
    public Optional<MsrpUri> ownMsrpUri() {
        return MsrpMode.ownUri(plan, allocation.realm().address(), allocation.port());
    }

    /** Enough is known to open the leg ({@link LegPlan#complete()}), and a TLS-PSK leg has its key. */
    public boolean complete() {
        return plan.complete() && (!plan.pskTls() || preSharedKey != null);
    }

    /** The reply's Local SDP, with what the profile adds to the stream. */
    public String localAnswer(UnaryOperator<MediaDescription> profileLines) {
        return LocalAnswer.write(plan, localSdp, allocation.realm().address(), allocation.port(), localFingerprint(), profileLines);
    }

    /**
     * The bearer leg of this termination. A TLS-PSK leg takes the key, which is wiped here (E2E-5: the leg holds it
     * until its handshake ends).
     */
    public LegSpec legSpec() {
        // RFC 4145 4: an active endpoint's port is irrelevant (answered as 9); it connects from the realm's address
        LegSpec spec = plan.role() == TcpRole.ACTIVE
                ? LegSpec.active(new InetSocketAddress(allocation.realm().address(), 0), plan.remote().orElseThrow())
                : LegSpec.passive(localAddress(), plan.remote());
        // TCP-6: a latching leg with no Remote address takes the first source the policy accepts; with one, only
        // that address (the plan's port 0) is accepted; either way the source it latched onto is reported
        LegPlan.Traversal traversal = plan.traversal();
        LegSpec leg = spec.withTraversal(new LegSpec.Traversal(traversal.delayed(), traversal.merge(),
                traversal.latch().filter(policy -> plan.role() == TcpRole.PASSIVE)));
        switch (plan.tls().orElse(null)) {
            case LegPlan.CertificateTls tls -> leg = leg.withTls(new LegSpec.Tls(tls.engines(), tls.client(), plan.remoteFingerprints(), certificate));
            case LegPlan.PskTls psk -> {
                leg = leg.withPsk(new LegSpec.PskTls(psk.client(), preSharedKey, PSK_HANDSHAKE_TIMEOUT));
                wipeKey();
            }
            case null -> { }
        }
        return leg;
    }

    /**
     * The bearer leg of this termination when it is a UDP leg (GW-7): bound to our port, its peer the SDP address, its
     * datagrams bounded and, where they are UDPTL in clear, checked; DTLS with our certificate and the peer's
     * fingerprints when the gateway terminates it (TLS-1, TLS-3, TLS-4).
     */
    public DatagramLegSpec datagramLegSpec() {
        LegPlan.Datagrams datagrams = plan.datagrams().orElseThrow(() -> new IllegalStateException(id + " is not a UDP leg"));
        DatagramLegSpec spec = DatagramLegSpec.udp(localAddress(), plan.remote(), datagrams.maxPayload());
        if (plan.certificateTls().isPresent()) {
            LegPlan.CertificateTls tls = plan.certificateTls().get();
            spec = spec.withDtls(new DatagramLegSpec.Dtls(tls.engines(), tls.client(), plan.remoteFingerprints(), certificate));
        }
        return datagrams.checkUdptl() ? spec.withPayloadCheck(UdptlPayload::decodes) : spec;
    }

    /** Overwrites the key (E2E-5: held only as long as needed). */
    public void wipeKey() {
        if (preSharedKey != null) {
            Arrays.fill(preSharedKey, (byte) 0);
            preSharedKey = null;
        }
    }

    /** The bearer went before a Subtract: its counts are kept for the statistics that Subtract reports. */
    public void keepOctets(Octets octets) {
        releasedOctets = octets;
    }

    public Octets releasedOctets() {
        return releasedOctets;
    }

    /** Milliseconds since the Add (nt/dur). */
    public long durationMillis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - createdNanos);
    }

    @Override
    public String toString() {
        return id.toString();
    }
}
