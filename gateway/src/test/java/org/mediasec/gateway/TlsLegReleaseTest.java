package org.mediasec.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.bouncycastle.tls.AlertDescription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mediasec.bearer.BearerConfig;
import org.mediasec.bearer.BearerPlane;
import org.mediasec.bearer.PortAllocator;
import org.mediasec.bearer.tls.CertificateFingerprint;
import org.mediasec.bearer.tls.SelfSignedCertificate;
import org.mediasec.bearer.tls.TlsDomain;
import org.mediasec.bearer.tls.TlsEngines;
import org.mediasec.gateway.profile.ImsAgwProfile;
import org.mediasec.h248.message.ActionReply;
import org.mediasec.h248.message.CommandReply;
import org.mediasec.h248.message.Transaction;
import org.mediasec.h248.text.H248TextParser;
import org.mediasec.testsupport.WireTest;

/**
 * TLS-10 on an established e2ae session (IMS-AGW, TLS towards the UE, TCP towards the core): a fatal alert from the
 * UE, or a reset of its TCP connection, ends the TLS session, releases both legs, and is reported to the MGC in
 * exactly one Notify on the UE's termination. "Exactly one": the first Notify is awaited, both legs are seen closed
 * from outside and the pair released inside, and then no second Notify comes for {@link #QUIET}.
 */
@Timeout(60)
class TlsLegReleaseTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    /** How long the Notify count must stay at one once everything is closed: well beyond a loop's turn on a loaded machine. */
    private static final Duration QUIET = Duration.ofSeconds(1);
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final String MSRP_SEND = "MSRP t1 SEND\r\nTo-Path: msrp://core/s;tcp\r\nFrom-Path: msrps://ue/s;tcp\r\nMessage-ID: 1\r\n"
            + "Byte-Range: 1-5/5\r\nContent-Type: text/plain\r\n\r\nhello\r\n-------t1$\r\n";

    private final BearerPlane plane = new BearerPlane(BearerConfig.DEFAULT);
    private final List<String> notifies = new CopyOnWriteArrayList<>();
    private final SelfSignedCertificate ueCertificate = SelfSignedCertificate.generate("ue", Duration.ofDays(1));
    private MediaGateway gateway;
    private ServerSocket core;

    @BeforeEach
    void start() throws IOException {
        // beside MediaGatewayTest's ten ports, below the ephemeral range
        int first = 10010 + (int) (ProcessHandle.current().pid() % 500) * 20;
        TlsEngines access = new TlsEngines(TlsDomain.defaults("access", SelfSignedCertificate.generate("mediasec", Duration.ofDays(1))));
        gateway = new MediaGateway(new GatewayConfig(new ImsAgwProfile(), List.of(new PortAllocator.Realm("access", LOOPBACK, first, first + 9)),
                Map.of("access", access), "access", 10), plane, (context, termination, events) -> notifies.add(termination + " " + events));
        core = new ServerSocket(0, 1, LOOPBACK);
    }

    @AfterEach
    void stop() throws IOException {
        core.close();
        gateway.close();
        plane.close();
    }

    /** An e2ae context: the UE's TLS leg (the gateway passive, TLS server, fingerprint checked) and the core's TCP leg. */
    private ActionReply e2aeContext() throws Exception {
        String actions = E2aeContextText.of(CertificateFingerprint.of("sha-256", ueCertificate.certificate()), core.getLocalPort());
        Transaction.TransactionRequest request = (Transaction.TransactionRequest) H248TextParser
                .parse("MEGACO/3 [127.0.0.1]:2944\nTransaction = 1 {\n" + actions + "\n}\n").transactions().get(0);
        ActionReply reply = gateway.onTransactionRequest(request).toCompletableFuture().get(10, TimeUnit.SECONDS).actions().get(0);
        assertThat(reply.error()).isEmpty();
        return reply;
    }

    private static InetSocketAddress localAddress(CommandReply reply) {
        String sdp = ((CommandReply.AmmsReply) reply).localSdp(1).orElseThrow();
        int port = Integer.parseInt(sdp.lines().filter(l -> l.startsWith("m=")).findFirst().orElseThrow().split(" ")[1]);
        return new InetSocketAddress(LOOPBACK, port);
    }

    /** The UE's session is up and relays: its SEND reaches the core. */
    private CertificateTlsUe establish(ActionReply context, Socket[] coreSide) throws Exception {
        CertificateTlsUe ue = new CertificateTlsUe(localAddress(context.replies().get(0)), ueCertificate, PATIENCE);
        coreSide[0] = core.accept();
        coreSide[0].setSoTimeout((int) PATIENCE.toMillis());
        Awaitility.await().atMost(PATIENCE).until(() -> notifies.stream().anyMatch(n -> n.contains("estab")));
        ue.write(MSRP_SEND.getBytes(StandardCharsets.US_ASCII));
        assertThat(coreSide[0].getInputStream().readNBytes(MSRP_SEND.length())).isEqualTo(MSRP_SEND.getBytes(StandardCharsets.US_ASCII));
        return ue;
    }

    /** The gateway ended the core's connection: end of stream (FIN) or a reset, either closes it. */
    private static void assertClosedByTheGateway(Socket socket) throws IOException {
        try {
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        } catch (SocketException reset) {
            assertThat(reset.getMessage()).containsIgnoringCase("reset");
        }
    }

    private List<String> failures() {
        return notifies.stream().filter(n -> n.contains("fail")).toList();
    }

    /** Exactly one failure Notify: the first is there; with both legs closed and the pair gone, none follows for QUIET. */
    private String theOnlyFailureNotify() {
        Awaitility.await().atMost(PATIENCE).until(() -> !failures().isEmpty());
        Awaitility.await().atMost(PATIENCE).until(() -> gateway.bearersOpen() == 0);
        Awaitility.await("no second failure Notify for " + QUIET).failFast("a second failure Notify: " + notifies, () -> failures().size() > 1)
                .during(QUIET).atMost(QUIET.plus(PATIENCE)).until(() -> failures().size() == 1);
        return failures().get(0);
    }

    @Test
    @Tag("TLS-10")
    @Tag("TLS-11")
    @WireTest
    void aFatalAlertFromTheUeAfterTheHandshakeReleasesBothLegsWithOneNotify() throws Exception {
        ActionReply context = e2aeContext();
        String ueTermination = context.replies().get(0).terminationId().id();
        Socket[] coreSide = new Socket[1];
        try (CertificateTlsUe ue = establish(context, coreSide); Socket towardsCore = coreSide[0]) {
            ue.sendFatalAlert(AlertDescription.internal_error);
            // the UE keeps its TCP connection open: the gateway closes it, and the core's, because of the alert alone
            ue.awaitClosedByPeer();
            assertClosedByTheGateway(towardsCore);
            String notify = theOnlyFailureNotify();
            assertThat(notify).startsWith(ueTermination + " ").contains("tlsbsc").contains("fail").contains("tls_alert");
        }
    }

    @Test
    @Tag("TLS-10")
    @Tag("TCP-8")
    @WireTest
    void aResetOfTheTlsLegAfterTheHandshakeReleasesBothLegsWithOneNotify() throws Exception {
        ActionReply context = e2aeContext();
        String ueTermination = context.replies().get(0).terminationId().id();
        Socket[] coreSide = new Socket[1];
        try (CertificateTlsUe ue = establish(context, coreSide); Socket towardsCore = coreSide[0]) {
            ue.reset();
            assertClosedByTheGateway(towardsCore);
            String notify = theOnlyFailureNotify();
            assertThat(notify).startsWith(ueTermination + " ").contains("tcpbcc").contains("fail").contains("rst");
        }
    }
}
