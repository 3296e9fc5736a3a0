package org.mediasec.h248stack.transport;

import java.net.InetSocketAddress;

/**
 * Sees every H.248 message an endpoint sends or receives, as the text on the wire (without TPKT framing): for
 * tracing, for captures an operator can open in Wireshark, and for the tests' wire checks. It is called on the
 * endpoint's event loop and must not block. Endpoints copy no bytes for it while no tap is set.
 */
@FunctionalInterface
public interface WireTap {

    enum Direction { SENT, RECEIVED }

    enum Protocol { UDP, TCP }

    void onMessage(Direction direction, Protocol protocol, InetSocketAddress local, InetSocketAddress remote, byte[] text);
}
