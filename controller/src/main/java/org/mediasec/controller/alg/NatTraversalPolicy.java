package org.mediasec.controller.alg;

import java.util.regex.Pattern;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.mediasec.controller.mgc.LegTraversal;
import org.mediasec.sdp.Setup;
import org.mediasec.traceability.Implements;

/**
 * How the IMS-ALG gets an access UE's TCP media through a NAT (TR 29.828 4.4.2.3; TCP-4, TCP-5, TCP-6). A UE is
 * taken to be behind a NAT when its SIP message came from another address than its SDP {@code c=} names, or when
 * that SDP address is one the realm cannot route ({@link #unroutable}: private, shared, link-local). Then its leg
 * gets what the policy of its access network says (the first whose prefixes hold the received-from address, else the
 * default): latching (H.248.37: the gateway accepts the UE's connection from the NAT's address, any port) or TCP
 * merge (the gateway also connects, from its port, to the NAT's address and the SDP port), and the other leg's TCP
 * establishment is delayed until the access leg's connection is up (TR 29.828 4.4.2.2 NOTE 3). Decision table:
 * docs/controller.md. Immutable.
 *
 * @param defaultMode the mode for a UE behind a NAT whose received-from address is in no access network
 * @param accessNetworks per access network, by received-from prefix, its mode
 * @param unroutable SDP addresses the realm cannot reach directly: a UE that writes one is behind a NAT
 * @param delayOtherLeg whether the other leg waits for the access leg's connection (TR 29.828 4.4.2.2 NOTE 3)
 */
@Implements({"TCP-4", "TCP-5", "TCP-6"})
public record NatTraversalPolicy(Mode defaultMode, List<AccessNetwork> accessNetworks, List<AddressPrefix> unroutable, boolean delayOtherLeg) {
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");


    /** What the IMS-ALG does for a UE behind a NAT. */
    public enum Mode {
        /** Nothing: the SDP address is trusted as it is. */
        NONE,
        /** H.248.37 latching onto the UE's connection from the NAT's address (TCP-6). */
        LATCH,
        /** TCP merge (TCP-5), where the UE offers actpass with a port; else latching. */
        MERGE;

        public static Mode of(String text) {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        }
    }

    /** An access network: the prefixes its UEs' SIP comes from, and the mode for a UE of it behind a NAT. */
    public record AccessNetwork(String name, List<AddressPrefix> from, Mode mode) {
        public AccessNetwork {
            from = List.copyOf(from);
        }
    }

    /**
     * The choice for one leg towards a party, with why (for the log and the ladder): the leg's traversal, the
     * address to give the gateway as the party's (the NAT's when behind one), and whether the other leg waits.
     */
    public record Choice(LegTraversal traversal, Optional<String> remoteAddress, boolean delayOther, String reason) {
        static Choice none(String reason) {
            return new Choice(LegTraversal.NONE, Optional.empty(), false, reason);
        }

        public boolean behindNat() {
            return remoteAddress.isPresent();
        }
    }

    /** RFC 1918, RFC 6598 shared space, RFC 3927 link-local, RFC 4193 unique local, RFC 4291 link-local. */
    public static final List<AddressPrefix> PRIVATE = List.of(AddressPrefix.parse("10.0.0.0/8"), AddressPrefix.parse("172.16.0.0/12"),
            AddressPrefix.parse("192.168.0.0/16"), AddressPrefix.parse("100.64.0.0/10"), AddressPrefix.parse("169.254.0.0/16"),
            AddressPrefix.parse("fc00::/7"), AddressPrefix.parse("fe80::/10"));

    /** RFC 4145 4.1 (RFC 863): the port an active endpoint writes, where nothing listens. */
    private static final int DISCARD_PORT = 9;

    /** Latching for every access network, private SDP addresses taken as NATed, the other leg delayed. */
    public static final NatTraversalPolicy DEFAULT = new NatTraversalPolicy(Mode.LATCH, List.of(), PRIVATE, true);

    public NatTraversalPolicy {
        accessNetworks = List.copyOf(accessNetworks);
        unroutable = List.copyOf(unroutable);
    }

    /**
     * The choice for the leg towards {@code party}, whose m-line says {@code sdpConnection} (c=, "IN IP4 a.b.c.d"),
     * {@code setup} and {@code port}, over a TCP transport or not ({@code datagram}).
     */
    public Choice choose(Party party, String sdpConnection, Setup setup, int port, boolean datagram) {
        if (!party.isAccess() || party.receivedFrom().isEmpty()) {
            return Choice.none(party.isAccess() ? "no received-from: the SDP address is trusted" : "core: not behind a NAT");
        }
        if (datagram) {
            return Choice.none("NAT traversal is for TCP legs");
        }
        String from = party.receivedFrom().get();
        String sdpAddress = address(sdpConnection);
        InetAddress fromAddress = AddressPrefix.literal(from);
        Optional<InetAddress> written = AddressPrefix.isLiteral(sdpAddress) ? Optional.of(AddressPrefix.literal(sdpAddress)) : Optional.empty();
        boolean differs = written.filter(fromAddress::equals).isEmpty();
        boolean unreachable = written.filter(address -> unroutable.stream().anyMatch(prefix -> prefix.contains(address))).isPresent();
        if (!differs && !unreachable) {
            return Choice.none("received-from " + from + " = SDP address: no NAT");
        }
        String why = differs ? "received-from " + from + " != SDP address " + sdpAddress : "SDP address " + sdpAddress + " is unroutable in the realm";
        Optional<AccessNetwork> network = accessNetworks.stream().filter(n -> n.from().stream().anyMatch(p -> p.contains(fromAddress))).findFirst();
        Mode mode = network.map(AccessNetwork::mode).orElse(defaultMode);
        String policy = network.map(n -> "access network " + n.name()).orElse("default policy") + " " + mode.name().toLowerCase(Locale.ROOT);
        if (mode == Mode.NONE) {
            return Choice.none(why + "; " + policy + ": SDP address trusted");
        }
        if (setup == Setup.PASSIVE) {
            // the UE only listens: the gateway connects, to the NAT's address; nothing to latch onto, no merge role
            return new Choice(LegTraversal.NONE, Optional.of(from), false, why + "; " + policy + ", but the UE is passive: the gateway connects to the NAT's address");
        }
        if (mode == Mode.MERGE && setup == Setup.ACTPASS && port != 0 && port != DISCARD_PORT) {
            return traverse(new LegTraversal(false, true, false), from, why + "; " + policy);
        }
        if (mode == Mode.MERGE) {
            return traverse(new LegTraversal(true, false, false), from, why + "; " + policy + ", but the UE connects out (no port to merge with): latching");
        }
        return traverse(new LegTraversal(true, false, false), from, why + "; " + policy);
    }

    private Choice traverse(LegTraversal traversal, String from, String reason) {
        return new Choice(traversal, Optional.of(from), delayOtherLeg, reason + (delayOtherLeg ? "; the other leg waits for this one's connection" : ""));
    }

    /** The address of a c= value ("IN IP4 192.0.2.1", possibly with a multicast /ttl). */
    static String address(String connection) {
        String[] parts = WHITESPACE.split(connection.strip());
        String address = parts[parts.length - 1];
        int slash = address.indexOf('/');
        return slash < 0 ? address : address.substring(0, slash);
    }
}
