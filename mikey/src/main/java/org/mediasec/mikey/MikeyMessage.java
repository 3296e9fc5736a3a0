package org.mediasec.mikey;

import java.util.List;
import java.util.Optional;

/** A MIKEY message: the common header and its payloads in order (RFC 3830 6). */
public record MikeyMessage(CommonHeader header, List<Payload> payloads) {

    public MikeyMessage {
        payloads = List.copyOf(payloads);
    }

    /** The first payload of a kind. */
    public <P extends Payload> Optional<P> first(Class<P> kind) {
        return payloads.stream().filter(kind::isInstance).map(kind::cast).findFirst();
    }
}
