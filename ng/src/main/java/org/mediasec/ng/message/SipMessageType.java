package org.mediasec.ng.message;

import java.util.Optional;

/**
 * The {@code sip-message-type} key: whether the SIP message the proxy is handling is a request or a reply, which
 * decides which side a from-tag names. Kamailio's rtpengine module writes {@code sip_request} and
 * {@code sip_reply}; rtpengine also reads {@code request}, {@code reply}, {@code sip-response} and their spellings.
 */
public enum SipMessageType {
    REQUEST("sip_request"),
    REPLY("sip_reply");

    private final String wire;

    SipMessageType(String wire) {
        this.wire = wire;
    }

    /** The spelling we write: Kamailio's. */
    public String wire() {
        return wire;
    }

    /** Reads any spelling rtpengine reads, compared normalised (see {@link NgKeys#normalise(String)}). */
    public static Optional<SipMessageType> parse(String text) {
        return switch (NgKeys.normalise(text)) {
            case "request", "sip-request" -> Optional.of(REQUEST);
            case "reply", "response", "sip-reply", "sip-response" -> Optional.of(REPLY);
            default -> Optional.empty();
        };
    }
}
