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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mediasec.bearer.tls.CertificateFingerprint;
import org.mediasec.bearer.tls.SelfSignedCertificate;
import org.mediasec.bearer.tls.TlsDomain;
import org.mediasec.bearer.tls.TlsEngines;
import org.mediasec.bearer.tls.TlsProvider;
import org.mediasec.testsupport.RequiresPeer;
import org.mediasec.testsupport.WireTest;

/**
 * TLS-12, session resumption, with {@code openssl s_client -sess_out/-sess_in} as the UE (its {@code -trace} shows
 * what it offered), on both providers and in TLS 1.2 and 1.3. Off (the default): a session offered back is refused
 * with a full handshake. On: a resumed session runs no trust manager, so the pair holds the certificate the session
 * carries to the leg's fingerprints, and releases the pair, with the reason, when it does not match (TLS-4).
 *
 * <p>For TLS 1.3, s_client has a session to write only once a NewSessionTicket arrived, after the handshake: each
 * round keeps it connected until bytes the core sends after the handshake are printed (a server sends its tickets
 * before any application data).
 */
@RequiresPeer(command = "openssl", debianPackage = "openssl")
@org.junit.jupiter.api.Timeout(180)
@ParameterizedClass(name = "{0}")
@EnumSource(TlsProvider.class)
class TlsResumptionTest {

    private static final String FROM_THE_UE = "from the ue\n";
    private static final String FROM_THE_CORE = "hello from the core\n";

    @Parameter
    TlsProvider provider;

    @TempDir
    Path dir;
    private final BearerPlane plane = new BearerPlane(BearerConfig.DEFAULT.withPassiveWindow(Duration.ZERO)); // a failed handshake releases at once: no connect window (PendingHandshakes)
    private final List<SClient> clients = new ArrayList<>();
    private SelfSignedCertificate mediasec;
    private Path ueCert;
    private Path ueKey;
    private CertificateFingerprint ueFingerprint;

    @BeforeEach
    void setUp() throws Exception {
        mediasec = SelfSignedCertificate.generate("mediasec access", Duration.ofDays(1));
        SelfSignedCertificate ue = SelfSignedCertificate.generate("ue", Duration.ofDays(1));
        ueCert = dir.resolve("ue.pem");
        ueKey = dir.resolve("ue.key");
        ue.write(ueCert, ueKey);
        ueFingerprint = Openssl.fingerprint(ueCert, "sha-256");
    }

    @AfterEach
    void tearDown() {
        clients.forEach(SClient::close);
        plane.close();
    }

    private TlsEngines domain(boolean resumption) {
        return new TlsEngines(TlsDomain.defaults(resumption ? "resuming" : "access", mediasec).withProvider(provider).withResumption(resumption));
    }

    /** One UE connection to a fresh e2ae pair: what s_client printed, what the pair reported, what reached the core. */
    private record Round(String said, List<BearerEvent> events, BearerEvent.Released released, String atCore) {
        boolean established() {
            return events.stream().anyMatch(BearerEvent.TlsEstablished.class::isInstance);
        }

        /** The trace of the ClientHello s_client sent. */
        String clientHello() {
            return said.substring(said.indexOf("ClientHello"), said.indexOf("ServerHello"));
        }

        /** The trace of the ServerHello it received. */
        String serverHello() {
            int start = said.indexOf("ServerHello");
            return said.substring(start, said.indexOf("extension_type", start));
        }
    }

    private Round round(TlsEngines engines, CertificateFingerprint expected, String version, String sessionOption, Path session) throws Exception {
        List<BearerEvent> events = new CopyOnWriteArrayList<>();
        try (ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
            RelayPair pair = plane.open(LegSpec.passive(ANY_PORT, FROM_LOOPBACK).withTls(new LegSpec.Tls(engines, false, List.of(expected))),
                    LegSpec.active(ANY_PORT, (InetSocketAddress) core.getLocalSocketAddress()), events::add).get(5, TimeUnit.SECONDS);
            SClient client = SClient.connect(dir, "round" + clients.size(), pair.localAddress(Side.A).getPort(),
                    List.of("-cert", ueCert.toString(), "-key", ueKey.toString(), version, "-trace", sessionOption, session.toString()));
            clients.add(client);
            client.send(FROM_THE_UE); // s_client sends it once its handshake is done
            String atCore;
            try (Socket coreSide = core.accept()) {
                coreSide.setSoTimeout(10_000);
                await().atMost(Duration.ofSeconds(15)).until(() -> pair.released().isDone()
                        || events.stream().anyMatch(BearerEvent.TlsEstablished.class::isInstance));
                if (pair.released().isDone()) {
                    atCore = new String(coreSide.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                } else {
                    atCore = new String(coreSide.getInputStream().readNBytes(FROM_THE_UE.length()), StandardCharsets.US_ASCII);
                    coreSide.getOutputStream().write(FROM_THE_CORE.getBytes(StandardCharsets.US_ASCII));
                    client.awaitOutput(FROM_THE_CORE.strip()); // after any NewSessionTicket: the session is written
                }
                client.closeInput();
                assertThat(client.exits(Duration.ofSeconds(10))).isTrue();
            }
            return new Round(client.output(), events, OnlyRelease.of(pair, events), atCore);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"-tls1_2", "-tls1_3"})
    @Tag("TLS-12")
    @WireTest
    void sessionsAreNotResumed(String version) throws Exception {
        TlsEngines access = domain(false);
        Path session = dir.resolve("session.pem");
        Round first = round(access, ueFingerprint, version, "-sess_out", session);
        assertThat(first.said()).contains("New, ");
        assertThat(first.atCore()).isEqualTo(FROM_THE_UE);
        if (provider == TlsProvider.OPENSSL) {
            // BoringSSL hands out nothing to resume (session cache off, no tickets): no session ID, no NewSessionTicket
            assertThat(first.said()).doesNotContain("NewSessionTicket");
            if (version.equals("-tls1_2")) {
                assertThat(first.serverHello()).contains("session_id (len=0)");
            }
            assertThat(session).doesNotExist();
            // so the attempt offers a session that a domain with resumption handed out, and resumes (the control)
            TlsEngines resuming = domain(true);
            round(resuming, ueFingerprint, version, "-sess_out", session);
            assertThat(round(resuming, ueFingerprint, version, "-sess_in", session).said()).contains("Reused, ");
        } else {
            // the JDK hands out a session (an ID; in 1.3 a ticket naming its cache entry), invalidated after the handshake
            assertThat(session).exists();
        }
        Round again = round(access, ueFingerprint, version, "-sess_in", session);
        // offered: the session ID of a session (1.2), a pre-shared key (1.3) ...
        assertThat(again.clientHello()).contains(version.equals("-tls1_2") ? "session_id (len=32)" : "extension_type=psk(41)");
        // ... and refused: a full handshake, the UE's certificate checked again
        assertThat(again.said()).contains("New, ").doesNotContain("Reused, ");
        assertThat(again.events()).filteredOn(BearerEvent.TlsEstablished.class::isInstance).singleElement()
                .satisfies(e -> assertThat(((BearerEvent.TlsEstablished) e).peerFingerprint()).contains(ueFingerprint));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"-tls1_2", "-tls1_3"})
    @Tag("TLS-12")
    @Tag("TLS-4")
    @WireTest
    void aResumedSessionIsHeldToTheLegsFingerprint(String version) throws Exception {
        TlsEngines resuming = domain(true);
        Path session = dir.resolve("session.pem");
        round(resuming, ueFingerprint, version, "-sess_out", session);

        Round again = round(resuming, ueFingerprint, version, "-sess_in", session);
        assertThat(again.said()).contains("Reused, ");
        assertThat(again.events()).filteredOn(BearerEvent.TlsEstablished.class::isInstance).singleElement()
                .satisfies(e -> assertThat(((BearerEvent.TlsEstablished) e).peerFingerprint()).contains(ueFingerprint));
        assertThat(again.atCore()).isEqualTo(FROM_THE_UE);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"-tls1_2", "-tls1_3"})
    @Tag("TLS-12")
    @Tag("TLS-4")
    @WireTest
    void aResumedSessionForAnotherFingerprintReleasesThePairWithTheReason(String version) throws Exception {
        TlsEngines resuming = domain(true);
        Path session = dir.resolve("session.pem");
        round(resuming, ueFingerprint, version, "-sess_out", session);

        // this leg's SDP names another certificate: the server resumes before it can know, the pair refuses after
        CertificateFingerprint someoneElse = CertificateFingerprint.of("sha-256", SelfSignedCertificate.generate("else", Duration.ofDays(1)).certificate());
        Round other = round(resuming, someoneElse, version, "-sess_in", session);
        assertThat(other.said()).contains("Reused, ");
        assertThat(other.events()).noneMatch(BearerEvent.TlsEstablished.class::isInstance);
        assertThat(other.released().side()).isEqualTo(Side.A);
        assertThat(other.released().reason()).isEqualTo(ReleaseReason.TLS_HANDSHAKE_FAILED);
        assertThat(other.released().detail()).contains("resumed").contains("fingerprint mismatch");
        assertThat(other.events()).anyMatch(e -> e instanceof BearerEvent.TlsFailed failed && failed.reason().equals(other.released().detail()));
        assertThat(other.atCore()).isEmpty();
    }
}
