package org.mediasec.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mediasec.bearer.BearerConfig;
import org.mediasec.bearer.BearerPlane;
import org.mediasec.bearer.PortAllocator;
import org.mediasec.gateway.profile.ImsAgwProfile;
import org.mediasec.h248.message.ActionReply;
import org.mediasec.h248.message.CommandReply;
import org.mediasec.h248.message.Events;
import org.mediasec.h248.message.PropertyParameter;
import org.mediasec.h248.message.PropertyValue;
import org.mediasec.h248.packages.TcpTlsPackageNames;
import org.mediasec.testsupport.WireTest;

/**
 * TCP-6, H.248.37 Amd.1 address reporting on real sockets on 127.0.0.1: a latching leg whose Events asked for
 * {@code adr/latched} reports the source it latched onto (address and the port the peer used) in one Notify; one
 * that did not ask reports nothing.
 */
@Timeout(120)
class LatchedAddressReportTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final byte[] BYTES = "through the latched leg".getBytes();

    private final BearerPlane plane = new BearerPlane(BearerConfig.DEFAULT);
    private final List<Events.ObservedEvent> observed = new CopyOnWriteArrayList<>();
    private MediaGateway gateway;

    @AfterEach
    void tearDown() {
        if (gateway != null) {
            gateway.close();
        }
        plane.close();
    }

    private ActionReply send(String actions) throws Exception {
        return GatewayTransactions.accepted(gateway, actions);
    }

    /** A context whose access leg latches (Remote: 127.0.0.1, the UE's NAT), with {@code events} on it; the core leg connects to {@code corePort}. */
    private int latchingContext(String events, int corePort) throws Exception {
        ActionReply added = send("""
                Context = $ {
                  Add = ip/$ { Media { Stream = 1 { LocalControl { Mode = SendReceive, ipnapt/latch = ON },
                      Local {
                v=0
                c=IN IP4 $
                m=message $ TCP/MSRP *
                a=setup:passive
                      },
                      Remote {
                v=0
                c=IN IP4 127.0.0.1
                m=message 5000 TCP/MSRP *
                a=setup:active
                      } } }%s },
                  Add = ip/$ { Media { Stream = 1 { LocalControl { Mode = SendReceive },
                      Local {
                v=0
                c=IN IP4 $
                m=message $ TCP/MSRP *
                a=setup:active
                      },
                      Remote {
                v=0
                c=IN IP4 127.0.0.1
                m=message %d TCP/MSRP *
                a=setup:passive
                      } } } }
                }""".formatted(events, corePort));
        String sdp = ((CommandReply.AmmsReply) added.replies().get(0)).localSdp(1).orElseThrow();
        return Integer.parseInt(sdp.lines().filter(l -> l.startsWith("m=")).findFirst().orElseThrow().split(" ")[1]);
    }

    /** The UE connects from a port of its own (never the SDP's 5000), and its bytes reach the core. */
    private static int connectThrough(int accessPort, ServerSocket core) throws Exception {
        try (Socket ue = new Socket()) {
            ue.bind(new InetSocketAddress(LOOPBACK, 0));
            ue.connect(new InetSocketAddress(LOOPBACK, accessPort), 5_000);
            ue.getOutputStream().write(BYTES);
            core.setSoTimeout(10_000);
            try (Socket coreSide = core.accept()) {
                coreSide.setSoTimeout(10_000);
                assertThat(coreSide.getInputStream().readNBytes(BYTES.length)).isEqualTo(BYTES);
            }
            return ue.getLocalPort();
        }
    }

    private static String parameter(Events.ObservedEvent event, String name) {
        return event.parameters().stream().map(p -> ((Events.EventOther) p).parameter()).filter(p -> p.name().equals(name))
                .map(PropertyParameter::value).map(v -> ((PropertyValue.Single) v).value()).findFirst().orElseThrow();
    }

    @Test
    @Tag("TCP-6")
    @WireTest
    void aLatchingLegThatAskedReportsTheSourceItLatchedOntoAndOneThatDidNotReportsNothing() throws Exception {
        int first = 13000 + (int) (ProcessHandle.current().pid() % 400) * 20; // below the ephemeral range
        gateway = new MediaGateway(new GatewayConfig(new ImsAgwProfile(), List.of(new PortAllocator.Realm("access", LOOPBACK, first, first + 7)), Map.of(),
                "access", 10), plane, (context, termination, events) -> observed.addAll(events.events()), new SimpleMeterRegistry());
        try (ServerSocket core = new ServerSocket(0, 2, LOOPBACK)) {
            int silent = connectThrough(latchingContext("", core.getLocalPort()), core);
            int uePort = connectThrough(latchingContext(", Events = 7 { " + TcpTlsPackageNames.ADDRESS_REPORTING_PACKAGE + "/"
                    + TcpTlsPackageNames.LATCHED_ADDRESS_EVENT + " }", core.getLocalPort()), core);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !observed.isEmpty());
            assertThat(observed).singleElement().satisfies(event -> {
                assertThat(event.name().toString()).isEqualTo("adr/latched");
                assertThat(parameter(event, TcpTlsPackageNames.LATCHED_IP)).isEqualTo("127.0.0.1");
                assertThat(parameter(event, TcpTlsPackageNames.LATCHED_PORT)).isEqualTo(String.valueOf(uePort));
            });
            assertThat(uePort).isNotEqualTo(silent);
        }
    }
}
