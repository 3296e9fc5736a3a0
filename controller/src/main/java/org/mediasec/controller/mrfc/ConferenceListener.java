package org.mediasec.controller.mrfc;

import org.mediasec.controller.mgc.GatewayEvent;

/** What the MRFC tells its SIP side and traces. Called on the H.248 transport's thread or a KMS worker: must not block. */
public interface ConferenceListener {

    /** The participant's media was released by the MRFP (TLS or TCP failure, the UE closed): the SIP side sends BYE. */
    void onParticipantReleased(String callId, String reason);

    /** A MIKEY message was sent or received (for ladders): its type, e.g. TRANSFER_INIT, and with whom. */
    default void onMikey(String callId, String message, String peer) {}

    /** An MRFP event on one of the participant's streams. */
    default void onBearerEvent(String callId, int mediaIndex, GatewayEvent event) {}
}
