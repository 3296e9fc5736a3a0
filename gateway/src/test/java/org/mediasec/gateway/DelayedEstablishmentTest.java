package org.mediasec.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
import org.mediasec.h248.message.ContextId;
import org.mediasec.testsupport.WireTest;

/**
 * TCP-4 through the gateway's command handling on real sockets on 127.0.0.1: an Add with {@code tcpbcc/delay = ON}
 * reserves the port and answers it, but until a Modify carries {@code tcpbcc/estab} the passive leg refuses (and
 * counts) every connection, its expected peer's included, and the active leg connects nowhere (TR 29.828 4.4.2.2).
 */
@Timeout(120)
class DelayedEstablishmentTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    /** How long "no connection" is watched for. */
    private static final Duration QUIET = Duration.ofMillis(1500);

    private final BearerPlane plane = new BearerPlane(BearerConfig.DEFAULT);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
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

    private static int port(CommandReply reply) {
        String sdp = ((CommandReply.AmmsReply) reply).localSdp(1).orElseThrow();
        return Integer.parseInt(sdp.lines().filter(l -> l.startsWith("m=")).findFirst().orElseThrow().split(" ")[1]);
    }

    private double refused() {
        return meters.counter("mediasec.bearer.connections.refused").count();
    }

    /** A connection the gateway reset: reading it ends in a reset or end of stream, never data or a timeout. */
    private static void assertReset(Socket socket) throws IOException {
        socket.setSoTimeout(10_000);
        assertThatThrownBy(() -> {
            if (socket.getInputStream().read() == -1) {
                throw new IOException("closed");
            }
        }).isInstanceOf(IOException.class).isNotInstanceOf(SocketTimeoutException.class);
    }

    @Test
    @Tag("TCP-4")
    @WireTest
    void aDelayedLegRefusesAndCountsUntilTheModifySignalsEstablishThenRelays() throws Exception {
        int first = 12000 + (int) (ProcessHandle.current().pid() % 500) * 20; // below the ephemeral range
        gateway = new MediaGateway(new GatewayConfig(new ImsAgwProfile(), List.of(new PortAllocator.Realm("access", LOOPBACK, first, first + 3)), Map.of(),
                "access", 10), plane, (context, termination, events) -> { }, meters);
        try (ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
            core.setSoTimeout((int) QUIET.toMillis());
            ActionReply added = send("""
                    Context = $ {
                      Add = ip/$ { Media { Stream = 1 { LocalControl { Mode = SendReceive, tcpbcc/delay = ON },
                          Local {
                    v=0
                    c=IN IP4 $
                    m=message $ TCP/MSRP *
                    a=setup:passive
                          },
                          Remote {
                    v=0
                    c=IN IP4 127.0.0.1
                    m=message 9 TCP/MSRP *
                    a=setup:active
                          } } } },
                      Add = ip/$ { Media { Stream = 1 { LocalControl { Mode = SendReceive, tcpbcc/delay = ON },
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
                    }""".formatted(core.getLocalPort()));
            long context = ((ContextId.Specific) added.contextId()).value();
            String access = ((CommandReply.AmmsReply) added.replies().get(0)).terminationId().toString();
            String coreLeg = ((CommandReply.AmmsReply) added.replies().get(1)).terminationId().toString();
            int accessPort = port(added.replies().get(0));

            // reserved: the expected peer's connection is refused and counted, and the core is not called
            try (Socket early = new Socket(LOOPBACK, accessPort)) {
                assertReset(early);
            }
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> refused() == 1);
            assertThatThrownBy(core::accept).as("the delayed active leg connects nowhere").isInstanceOf(SocketTimeoutException.class);

            // the access leg's NAT traversal is done: the MGC lets it accept, then lets the core leg connect
            send("Context = " + context + " { Modify = " + access + " { Signals { tcpbcc/estab } } }");
            try (Socket ue = new Socket(LOOPBACK, accessPort)) {
                ue.setSoTimeout(10_000);
                ue.getOutputStream().write("early".getBytes(StandardCharsets.US_ASCII)); // held until the core leg is up
                assertThatThrownBy(core::accept).as("the core leg still waits for its own signal").isInstanceOf(SocketTimeoutException.class);
                send("Context = " + context + " { Modify = " + coreLeg + " { Signals { tcpbcc/estab } } }");
                core.setSoTimeout(10_000);
                try (Socket coreSide = core.accept()) {
                    coreSide.setSoTimeout(10_000);
                    assertThat(new String(coreSide.getInputStream().readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("early");
                    coreSide.getOutputStream().write("reply".getBytes(StandardCharsets.US_ASCII));
                    assertThat(new String(ue.getInputStream().readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("reply");
                }
            }
            assertThat(refused()).isEqualTo(1);
        }
    }
}
