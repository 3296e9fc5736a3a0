package org.mediasec.bearer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mediasec.bearer.RelayTest.ANY_PORT;
import static org.mediasec.bearer.RelayTest.FROM_LOOPBACK;
import static org.mediasec.bearer.RelayTest.LOOPBACK;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.mediasec.bearer.tls.SelfSignedCertificate;
import org.mediasec.bearer.tls.TlsDomain;
import org.mediasec.bearer.tls.TlsEngines;
import org.mediasec.bearer.tls.TlsProvider;
import org.mediasec.testsupport.RequiresPeer;
import org.mediasec.testsupport.WireTest;

/**
 * TLS-10, once the session is up: a fatal alert from the peer, and a reset of the TLS leg's connection, each end
 * the TLS session and release both legs, with exactly one Released. The UE is {@code openssl s_client} behind a
 * {@link TcpProxy}: the proxy flips a bit of a record we send, and s_client answers with a fatal bad_record_mac
 * alert; or the proxy resets the connection.
 */
@RequiresPeer(command = "openssl", debianPackage = "openssl")
@org.junit.jupiter.api.Timeout(120)
@ParameterizedClass(name = "{0}")
@EnumSource(TlsProvider.class)
class TlsSessionEndTest {

    @Parameter
    TlsProvider provider;

    @TempDir
    Path dir;
    private final BearerPlane plane = new BearerPlane(BearerConfig.DEFAULT.withPassiveWindow(Duration.ZERO)); // a failed handshake releases at once: no connect window (PendingHandshakes)
    private final List<BearerEvent> events = new CopyOnWriteArrayList<>();
    private SClient ue;
    private TcpProxy proxy;
    private ServerSocket coreListener;
    private Socket core;
    private RelayPair pair;

    /** An e2ae pair with s_client connected through the proxy, and the relay shown to work both ways. */
    @BeforeEach
    void connect() throws Exception {
        SelfSignedCertificate ueCertificate = SelfSignedCertificate.generate("ue", Duration.ofDays(1));
        Path cert = dir.resolve("ue.pem");
        Path key = dir.resolve("ue.key");
        ueCertificate.write(cert, key);
        TlsEngines engines = new TlsEngines(TlsDomain.defaults("access", SelfSignedCertificate.generate("mediasec", Duration.ofDays(1))).withProvider(provider));
        coreListener = new ServerSocket(0, 1, LOOPBACK);
        pair = plane.open(LegSpec.passive(ANY_PORT, FROM_LOOPBACK).withTls(new LegSpec.Tls(engines, false, List.of(Openssl.fingerprint(cert, "sha-256")))),
                LegSpec.active(ANY_PORT, (InetSocketAddress) coreListener.getLocalSocketAddress()), events::add).get(5, TimeUnit.SECONDS);
        proxy = TcpProxy.to(pair.localAddress(Side.A));
        ue = SClient.connect(dir, "s_client", proxy.port(), List.of("-cert", cert.toString(), "-key", key.toString()));
        core = coreListener.accept();
        core.setSoTimeout(10_000);
        await().atMost(Duration.ofSeconds(10)).until(() -> events.stream().anyMatch(BearerEvent.TlsEstablished.class::isInstance));
        ue.send("from the ue\n");
        assertThat(new String(core.getInputStream().readNBytes(12), StandardCharsets.US_ASCII)).isEqualTo("from the ue\n");
        core.getOutputStream().write("from the core\n".getBytes(StandardCharsets.US_ASCII));
        ue.awaitOutput("from the core"); // s_client's handshake is over, its tickets (if any) read
    }

    @AfterEach
    void close() throws Exception {
        ue.close();
        proxy.close();
        core.close();
        coreListener.close();
        plane.close();
    }

    @Test
    @Tag("TLS-10")
    @WireTest
    void aFatalAlertFromThePeerReleasesBothLegsOnce() throws Exception {
        proxy.corruptNextFromLeg();
        core.getOutputStream().write("this record will not decrypt\n".getBytes(StandardCharsets.US_ASCII));
        ue.awaitOutput("bad record mac"); // s_client's own report; it sent the fatal alert that says so

        assertThat(core.getInputStream().read()).as("the core's leg is closed too").isEqualTo(-1);
        core.close();
        BearerEvent.Released released = OnlyRelease.of(pair, events);
        assertThat(released.side()).isEqualTo(Side.A);
        assertThat(released.reason()).isEqualTo(ReleaseReason.TLS_ERROR);
        // "Received fatal alert: bad_record_mac" (JDK), "...:SSLV3_ALERT_BAD_RECORD_MAC" (BoringSSL)
        assertThat(released.detail().toLowerCase(Locale.ROOT)).contains("alert").contains("bad_record_mac");
    }

    @Test
    @Tag("TLS-10")
    @WireTest
    void aResetOfTheTlsLegReleasesBothLegsOnce() throws Exception {
        proxy.resetLeg();

        assertThat(core.getInputStream().read()).as("the core's leg is closed too").isEqualTo(-1);
        core.close();
        BearerEvent.Released released = OnlyRelease.of(pair, events);
        assertThat(released.side()).isEqualTo(Side.A);
        assertThat(released.reason()).isEqualTo(ReleaseReason.RESET);
    }
}
