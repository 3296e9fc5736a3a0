package org.mediasec.controller.alg;

import org.mediasec.sdp.MediaDescription;
import org.mediasec.traceability.Implements;

/**
 * Whether the gateway relays an MSRP stream application-agnostic or MSRP-aware (GW-6; TR 29.828 4.1.4 and table
 * 4.1.4-1; TS 23.334 5.19.5). Pure.
 *
 * <table>
 *   <caption>The decision</caption>
 *   <tr><th>offerer</th><th>answerer</th><th>mode</th><th>why</th></tr>
 *   <tr><td colspan="2">TLS relayed end to end (e2e)</td><td>agnostic</td><td>the gateway holds no key (E2E-8)</td></tr>
 *   <tr><td>CEMA</td><td>CEMA</td><td>agnostic</td><td>both connect to c=/m= and match by session-id (RFC 6714)</td></tr>
 *   <tr><td>session matching</td><td>session matching</td><td>agnostic</td><td>both match by session-id only</td></tr>
 *   <tr><td colspan="2">anything else: CEMA↔4975-only, sessmatch↔4975-only, CEMA↔sessmatch, 4975-only↔4975-only</td>
 *       <td>aware</td><td>a 4975-only endpoint compares whole URIs; CEMA and sessmatch do not interwork (table 4.1.4-1)</td></tr>
 * </table>
 * The offerer's CEMA is also read from its offer ({@code a=msrp-cema}); session matching is never negotiated in SDP,
 * so for it, and for the answerer's CEMA, only what the SIP side knows of the parties counts ({@link Party#msrp()}).
 */
@Implements("GW-6")
public final class MsrpInterworking {

    private MsrpInterworking() {}

    /** The plan with its MSRP mode decided; BFCP and other applications stay agnostic. */
    static StreamPlan decide(StreamPlan plan, MediaDescription offered, Party offerer, Party answerer) {
        return plan.withMsrpAware(aware(plan, offered, offerer, answerer));
    }

    static boolean aware(StreamPlan plan, MediaDescription offered, Party offerer, Party answerer) {
        if (!plan.application().equals("MSRP") || (plan.transparent() && offered.transport().isTls())) {
            return false;
        }
        boolean offererCema = offerer.msrp().cema() || offered.msrpCema();
        boolean bothCema = offererCema && answerer.msrp().cema();
        boolean bothSessionMatching = offerer.msrp().sessionMatching() && answerer.msrp().sessionMatching();
        return !(bothCema || bothSessionMatching);
    }
}
