package org.mediasec.bearer;

import java.net.InetSocketAddress;
import java.util.Optional;
import org.mediasec.traceability.Implements;

/**
 * Which source a passive leg admits (TCP-9, SEC-2): the connection must come from the peer SDP signalled, and this
 * policy says how much of its address counts. A passive leg's peer connects (a=setup:active, or actpass answered with
 * our passive), and RFC 4145 4.1 gives such a peer's m-line port no meaning as a source: it SHOULD be 9 (discard), and
 * the peer connects from a port of its choosing; an actpass peer's port is where it would listen. So:
 *
 * <pre>
 * policy    peer's a=setup          SDP port        admitted source
 * exact     active (or none)        not 0 or 9      that address and that port
 * exact     active (or none)        0 or 9          that address, any port (no source port was signalled)
 * exact     actpass                 any             that address, any port (the port is its listening port)
 * address   any                     any             that address, any port            (the default)
 * latch     any                     any             TCP-6: the first source from that address (or, with no
 *                                                   address, any the remote address policy accepts), held to
 * </pre>
 *
 * {@code address} is the default because a UE's MSRP or BFCP client signals its own URI port with a=setup:active and
 * connects from an ephemeral one (RFC 4975 and RFC 6135 do not bind the two): holding it to the port would refuse every
 * such UE. {@code exact} is for a peer the operator knows to connect from its signalled port (an SBC or a border
 * function that binds its source); {@code latch} is for peers behind NATs that rewrite even the address. A connection
 * that fails the policy is reset at once, counted and reported ({@link BearerEvent.ConnectionRefused}), and the leg
 * keeps listening. Immutable.
 */
@Implements({"TCP-9", "SEC-2"})
public enum PassiveSourcePolicy {
    EXACT("exact"),
    ADDRESS("address"),
    LATCH("latch");

    /** RFC 4145 4.1 (RFC 863): the discard port an active endpoint puts on its m-line. */
    static final int DISCARD_PORT = 9;

    private final String token;

    PassiveSourcePolicy(String token) {
        this.token = token;
    }

    /** The configuration token. */
    public String token() {
        return token;
    }

    public static Optional<PassiveSourcePolicy> of(String token) {
        for (PassiveSourcePolicy policy : values()) {
            if (policy.token.equalsIgnoreCase(token.strip())) {
                return Optional.of(policy);
            }
        }
        return Optional.empty();
    }

    /**
     * What the passive leg expects of its peer, by the table above: {@code signalled} with its port, or with port 0
     * (any port).
     *
     * @param peerActpass whether the peer offered actpass (its port is where it would listen, never a source)
     */
    public InetSocketAddress expectedSource(InetSocketAddress signalled, boolean peerActpass) {
        boolean portIsSource = this == EXACT && !peerActpass && signalled.getPort() != 0 && signalled.getPort() != DISCARD_PORT;
        return portIsSource ? signalled : new InetSocketAddress(signalled.getAddress(), 0);
    }

    /**
     * Whether a connection from {@code from} is the expected peer's: the same address, and the same port unless the
     * expected port is 0 or 9 (any). {@code anyPort}: TCP-5, a merging leg's peer may reach the listener through a
     * NAT mapping of its own, so only the address counts there.
     */
    static boolean admits(InetSocketAddress expected, InetSocketAddress from, boolean anyPort) {
        boolean portFree = anyPort || expected.getPort() == 0 || expected.getPort() == DISCARD_PORT;
        return expected.getAddress().equals(from.getAddress()) && (portFree || expected.getPort() == from.getPort());
    }
}
