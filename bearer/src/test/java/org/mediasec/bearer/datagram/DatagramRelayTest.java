package org.mediasec.bearer.datagram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mediasec.bearer.datagram.DatagramPeers.ANY_PORT;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mediasec.bearer.BearerConfig;
import org.mediasec.bearer.BearerEvent;
import org.mediasec.bearer.BearerPlane;
import org.mediasec.bearer.ReleaseReason;
import org.mediasec.bearer.Side;
import org.mediasec.t38.UdptlCodec;

/** Plain UDP legs over real loopback sockets: sources, size bounds, whole datagrams, release. */
class DatagramRelayTest {

    private static final int MAX_DATAGRAM = 400;
    private final BearerPlane plane = new BearerPlane(BearerConfig.DEFAULT);
    private final List<BearerEvent> events = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() {
        plane.close();
    }

    private DatagramPair open(DatagramPeers.Udp ue, DatagramPeers.Udp core) throws Exception {
        return plane.openDatagram(DatagramLegSpec.udp(ANY_PORT, Optional.of(ue.address()), MAX_DATAGRAM),
                DatagramLegSpec.udp(ANY_PORT, Optional.of(core.address()), MAX_DATAGRAM), events::add).get(5, TimeUnit.SECONDS);
    }

    @Test
    void eachDatagramIsForwardedWholeAndAlone() throws Exception {
        try (var ue = new DatagramPeers.Udp(); var core = new DatagramPeers.Udp()) {
            DatagramPair pair = open(ue, core);
            for (int size : List.of(1, 17, MAX_DATAGRAM, 2, 399)) {
                byte[] payload = new byte[size];
                Arrays.fill(payload, (byte) size);
                ue.send(payload, pair.localAddress(Side.A));
                assertThat(core.receive(5000)).hasValueSatisfying(received -> assertThat(received).isEqualTo(payload));
            }
            core.send(new byte[] {9, 9}, pair.localAddress(Side.B));
            assertThat(ue.receive(5000)).hasValueSatisfying(received -> assertThat(received).containsExactly(9, 9));
            assertThat(pair.forwarded(Side.A)).isEqualTo(5);
            assertThat(pair.bytesReceived(Side.A)).isEqualTo(1 + 17 + MAX_DATAGRAM + 2 + 399);
            assertThat(pair.forwarded(Side.B)).isEqualTo(1);
        }
    }

    @Test
    void datagramsFromAnotherSourceAreDroppedAndCounted() throws Exception {
        try (var ue = new DatagramPeers.Udp(); var core = new DatagramPeers.Udp(); var intruder = new DatagramPeers.Udp()) {
            DatagramPair pair = open(ue, core);
            intruder.send(new byte[] {6, 6, 6}, pair.localAddress(Side.A));
            intruder.send(new byte[] {6, 6, 6}, pair.localAddress(Side.B));
            await().atMost(Duration.ofSeconds(5)).until(() -> pair.dropped(Side.A, DropReason.WRONG_SOURCE) == 1 && pair.dropped(Side.B, DropReason.WRONG_SOURCE) == 1);
            ue.send(new byte[] {1}, pair.localAddress(Side.A));
            assertThat(core.receive(5000)).hasValueSatisfying(received -> assertThat(received).containsExactly(1)); // the intruder's never came first
            assertThat(ue.receive(300)).isEmpty();
            assertThat(pair.forwarded(Side.A)).isEqualTo(1);
            assertThat(pair.forwarded(Side.B)).isZero();
        }
    }

    @Test
    void oversizeDatagramsAreDroppedAndCounted() throws Exception {
        try (var ue = new DatagramPeers.Udp(); var core = new DatagramPeers.Udp()) {
            DatagramPair pair = open(ue, core);
            ue.send(new byte[MAX_DATAGRAM + 1], pair.localAddress(Side.A));
            core.send(new byte[UdptlCodec.MAX_DATAGRAM], pair.localAddress(Side.B));
            await().atMost(Duration.ofSeconds(5)).until(() -> pair.dropped(Side.A, DropReason.OVERSIZE) == 1 && pair.dropped(Side.B, DropReason.OVERSIZE) == 1);
            ue.send(new byte[] {2}, pair.localAddress(Side.A));
            assertThat(core.receive(5000)).hasValueSatisfying(received -> assertThat(received).containsExactly(2));
            assertThat(ue.receive(300)).isEmpty();
        }
    }

    @Test
    void aPayloadCheckDropsWhatItRefuses() throws Exception {
        try (var ue = new DatagramPeers.Udp(); var core = new DatagramPeers.Udp()) {
            DatagramPair pair = plane.openDatagram(DatagramLegSpec.udp(ANY_PORT, Optional.of(ue.address()), MAX_DATAGRAM).withPayloadCheck(UdptlChecks::isUdptl),
                    DatagramLegSpec.udp(ANY_PORT, Optional.of(core.address()), MAX_DATAGRAM), events::add).get(5, TimeUnit.SECONDS);
            ue.send(new byte[] {0, 1, 5}, pair.localAddress(Side.A)); // a length past the end
            await().atMost(Duration.ofSeconds(5)).until(() -> pair.dropped(Side.A, DropReason.INVALID_PAYLOAD) == 1);
            byte[] udptl = {0, 1, 1, 2, 0, 0};
            ue.send(udptl, pair.localAddress(Side.A));
            assertThat(core.receive(5000)).hasValueSatisfying(received -> assertThat(received).isEqualTo(udptl));
        }
    }

    @Test
    void aHeldDirectionDropsAndCountsWhileTheOtherFlows() throws Exception {
        try (var ue = new DatagramPeers.Udp(); var core = new DatagramPeers.Udp()) {
            DatagramPair pair = open(ue, core);
            pair.setFlow(Side.A, false).get(5, TimeUnit.SECONDS);
            ue.send(new byte[] {1, 1}, pair.localAddress(Side.A));
            await().atMost(Duration.ofSeconds(10)).until(() -> pair.dropped(Side.A, DropReason.HELD) == 1);
            core.send(new byte[] {2}, pair.localAddress(Side.B));
            assertThat(ue.receive(5000)).hasValueSatisfying(received -> assertThat(received).containsExactly(2));
            assertThat(core.receive(300)).as("nothing of the held direction").isEmpty();
            pair.setFlow(Side.A, true).get(5, TimeUnit.SECONDS);
            ue.send(new byte[] {3, 3, 3}, pair.localAddress(Side.A));
            assertThat(core.receive(5000)).hasValueSatisfying(received -> assertThat(received).containsExactly(3, 3, 3));
            assertThat(pair.bytesForwarded(Side.A)).isEqualTo(3);
            assertThat(pair.bytesForwarded(Side.B)).isEqualTo(1);
            assertThat(pair.bytesReceived(Side.A)).isEqualTo(5);
        }
    }

    @Test
    void releaseIsReportedOnceAndFreesThePorts() throws Exception {
        try (var ue = new DatagramPeers.Udp(); var core = new DatagramPeers.Udp()) {
            DatagramPair pair = open(ue, core);
            var local = pair.localAddress(Side.A);
            pair.release("subtract");
            BearerEvent.Released released = pair.released().get(5, TimeUnit.SECONDS);
            assertThat(released.reason()).isEqualTo(ReleaseReason.RELEASED);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                    .until(() -> events.stream().filter(BearerEvent.Released.class::isInstance).count() == 1);
            try (var again = new java.net.DatagramSocket(local)) {
                assertThat(again.getLocalPort()).isEqualTo(local.getPort());
            }
        }
    }

    /** What the gateway would give a T.38 leg as its payload check. */
    static final class UdptlChecks {
        static boolean isUdptl(byte[] payload) {
            try {
                UdptlCodec.decode(payload);
                return true;
            } catch (org.mediasec.t38.T38Exception e) {
                return false;
            }
        }
    }
}
