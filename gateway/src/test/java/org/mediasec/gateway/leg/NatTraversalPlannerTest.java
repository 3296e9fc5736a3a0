package org.mediasec.gateway.leg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mediasec.bearer.PortAllocator;
import org.mediasec.bearer.TcpRole;
import org.mediasec.gateway.GatewayConfig;
import org.mediasec.gateway.GatewayError;
import org.mediasec.gateway.profile.ImsAgwProfile;
import org.mediasec.gateway.profile.MrfpProfile;
import org.mediasec.h248.ErrorCode;
import org.mediasec.h248.message.Transaction;
import org.mediasec.h248.message.Command;
import org.mediasec.h248.text.H248TextParser;

/**
 * The translation of the NAT traversal items (TCP-4 {@code tcpbcc/delay} and {@code tcpbcc/estab}, TCP-5
 * {@code tcpbcc/merge}, TCP-6 {@code ipnapt/latch}) from H.248 text to the leg plan, and what is refused: no sockets.
 * On real sockets: the bearer's NatTraversalRelayTest, the gateway's NatTraversalGatewayTest, the it module's
 * NatTraversalTest through a real NAT.
 */
class NatTraversalPlannerTest {

    private static final GatewayConfig AGW = new GatewayConfig(new ImsAgwProfile(),
            List.of(new PortAllocator.Realm("access", InetAddress.getLoopbackAddress(), 20000, 20009)), Map.of(), "access", 10);

    /** The descriptors of the one Add or Modify in {@code command} ("Add = ip/$ { … }"), read as the gateway reads them. */
    private static TerminationUpdate read(String command) throws Exception {
        String text = "MEGACO/3 [127.0.0.1]:2944\nTransaction = 1 { Context = 1 {\n" + command + "\n} }\n";
        Transaction.TransactionRequest request = (Transaction.TransactionRequest) H248TextParser.parse(text).transactions().get(0);
        Command.AmmRequest amm = (Command.AmmRequest) request.actions().get(0).commands().get(0).command();
        return DescriptorReader.read(amm.descriptors(), AGW);
    }

    private static String add(String localControl, String local, String remote) {
        return "Add = ip/$ { Media { Stream = 1 { LocalControl { Mode = SendReceive" + localControl + " },\n Local {\n" + local + "\n },\n Remote {\n"
                + remote + "\n } } } }";
    }

    private static String sdp(String address, String port, String setup) {
        return "v=0\nc=IN IP4 " + address + "\nm=message " + port + " TCP/MSRP *\n" + (setup.isEmpty() ? "" : "a=setup:" + setup + "\n");
    }

    private static LegPlan plan(String command) throws Exception {
        return LegPlanner.plan(Optional.empty(), read(command), AGW).plan();
    }

    private static int refusal(String command) {
        try {
            plan(command);
        } catch (GatewayError e) {
            return e.error().code();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("planned, expected a refusal");
    }

    @Test
    void withoutTraversalItemsALegHasNone() throws Exception {
        LegPlan plan = plan(add("", sdp("$", "$", "passive"), sdp("192.0.2.7", "7394", "active")));
        assertThat(plan.traversal()).isEqualTo(LegPlan.Traversal.NONE);
    }

    @Test
    void latchingOnAPassiveLegHoldsToTheRemoteAddressWithAnyPortWhateverThePeersSetup() throws Exception {
        // a=setup:passive from the peer would otherwise hold us to its port too; behind a NAT that rewrites ports
        // the source port is never the SDP port (TCP-6)
        LegPlan plan = plan(add(", ipnapt/latch = ON", sdp("$", "$", "passive"), sdp("192.0.2.7", "7394", "actpass")));
        assertThat(plan.traversal().latch()).contains(AGW.remoteAddresses());
        assertThat(plan.remote()).contains(new InetSocketAddress("192.0.2.7", 0));
        assertThat(plan.complete()).isTrue();
    }

    @Test
    void latchingWithoutARemoteAddressIsCompleteAndHoldsToTheRealmPolicy() throws Exception {
        LegPlan plan = plan(add(", ipnapt/latch = ON", sdp("$", "$", "passive"), sdp("$", "$", "active")));
        assertThat(plan.remote()).isEmpty();
        assertThat(plan.traversal().latch()).contains(AGW.remoteAddresses());
        assertThat(plan.complete()).isTrue();
    }

    @Test
    void latchingOffIsNoLatching() throws Exception {
        assertThat(plan(add(", ipnapt/latch = OFF", sdp("$", "$", "passive"), sdp("192.0.2.7", "7394", "active"))).traversal().latch()).isEmpty();
    }

    @Test
    void latchingOnAnActiveLegIsAConflict() {
        assertThat(refusal(add(", ipnapt/latch = ON", sdp("$", "$", "active"), sdp("192.0.2.7", "7394", "passive"))))
                .isEqualTo(ErrorCode.CONFLICTING_PROPERTY_VALUES.code());
    }

    @Test
    void aLatchValueThatIsNotOnOrOffIsRefused() {
        assertThat(refusal(add(", ipnapt/latch = maybe", sdp("$", "$", "passive"), sdp("192.0.2.7", "7394", "active")))).isEqualTo(449);
    }

    @Test
    void delayedEstablishmentHoldsUntilTheEstablishSignalOfALaterModify() throws Exception {
        LegPlan added = plan(add(", tcpbcc/delay = ON", sdp("$", "$", "active"), sdp("192.0.2.7", "7394", "passive")));
        assertThat(added.traversal().delayed()).isTrue();
        assertThat(added.role()).isEqualTo(TcpRole.ACTIVE);
        // a Modify without the signal keeps the delay; with it, the leg establishes (TCP-4)
        LegPlan restated = LegPlanner.plan(Optional.of(added), read("Modify = ip/1 { Media { Stream = 1 { LocalControl { Mode = SendReceive } } } }"), AGW)
                .plan();
        assertThat(restated.traversal().delayed()).isTrue();
        LegPlan signalled = LegPlanner.plan(Optional.of(restated), read("Modify = ip/1 { Signals { tcpbcc/estab } }"), AGW).plan();
        assertThat(signalled.traversal().delayed()).isFalse();
        assertThat(signalled.remote()).isEqualTo(added.remote());
    }

    @Test
    void anAddThatDelaysAndSignalsAtOnceIsNotDelayed() throws Exception {
        String add = add(", tcpbcc/delay = ON", sdp("$", "$", "active"), sdp("192.0.2.7", "7394", "passive"));
        LegPlan plan = plan(add.substring(0, add.length() - 1) + ", Signals { tcpbcc/estab } }");
        assertThat(plan.traversal().delayed()).isFalse();
    }

    @Test
    void mergeOnAPassiveLegKeepsThePeersPortToConnectTo() throws Exception {
        LegPlan plan = plan(add(", tcpbcc/merge = ON", sdp("$", "$", "passive"), sdp("192.0.2.7", "7394", "active")));
        assertThat(plan.traversal().merge()).isTrue();
        assertThat(plan.remote()).contains(new InetSocketAddress("192.0.2.7", 7394));
        assertThat(plan.complete()).isTrue();
    }

    @Test
    void mergeNeedsAPassiveLegAndThePeersPort() {
        assertThat(refusal(add(", tcpbcc/merge = ON", sdp("$", "$", "active"), sdp("192.0.2.7", "7394", "passive"))))
                .isEqualTo(ErrorCode.CONFLICTING_PROPERTY_VALUES.code());
        assertThat(refusal(add(", tcpbcc/merge = ON", sdp("$", "$", "passive"), sdp("192.0.2.7", "9", "active"))))
                .isEqualTo(ErrorCode.UNSUPPORTED_PARAMETER_OR_PROPERTY_VALUE.code());
    }

    @Test
    void aMergingLegWithoutItsPeerIsNotCompleteYet() throws Exception {
        LegPlan plan = plan(add(", tcpbcc/merge = ON", sdp("$", "$", "passive"), sdp("$", "$", "active")));
        assertThat(plan.complete()).isFalse();
    }

    @Test
    void udpLegsTakeNoneOfThem() {
        String udp = "Add = ip/$ { Media { Stream = 1 { LocalControl { Mode = SendReceive, ipnapt/latch = ON },\n Local {\nv=0\nc=IN IP4 $\n"
                + "m=image $ udptl t38\n },\n Remote {\nv=0\nc=IN IP4 192.0.2.7\nm=image 5000 udptl t38\n } } } }";
        assertThat(refusal(udp)).isEqualTo(ErrorCode.NOT_IMPLEMENTED.code());
    }

    @Test
    void aConferenceTakesNoDelayNorMerge() throws Exception {
        GatewayConfig mrfp = new GatewayConfig(new MrfpProfile(MrfpProfile.DEFAULT_MAX_PARTICIPANTS), AGW.realms(), Map.of(), "access", 10);
        TerminationUpdate delayed = read(add(", tcpbcc/delay = ON", sdp("$", "$", "passive"), sdp("192.0.2.7", "7394", "active")));
        assertThatThrownBy(() -> LegPlanner.plan(Optional.empty(), delayed, mrfp)).isInstanceOfSatisfying(GatewayError.class,
                e -> assertThat(e.error().code()).isEqualTo(ErrorCode.NOT_IMPLEMENTED.code()));
    }
}
