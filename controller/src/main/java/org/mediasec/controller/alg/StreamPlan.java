package org.mediasec.controller.alg;

/**
 * How one m-line of an offer is anchored on the gateway: the application (MSRP or BFCP), what the gateway does with
 * TLS towards the offerer and towards the answerer, and whether it rewrites MSRP paths (GW-6, {@link MsrpInterworking}).
 */
public record StreamPlan(int mediaIndex, String application, LegSecurity towardsOfferer, LegSecurity towardsAnswerer, boolean msrpAware) {

    /** An application-agnostic plan (bytes relayed as they are). */
    public StreamPlan(int mediaIndex, String application, LegSecurity towardsOfferer, LegSecurity towardsAnswerer) {
        this(mediaIndex, application, towardsOfferer, towardsAnswerer, false);
    }

    public StreamPlan {
        if ((towardsOfferer == LegSecurity.TRANSPARENT) != (towardsAnswerer == LegSecurity.TRANSPARENT)) {
            throw new IllegalArgumentException("a transparent stream is transparent on both legs");
        }
        if (msrpAware && !application.equals("MSRP")) {
            throw new IllegalArgumentException("MSRP-aware on a " + application + " stream");
        }
    }

    public StreamPlan withMsrpAware(boolean aware) {
        return new StreamPlan(mediaIndex, application, towardsOfferer, towardsAnswerer, aware);
    }

    public boolean transparent() {
        return towardsOfferer == LegSecurity.TRANSPARENT;
    }
}
