package org.mediasec.controller.alg;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mediasec.controller.mgc.LocalEnd;
import org.mediasec.msrp.MsrpParseException;
import org.mediasec.msrp.MsrpUri;
import org.mediasec.sdp.Fingerprint;
import org.mediasec.sdp.MediaDescription;
import org.mediasec.sdp.SessionDescription;
import org.mediasec.sdp.Setup;
import org.mediasec.sdp.Transport;
import org.mediasec.traceability.Implements;

/**
 * The SDP the IMS-ALG forwards for anchored m-lines (pure: SDP in, SDP out). For each anchored m-line:
 * <ul>
 * <li>c= and the port become the gateway's on the leg towards the receiver; a=setup the gateway's role there;</li>
 * <li>TLS terminated on that leg: the transport gets TLS, the fingerprints become the gateway's (CTRL-1 answer,
 * CTRL-2 offer), {@code a=3ge2ae} is set as given;</li>
 * <li>plain TCP on that leg: the transport loses TLS, fingerprints and {@code a=3ge2ae} go (CTRL-1 offer, CTRL-2
 * answer);</li>
 * <li>T.38 fax (GW-7, RFC 7345): the same with DTLS ({@code UDP/TLS/UDPTL} towards the UE, {@code udptl} towards the
 * core); on the DTLS leg {@code a=tls-id} becomes the gateway's (RFC 8842 5), on the plain one {@code a=setup} and
 * {@code a=tls-id} go; the T.38 attributes pass unchanged;</li>
 * <li>transparent (e2e): transport, fingerprints and every crypto attribute are left alone (CTRL-4);</li>
 * <li>MSRP-aware stream (GW-6): {@code a=path} becomes the gateway's own URI on the receiver's leg and
 * {@code a=msrp-cema} goes (RFC 6714);</li>
 * <li>agnostic MSRP {@code a=path}: with {@code a=msrp-cema} it is left alone: CEMA endpoints connect to c=/m= and match
 * sessions by session-id (RFC 6714); without it, the last URI (the one the receiver connects to, RFC 4975 8.1) gets
 * the gateway's address and port and the receiver's scheme, keeping its session-id, for receivers that match by
 * session-id (RFC 6135).</li>
 * </ul>
 * Everything else passes unchanged; m-lines that are not anchored are not touched.
 */
@Implements({"CTRL-1", "CTRL-2", "CTRL-4"})
public final class SdpRewriter {

    /**
     * How one anchored m-line is written for its receiver.
     *
     * @param datagram a T.38 fax stream over UDP (GW-7): a=setup is a DTLS role there, so a plain UDP leg has none and
     *     an end-to-end one keeps the endpoints' own
     * @param tlsId the gateway's a=tls-id on a DTLS leg (RFC 8842 5)
     * @param msrpAware an MSRP-aware stream (GW-6): the receiver gets the gateway's own a=path on its leg
     */
    public record Rewrite(LegSecurity security, Transport transport, LocalEnd gateway, Setup setup, Optional<String> e2aeIndicator, boolean datagram,
            Optional<String> tlsId, boolean msrpAware) {

        /** A TCP stream, application-agnostic. */
        public Rewrite(LegSecurity security, Transport transport, LocalEnd gateway, Setup setup, Optional<String> e2aeIndicator) {
            this(security, transport, gateway, setup, e2aeIndicator, false, Optional.empty(), false);
        }

        /** An application-agnostic stream. */
        public Rewrite(LegSecurity security, Transport transport, LocalEnd gateway, Setup setup, Optional<String> e2aeIndicator, boolean datagram,
                Optional<String> tlsId) {
            this(security, transport, gateway, setup, e2aeIndicator, datagram, tlsId, false);
        }
    }

    private SdpRewriter() {}

    public static SessionDescription rewrite(SessionDescription sdp, Map<Integer, Rewrite> rewrites) throws OfferRejectedException {
        SessionDescription out = sdp;
        boolean cryptoChanged = rewrites.values().stream().anyMatch(r -> r.security() != LegSecurity.TRANSPARENT);
        if (cryptoChanged && !sdp.attributes("fingerprint").isEmpty()) {
            // session-level fingerprints: kept for the m-lines that still need them, then removed at session level
            List<Fingerprint> sessionFingerprints = sdp.fingerprints();
            for (int i = 0; i < out.media().size(); i++) {
                MediaDescription media = out.media().get(i);
                Rewrite rewrite = rewrites.get(i);
                boolean keeps = rewrite == null || rewrite.security() == LegSecurity.TRANSPARENT;
                if (keeps && media.transport().isTls() && media.fingerprints().isEmpty()) {
                    out = out.withMedia(i, media.withFingerprints(sessionFingerprints));
                }
            }
            out = out.withoutAttribute("fingerprint");
        }
        if (cryptoChanged) {
            out = out.withoutAttribute("3ge2ae");
        }
        for (Map.Entry<Integer, Rewrite> entry : rewrites.entrySet()) {
            int index = entry.getKey();
            out = out.withMedia(index, media(out.media().get(index), entry.getValue()));
        }
        if (rewrites.size() == out.media().size() && !rewrites.isEmpty()) {
            // every m-line goes through the gateway: no address of the other side is left to disclose
            out = out.withConnectionData(rewrites.values().iterator().next().gateway().connectionAddress());
        }
        return out;
    }

    static MediaDescription media(MediaDescription media, Rewrite rewrite) throws OfferRejectedException {
        MediaDescription out = media.withPort(String.valueOf(rewrite.gateway().port()))
                .withConnectionData(rewrite.gateway().connectionAddress())
                .withTransport(rewrite.transport());
        if (!rewrite.datagram() || rewrite.security() == LegSecurity.TLS) {
            out = out.withSetup(rewrite.setup());
        } else if (rewrite.security() == LegSecurity.TCP) {
            out = out.withoutAttribute("setup"); // plain udptl: no DTLS, no role (RFC 8842 is DTLS's)
        } // e2e DTLS: the endpoints' own roles meet end to end
        switch (rewrite.security()) {
            case TLS -> {
                out = out.withFingerprints(rewrite.gateway().fingerprints()).withoutAttribute("3ge2ae").withoutAttribute("tls-id");
                if (rewrite.e2aeIndicator().isPresent()) {
                    out = out.withAttribute("3ge2ae", rewrite.e2aeIndicator().get());
                }
                if (rewrite.tlsId().isPresent()) {
                    out = out.withAttribute("tls-id", rewrite.tlsId().get());
                }
            }
            case TCP -> out = out.withFingerprints(List.of()).withoutAttribute("3ge2ae").withoutAttribute("tls-id");
            case TRANSPARENT -> { }
        }
        if (rewrite.msrpAware()) {
            // GW-6: the receiver talks to the gateway's own URI on its leg; RFC 6714: a=msrp-cema is kept only where
            // the gateway is agnostic, so it goes
            if (rewrite.gateway().msrpPath().isEmpty()) {
                throw new IllegalStateException(rewrite.gateway().termination() + ": an MSRP-aware leg answered without its a=path");
            }
            out = out.withPath(rewrite.gateway().msrpPath()).withoutAttribute("msrp-cema");
        } else if (rewrite.transport().application().equals("MSRP") && !media.msrpCema() && !media.path().isEmpty()) {
            out = out.withPath(path(media.path(), rewrite));
        }
        return out;
    }

    private static List<String> path(List<String> uris, Rewrite rewrite) throws OfferRejectedException {
        List<String> out = new ArrayList<>(uris);
        String last = out.get(out.size() - 1);
        try {
            MsrpUri uri = MsrpUri.parse(last);
            MsrpUri anchored = new MsrpUri(rewrite.transport().isTls(), uri.userinfo(), rewrite.gateway().host(),
                    java.util.OptionalInt.of(rewrite.gateway().port()), uri.sessionId(), uri.transport(), uri.parameters());
            out.set(out.size() - 1, anchored.toString());
            return out;
        } catch (MsrpParseException e) {
            throw new OfferRejectedException(488, "a=path " + last + ": " + e.getMessage(), e);
        }
    }
}
