package org.mediasec.gateway.leg;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.mediasec.bearer.TcpRole;
import org.mediasec.bearer.tls.CertificateFingerprint;
import org.mediasec.sdp.Fingerprint;
import org.mediasec.sdp.MediaDescription;
import org.mediasec.sdp.SdpParseException;
import org.mediasec.sdp.SdpParser;
import org.mediasec.sdp.SessionDescription;
import org.mediasec.sdp.Setup;

/**
 * The Local SDP a reply carries for a termination (TS 23.334 5.11.2.x; H.248.1 7.1.8: what the MG filled in for the
 * MGC's {@code $}): the MGC's Local with our address, our port (9 for an active TCP leg, RFC 4145 4; a UDP leg always
 * receives at its port), our {@code a=setup} (actpass while the role is open; none on a plain UDP leg, which has no
 * role), our certificate's fingerprint on a TLS or DTLS leg (TLS-3) and none otherwise, and our own MSRP URI in
 * {@code a=path} on an MSRP-aware leg (GW-6). Every other line of the MGC's Local is kept (the T.38 attributes among
 * them). Pure.
 */
public final class LocalAnswer {

    /** RFC 4145 4: an active endpoint's port is irrelevant and is answered as 9 (discard). */
    private static final int ACTIVE_PORT = 9;

    private LocalAnswer() {}

    /**
     * @param givenLocal the Local SDP the MGC gave (blank: a minimal one is made)
     * @param address our address in the termination's realm, {@code port} our port there
     * @param ours our certificate's fingerprint on a TLS leg with certificates
     * @param profileLines what the profile adds to the stream (e.g. the MRFP's a=confid, a=path)
     */
    public static String write(LegPlan plan, String givenLocal, InetAddress address, int port, Optional<CertificateFingerprint> ours,
            UnaryOperator<MediaDescription> profileLines) {
        String connection = (address instanceof Inet6Address ? "IN IP6 " : "IN IP4 ") + address.getHostAddress();
        SessionDescription base = parsed(givenLocal).orElseGet(() -> minimal(plan));
        MediaDescription media = base.media().get(0)
                .withPort(String.valueOf(plan.role() == TcpRole.ACTIVE && !plan.datagram() ? ACTIVE_PORT : port))
                .withConnectionData(connection)
                .withTransport(plan.transport())
                .withFingerprints(ours.map(f -> List.of(new Fingerprint(f.hashFunction(), f.digest()))).orElse(List.of()));
        media = plan.datagram() && plan.tls().isEmpty() ? media.withoutAttribute("setup")
                : media.withSetup(plan.roleOpen() ? Setup.ACTPASS : plan.role() == TcpRole.ACTIVE ? Setup.ACTIVE : Setup.PASSIVE);
        // GW-6: the MGC's a=path:$ answered with our own URI on this leg
        MediaDescription relayed = media;
        media = MsrpMode.ownUri(plan, address, port).map(uri -> relayed.withPath(List.of(uri.toString()))).orElse(relayed);
        return base.withMedia(0, profileLines.apply(media)).withConnectionData(connection).write("\n").strip();
    }

    private static Optional<SessionDescription> parsed(String givenLocal) {
        if (givenLocal.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(SdpParser.parseH248(givenLocal).get(0));
        } catch (SdpParseException e) {
            return Optional.empty(); // it was parsed when the termination took it; never reached
        }
    }

    private static SessionDescription minimal(LegPlan plan) {
        String media = plan.datagram() ? "image" : plan.transport().application().equals("BFCP") ? "application" : "message";
        String format = plan.datagram() ? "t38" : "*";
        try {
            return SdpParser.parse("v=0\r\nc=IN IP4 0.0.0.0\r\nm=" + media + " " + ACTIVE_PORT + " " + plan.transport() + " " + format + "\r\n");
        } catch (SdpParseException e) {
            throw new IllegalStateException("the minimal SDP does not parse", e);
        }
    }
}
