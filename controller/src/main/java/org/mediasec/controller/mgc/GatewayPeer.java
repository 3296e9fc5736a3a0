package org.mediasec.controller.mgc;

import java.net.InetSocketAddress;

/**
 * A media gateway this controller may drive: its name (for logs and the operator), the address its H.248 messages
 * come from and go to, and the realm it serves (the IMS-ALG picks a gateway by realm, then by load).
 */
public record GatewayPeer(String name, InetSocketAddress control, String realm) {

    public GatewayPeer {
        if (name.isBlank() || realm.isBlank()) {
            throw new IllegalArgumentException("a gateway needs a name and a realm");
        }
    }
}
