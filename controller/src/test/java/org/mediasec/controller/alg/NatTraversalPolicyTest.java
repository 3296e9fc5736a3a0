package org.mediasec.controller.alg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mediasec.controller.mgc.LegTraversal;
import org.mediasec.sdp.Setup;

/** The IMS-ALG's NAT decision table (docs/controller.md), row by row. */
class NatTraversalPolicyTest {

    private static final LegTraversal LATCH = new LegTraversal(true, false, false);
    private static final LegTraversal MERGE = new LegTraversal(false, true, false);
    private static final NatTraversalPolicy POLICY = new NatTraversalPolicy(NatTraversalPolicy.Mode.LATCH,
            List.of(new NatTraversalPolicy.AccessNetwork("wlan", List.of(AddressPrefix.parse("198.51.100.0/24")), NatTraversalPolicy.Mode.MERGE),
                    new NatTraversalPolicy.AccessNetwork("enterprise", List.of(AddressPrefix.parse("203.0.113.0/24")), NatTraversalPolicy.Mode.NONE)),
            NatTraversalPolicy.PRIVATE, true);

    private static NatTraversalPolicy.Choice choose(Party party, String sdpAddress, Setup setup, int port) {
        return POLICY.choose(party, "IN IP4 " + sdpAddress, setup, port, false);
    }

    @Test
    void withoutReceivedFromOrFromTheCoreTheSdpAddressIsTrusted() {
        assertThat(choose(Party.accessUe(false), "10.1.0.2", Setup.ACTIVE, 9)).isEqualTo(NatTraversalPolicy.Choice.none("no received-from: the SDP address is trusted"));
        assertThat(choose(Party.core().withReceivedFrom("192.0.2.1"), "10.1.0.2", Setup.ACTIVE, 9).traversal()).isEqualTo(LegTraversal.NONE);
    }

    @Test
    void theSameRoutableAddressIsNoNat() {
        NatTraversalPolicy.Choice choice = choose(Party.accessUe(false).withReceivedFrom("192.0.2.1"), "192.0.2.1", Setup.ACTIVE, 9);
        assertThat(choice.traversal()).isEqualTo(LegTraversal.NONE);
        assertThat(choice.remoteAddress()).isEmpty();
        assertThat(choice.delayOther()).isFalse();
    }

    @Test
    void anotherAddressOrAPrivateOneIsANatAndTheDefaultLatchesOntoTheReceivedFromAddressTheOtherLegWaiting() {
        NatTraversalPolicy.Choice differs = choose(Party.accessUe(false).withReceivedFrom("192.0.2.1"), "192.0.2.9", Setup.ACTIVE, 9);
        assertThat(differs).isEqualTo(new NatTraversalPolicy.Choice(LATCH, Optional.of("192.0.2.1"), true,
                "received-from 192.0.2.1 != SDP address 192.0.2.9; default policy latch; the other leg waits for this one's connection"));
        NatTraversalPolicy.Choice privately = choose(Party.accessUe(false).withReceivedFrom("10.1.0.2"), "10.1.0.2", Setup.ACTPASS, 5000);
        assertThat(privately.traversal()).isEqualTo(LATCH);
        assertThat(privately.reason()).startsWith("SDP address 10.1.0.2 is unroutable in the realm");
    }

    @Test
    void anAccessNetworkSaysMergeWhereTheUeOffersAPortAndLatchingWhereItOnlyConnectsOut() {
        Party wlan = Party.accessUe(false).withReceivedFrom("198.51.100.7");
        assertThat(choose(wlan, "10.1.0.2", Setup.ACTPASS, 5000).traversal()).isEqualTo(MERGE);
        assertThat(choose(wlan, "10.1.0.2", Setup.ACTIVE, 9).traversal()).isEqualTo(LATCH);
        NatTraversalPolicy.Choice passive = choose(wlan, "10.1.0.2", Setup.PASSIVE, 5000);
        assertThat(passive.traversal()).isEqualTo(LegTraversal.NONE);
        assertThat(passive.remoteAddress()).contains("198.51.100.7"); // the gateway connects to the NAT's address
        assertThat(passive.delayOther()).isFalse();
    }

    @Test
    void anAccessNetworkWithModeNoneTrustsTheSdpAndDatagramsGetNothing() {
        assertThat(choose(Party.accessUe(false).withReceivedFrom("203.0.113.5"), "10.1.0.2", Setup.ACTIVE, 9).remoteAddress()).isEmpty();
        assertThat(POLICY.choose(Party.accessUe(false).withReceivedFrom("192.0.2.1"), "IN IP4 10.1.0.2", Setup.ACTIVE, 9, true).traversal())
                .isEqualTo(LegTraversal.NONE);
    }

    @Test
    void prefixesAndLiteralsNeverResolveNames() throws Exception {
        assertThat(AddressPrefix.parse("10.0.0.0/8").contains(InetAddress.getByName("10.200.1.1"))).isTrue();
        assertThat(AddressPrefix.parse("10.0.0.0/8").contains(InetAddress.getByName("11.0.0.1"))).isFalse();
        assertThat(AddressPrefix.parse("fc00::/7").contains(InetAddress.getByName("fd12::1"))).isTrue();
        assertThat(AddressPrefix.parse("fc00::/7").contains(InetAddress.getByName("10.0.0.1"))).isFalse();
        assertThat(AddressPrefix.isLiteral("example.com")).isFalse();
        assertThat(AddressPrefix.isLiteral("1.2.3.999")).isFalse(); // the JDK would look this one up as a name
        assertThatThrownBy(() -> Party.accessUe(false).withReceivedFrom("ue.example")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AddressPrefix.parse("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
    }
}
