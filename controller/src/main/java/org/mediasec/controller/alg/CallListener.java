package org.mediasec.controller.alg;

import org.mediasec.controller.mgc.GatewayEvent;

/**
 * What the procedures tell the SIP side about a call after the offer/answer: the call was released by the media
 * plane (the SIP side sends BYE or CANCEL with this reason), and, for traces, the gateway's bearer events.
 * Called on the H.248 transport's thread: must not block.
 */
public interface CallListener {

    /** The call's media was released by the network (gateway failure event, gateway restart); its contexts are gone. */
    void onCallReleased(String callId, String reason);

    /** A gateway event on one of the call's legs ({@code towardsOfferer}: the leg towards the party that offered). */
    default void onBearerEvent(String callId, int mediaIndex, boolean towardsOfferer, GatewayEvent event) {}

    /** For the ladder: what the IMS-ALG chose about NATs for an m-line, and why (TR 29.828 4.4.2.2, 4.4.2.3). */
    default void onNatTraversal(String callId, int mediaIndex, String choice) {}
}
