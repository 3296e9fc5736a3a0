package org.mediasec.controller.alg;

/**
 * How one m-line of an offer is anchored on the gateway: the application (MSRP or BFCP), and what the gateway does
 * with TLS towards the offerer and towards the answerer.
 */
public record StreamPlan(int mediaIndex, String application, LegSecurity towardsOfferer, LegSecurity towardsAnswerer) {

    public StreamPlan {
        if ((towardsOfferer == LegSecurity.TRANSPARENT) != (towardsAnswerer == LegSecurity.TRANSPARENT)) {
            throw new IllegalArgumentException("a transparent stream is transparent on both legs");
        }
    }

    public boolean transparent() {
        return towardsOfferer == LegSecurity.TRANSPARENT;
    }
}
