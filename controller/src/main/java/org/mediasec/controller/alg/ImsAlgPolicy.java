package org.mediasec.controller.alg;

import java.util.Optional;
import org.mediasec.sdp.MediaDescription;
import org.mediasec.sdp.Transport;
import org.mediasec.traceability.Implements;

/**
 * The IMS-ALG's choice per MSRP/BFCP m-line, and per T.38 fax m-line with TLS read as DTLS (TS 33.328 7.2.1, 7.3.1,
 * G.2; TS 24.229 6.7.x; REQUIREMENTS CTRL-1..4, GW-7):
 * <ul>
 * <li>a UE's offer with TLS and {@code a=3ge2ae:requested}: e2ae, the gateway terminates TLS towards that UE (CTRL-1,
 * CTRL-3); towards the answerer TLS too when it is a UE of ours that registered e2ae support (GW-2), else TCP;</li>
 * <li>an offer without TLS towards a UE of ours that registered e2ae support: e2ae towards that UE (CTRL-2);</li>
 * <li>an offer with TLS but without the e2ae request: e2e, relayed transparently (CTRL-4, E2E-8);</li>
 * <li>anything else over TCP: relayed as plain TCP.</li>
 * </ul>
 */
@Implements("CTRL-3")
public final class ImsAlgPolicy implements StreamPolicy {

    @Override
    public Optional<StreamPlan> plan(int index, MediaDescription offered, Party offerer, Party answerer) throws OfferRejectedException {
        Optional<String> application = StreamPolicy.anchoredApplication(offered);
        if (application.isEmpty()) {
            return Optional.empty();
        }
        boolean tls = offered.transport().isTls();
        boolean e2aeRequested = offered.e2aeIndicator().filter("requested"::equals).isPresent();
        if (e2aeRequested && !tls) {
            throw new OfferRejectedException(488, "m-line " + index + ": a=3ge2ae:requested on " + offered.transport() + ", which has no TLS");
        }
        if (e2aeRequested && offerer.isAccess()) {
            if (offered.fingerprints().isEmpty()) {
                // 33.328 7.2.1: the UE's certificate fingerprint is what the gateway authenticates it with (TLS-4)
                throw new OfferRejectedException(488, "m-line " + index + ": e2ae requested without a=fingerprint");
            }
            return Optional.of(new StreamPlan(index, application.get(), LegSecurity.TLS, e2aeTowards(answerer)));
        }
        if (tls) {
            return Optional.of(new StreamPlan(index, application.get(), LegSecurity.TRANSPARENT, LegSecurity.TRANSPARENT));
        }
        return Optional.of(new StreamPlan(index, application.get(), LegSecurity.TCP, e2aeTowards(answerer)));
    }

    private static LegSecurity e2aeTowards(Party party) {
        return party.isAccess() && party.e2aeSupported() ? LegSecurity.TLS : LegSecurity.TCP;
    }

    /**
     * The IMS-AGW relays e2e TLS as TCP (GW-3): it is told TCP, and never sees a key or a fingerprint. E2e DTLS (fax
     * without the e2ae request) is relayed as {@code udp}: datagrams passed as they are, since as {@code udptl} the
     * gateway would check them as UDPTL, which DTLS records are not.
     */
    @Override
    public Transport gatewayTransport(LegSecurity security, Transport offered) {
        return switch (security) {
            case TLS -> offered.withTls();
            case TCP -> offered.withoutTls();
            case TRANSPARENT -> StreamPolicy.datagram(offered) ? Transport.UDP : offered.withoutTls();
        };
    }
}
