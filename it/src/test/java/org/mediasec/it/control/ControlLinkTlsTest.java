package org.mediasec.it.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.bearer.tls.SelfSignedCertificate;
import org.mediasec.h248.message.MessageId;
import org.mediasec.h248stack.association.MgcRegistrar;
import org.mediasec.h248stack.association.MgcUser;
import org.mediasec.h248stack.transaction.PeerLimits;
import org.mediasec.h248stack.transaction.TransactionTimers;
import org.mediasec.h248stack.transport.CertificatePin;
import org.mediasec.h248stack.transport.EndpointLimits;
import org.mediasec.h248stack.transport.TcpEndpoint;
import org.mediasec.h248stack.transport.TlsLink;
import org.mediasec.testsupport.RequiresPeer;
import org.mediasec.testsupport.WireTest;

/**
 * {@code mediasec gateway} with {@code control.transport: tls}: it registers over TLS 1.3 with an MGC on our stack
 * whose certificate it pins (and which pins the gateway's), and is controlled over it; it refuses an MGC whose
 * certificate it has not pinned, ours or {@code openssl s_server}.
 */
@Timeout(180)
class ControlLinkTlsTest {

    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final SelfSignedCertificate mgcCertificate = SelfSignedCertificate.generate("mgc", Duration.ofDays(1));
    private final SelfSignedCertificate gatewayCertificate = SelfSignedCertificate.generate("gateway", Duration.ofDays(1));

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable resource : open.reversed()) {
            resource.close();
        }
    }

    private TcpEndpoint mgc(SelfSignedCertificate own, List<MgcRegistrar.Registration> registrations) throws Exception {
        TlsLink tls = new TlsLink(own.key(), own.chain(), Set.of(CertificatePin.of(gatewayCertificate.certificate())));
        MgcRegistrar registrar = new MgcRegistrar(Optional.empty(), 3, MgcUser.handler((context, notify) -> Optional.empty()), registrations::add);
        TcpEndpoint endpoint = TcpEndpoint.listen(new InetSocketAddress(TestMgc.LOOPBACK, 0), MessageId.ipv4("127.0.0.1", 2944), 3,
                TransactionTimers.DEFAULT, PeerLimits.DEFAULT, EndpointLimits.DEFAULT, Duration.ofMinutes(5), Optional.of(tls), peer -> Optional.of(registrar));
        open.add(endpoint);
        return endpoint;
    }

    private GatewayProcess gateway(int mgcPort, int metricsPort) throws Exception {
        gatewayCertificate.write(dir.resolve("gateway.pem"), dir.resolve("gateway.key"));
        int bearer = GatewayProcess.bearerPorts(26000);
        GatewayProcess gateway = GatewayProcess.start(dir, "gateway", """
                control:
                  transport: tls
                  tls: { certificate: %s, key: %s, mgcFingerprints: ["%s"] }
                mgcs: ["127.0.0.1:%d"]
                realms: [ { name: access, address: 127.0.0.1, ports: %d-%d } ]
                metrics: { port: %d }
                """.formatted(dir.resolve("gateway.pem"), dir.resolve("gateway.key"), CertificatePin.of(mgcCertificate.certificate()), mgcPort,
                bearer, bearer + 9, metricsPort));
        open.add(gateway);
        return gateway;
    }

    @Test
    @Tag("SEC-1")
    @WireTest
    void theGatewayRegistersAndIsControlledOverTlsWithPinnedCertificates() throws Exception {
        List<MgcRegistrar.Registration> registrations = new CopyOnWriteArrayList<>();
        TcpEndpoint mgc = mgc(mgcCertificate, registrations);
        GatewayProcess gateway = gateway(mgc.localAddress().getPort(), 0);

        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> registrations.size() == 1);
        // it says what its operator gives the MGC's operator to pin, and that the link is protected
        assertThat(gateway.output()).contains("tls 1.3 over tcp").contains("our certificate fingerprint " + CertificatePin.of(gatewayCertificate.certificate()))
                .contains("control link protected");
        InetSocketAddress gatewayPeer = mgc.peers().iterator().next();
        String audit = mgc.request(gatewayPeer, TestMgc.actions("MEGACO/3 [127.0.0.1]:2944\nTransaction = 1 { Context = - { AuditValue = ROOT { Audit { Packages } } } }"))
                .get(10, TimeUnit.SECONDS).toString();
        assertThat(audit).contains("Packages").doesNotContain("error=Optional[");
    }

    @Test
    @Tag("SEC-1")
    @WireTest
    void theGatewayRefusesAnMgcWhoseCertificateIsNotPinned() throws Exception {
        List<MgcRegistrar.Registration> registrations = new CopyOnWriteArrayList<>();
        SelfSignedCertificate impostor = SelfSignedCertificate.generate("impostor", Duration.ofDays(1));
        TcpEndpoint mgc = mgc(impostor, registrations); // pins the gateway: only the gateway's pin can refuse
        int metricsPort = GatewayProcess.tcpPort();
        gateway(mgc.localAddress().getPort(), metricsPort);

        Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> GatewayProcess.metric(metricsPort, "mediasec_h248_refused_messages_total") >= 1);
        assertThat(registrations).isEmpty();
        assertThat(mgc.peers()).isEmpty();
    }

    @Test
    @Tag("SEC-1")
    @RequiresPeer(command = "openssl", debianPackage = "openssl")
    @WireTest
    void theGatewayRefusesOpensslServingAnUnpinnedCertificate() throws Exception {
        SelfSignedCertificate impostor = SelfSignedCertificate.generate("impostor", Duration.ofDays(1));
        impostor.write(dir.resolve("impostor.pem"), dir.resolve("impostor.key"));
        int port = GatewayProcess.tcpPort();
        Path serverOut = dir.resolve("s_server.out");
        Process server = new ProcessBuilder("openssl", "s_server", "-accept", "127.0.0.1:" + port, "-cert", dir.resolve("impostor.pem").toString(),
                "-key", dir.resolve("impostor.key").toString(), "-tls1_3").redirectErrorStream(true).redirectOutput(serverOut.toFile()).start();
        open.add(() -> server.destroyForcibly().waitFor(10, TimeUnit.SECONDS));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(serverOut).contains("ACCEPT"));
        int metricsPort = GatewayProcess.tcpPort();
        gateway(port, metricsPort);

        // the gateway aborts the handshake with an alert: openssl reports it, and the gateway counts the refusal
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(serverOut).matches("(?s).*alert (certificate unknown|bad certificate).*"));
        assertThat(GatewayProcess.metric(metricsPort, "mediasec_h248_refused_messages_total")).isGreaterThanOrEqualTo(1);
    }
}
