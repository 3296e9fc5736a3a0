package org.mediasec.app.ue;

import org.mediasec.msrp.session.MsrpSession.SessionMatching;
import org.mediasec.sdp.Setup;

/**
 * How a simulated UE behaves.
 *
 * @param name shown in traces and used as the certificate's common name
 * @param application MSRP (RFC 4975 endpoint) or BFCP (bytes only: the floor-control client comes later)
 * @param tls TCP/TLS/... (its own certificate, fingerprint in SDP, RFC 4572) or plain TCP
 * @param requestE2ae adds {@code a=3ge2ae:requested} to its offer (TS 24.229: e2ae media security requested)
 * @param cema supports CEMA (RFC 6714): {@code a=msrp-cema}, connects to c=/m= when the peer supports it too
 * @param offerSetup a=setup of its offers (actpass by default)
 * @param answerSetup its choice when answering an actpass offer
 * @param impostor presents, in the TLS handshake, a certificate other than the one whose fingerprint its SDP carries
 *     (the attack a gateway must refuse, TLS-4), and writes a message as soon as its side of the handshake is done
 * @param matching how its MSRP session matches incoming requests: by session-id (CEMA, RFC 6135, session matching),
 *     or {@link SessionMatching#STRICT} as an RFC 4975-only endpoint that compares whole URIs (GW-6)
 */
public record UeOptions(String name, String application, boolean tls, boolean requestE2ae, boolean cema, Setup offerSetup, Setup answerSetup,
        boolean impostor, SessionMatching matching) {

    public UeOptions(String name, String application, boolean tls, boolean requestE2ae, boolean cema, Setup offerSetup, Setup answerSetup,
            boolean impostor) {
        this(name, application, tls, requestE2ae, cema, offerSetup, answerSetup, impostor, SessionMatching.SESSION_ID);
    }

    public UeOptions {
        if (!application.equals("MSRP") && !application.equals("BFCP")) {
            throw new IllegalArgumentException("application MSRP or BFCP, not " + application);
        }
        if (requestE2ae && !tls) {
            throw new IllegalArgumentException("e2ae is requested on a TLS stream only");
        }
        if (answerSetup == Setup.ACTPASS || answerSetup == Setup.HOLDCONN) {
            throw new IllegalArgumentException("an answer is active or passive");
        }
    }

    public static UeOptions msrp(String name, boolean tls, boolean requestE2ae) {
        return new UeOptions(name, "MSRP", tls, requestE2ae, true, Setup.ACTPASS, Setup.ACTIVE, false);
    }

    public UeOptions withApplication(String app) {
        return new UeOptions(name, app, tls, requestE2ae, cema, offerSetup, answerSetup, impostor, matching);
    }

    public UeOptions withCema(boolean on) {
        return new UeOptions(name, application, tls, requestE2ae, on, offerSetup, answerSetup, impostor, matching);
    }

    public UeOptions withSetups(Setup offer, Setup answer) {
        return new UeOptions(name, application, tls, requestE2ae, cema, offer, answer, impostor, matching);
    }

    public UeOptions asImpostor() {
        return new UeOptions(name, application, tls, requestE2ae, cema, offerSetup, answerSetup, true, matching);
    }

    /**
     * An RFC 4975-only endpoint (GW-6): no CEMA, and requests matched on whole URIs ({@link SessionMatching#STRICT}),
     * as pre-Rel-8 UEs do (TR 29.828 4.1.4).
     */
    public UeOptions rfc4975Only() {
        return new UeOptions(name, application, tls, requestE2ae, false, offerSetup, answerSetup, impostor, SessionMatching.STRICT);
    }
}
