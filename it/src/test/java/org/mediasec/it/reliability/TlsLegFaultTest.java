package org.mediasec.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mediasec.bearer.tls.CertificateFingerprint;
import org.mediasec.bearer.tls.SelfSignedCertificate;
import org.mediasec.it.harness.MsrpStreamCommands;
import org.mediasec.it.reliability.FaultRig.Call;
import org.mediasec.sdp.Fingerprint;
import org.mediasec.testsupport.WireTest;

/**
 * The fault matrix on a TLS leg (TLS-10, TCP-8): an e2ae stream, TLS from the UE to the gateway process and plain TCP
 * to the core (the gateway terminates the UE's TLS and holds it to its certificate's fingerprint), and in the middle
 * of a transfer the UE sends a fatal alert, resets, closes with close_notify, closes with a bare FIN (no
 * close_notify), or falls silent. Each time both legs are released, the MGC gets exactly one Notify with the reason
 * within {@link #REPORT_BOUND} (silent: the idle timeout first), and once the MGC has subtracted the context the
 * gateway holds nothing (gauges, fds, AuditValue). The UE is the JDK's TLS client; the fatal alert is its own, sent
 * because {@link FaultProxy} flipped a bit of a record the gateway sent it.
 */
@Timeout(300)
class TlsLegFaultTest {

    private static final int IDLE_SECONDS = 2;
    /** A release is reported within this (idle it takes milliseconds; the bound is for a loaded two-core machine). */
    private static final Duration REPORT_BOUND = Duration.ofSeconds(5);
    private static final Duration SILENT_BOUND = Duration.ofSeconds(IDLE_SECONDS).plus(REPORT_BOUND);
    /** How long the Notify count must stay put after the first failure Notify, to call it "exactly one". */
    private static final Duration QUIET = Duration.ofSeconds(1);
    private static final int MID_TRANSFER_BYTES = 16 * 1024;
    private static final Duration CONNECT = Duration.ofSeconds(10);

    @TempDir
    static Path dir;
    private static FaultRig rig;
    private static SelfSignedCertificate ueCertificate;
    private static SSLContext ueTls;
    private static long baselineFds;

    @BeforeAll
    static void startGateway() throws Exception {
        ueCertificate = SelfSignedCertificate.generate("ue", Duration.ofDays(1));
        ueTls = clientContext(ueCertificate);
        rig = FaultRig.start(dir, SoakGateway.Sizing.forSessions(8), ", idleTimeoutSeconds: " + IDLE_SECONDS);
        // one whole call first: the event loop, its selector and the TLS engines exist from then on, as in service
        try (TlsCall warm = tlsCall(false)) {
            FaultRig.exchange(warm.call(), MID_TRANSFER_BYTES, 1);
            rig.mgc.release(warm.call().opened().context());
        }
        rig.assertNothingHeld(Long.MAX_VALUE - SoakVerdict.FD_SLACK);
        baselineFds = rig.gateway.openFiles();
    }

    @AfterAll
    static void stopGateway() {
        rig.close();
    }

    enum Fault {
        FATAL_ALERT("TLS failed (tls_alert)"),
        RESET("TCP failed (rst)"),
        CLOSE_NOTIFY("TLS failed (close_notify)"),
        BARE_FIN("TCP failed (fin)"),
        SILENT("TCP failed (idle_timeout)");

        final String notify;

        Fault(String notify) {
            this.notify = notify;
        }
    }

    @ParameterizedTest(name = "{0} from the UE's TLS leg")
    @EnumSource(Fault.class)
    @Tag("TLS-10")
    @Tag("TCP-8")
    @WireTest
    void aFaultOnTheUesTlsLegMidTransferReleasesBothLegsWithOneNotifyAndLeavesNothing(Fault fault) throws Exception {
        int before = rig.notifies.size();
        try (TlsCall tls = tlsCall(fault == Fault.FATAL_ALERT)) {
            Call call = tls.call();
            FaultRig.exchange(call, MID_TRANSFER_BYTES, 100L + fault.ordinal());
            // TCP established twice and TLS established once come first; then only the failure counts
            Awaitility.await().atMost(REPORT_BOUND).until(() -> rig.notifies.size() >= before + 3);
            int established = rig.notifies.size();
            assertThat(rig.notifies.subList(before, established)).contains(call.termination(FaultRig.Leg.ACCESS) + " TLS established");
            long faultAt = System.nanoTime();
            inject(fault, tls);
            Duration bound = fault == Fault.SILENT ? SILENT_BOUND : REPORT_BOUND;
            Awaitility.await("the failure Notify").atMost(bound).until(() -> rig.notifies.size() > established);
            Duration reportedAfter = Duration.ofNanos(System.nanoTime() - faultAt);
            FaultRig.assertReleased(call.core(), bound);
            switch (fault) {
                case FATAL_ALERT -> assertThat(tls.proxy().orElseThrow().gatewayEnded(bound.toMillis())).as("the UE's leg closed").isTrue();
                case RESET -> {
                    // the UE's socket is gone; the core's release above is what shows the pair went
                }
                default -> FaultRig.assertReleased(tls.plain(), bound);
            }
            Awaitility.await("no second Notify for " + QUIET).failFast("a second Notify: " + rig.notifies, () -> rig.notifies.size() > established + 1)
                    .during(QUIET).atMost(QUIET.plus(REPORT_BOUND)).until(() -> rig.notifies.size() == established + 1);
            String notify = rig.notifies.get(established);
            // a silent pair is idle on both legs: whichever leg's timer fires first reports it
            FaultRig.Leg reporting = fault == Fault.SILENT && notify.startsWith(call.termination(FaultRig.Leg.CORE) + " ") ? FaultRig.Leg.CORE
                    : FaultRig.Leg.ACCESS;
            assertThat(notify).as("after %s ms", reportedAfter.toMillis()).isEqualTo(call.termination(reporting) + " " + fault.notify);
            rig.mgc.release(call.opened().context());
        }
        rig.assertNothingHeld(baselineFds);
        assertThat(rig.mgc.leftOver()).isZero();
    }

    private static void inject(Fault fault, TlsCall tls) throws IOException {
        switch (fault) {
            case FATAL_ALERT -> {
                tls.proxy().orElseThrow().corruptNextTowardsClient();
                tls.call().core().getOutputStream().write(new byte[64]);
                // the JDK client fails to decrypt it, sends bad_record_mac (fatal) and closes
                assertThatThrownBy(() -> tls.call().ue().getInputStream().read()).isInstanceOf(SSLException.class)
                        .hasMessageContaining("bad_record_mac");
            }
            case RESET -> {
                tls.plain().setSoLinger(true, 0);
                tls.plain().close();
            }
            case CLOSE_NOTIFY -> tls.call().ue().shutdownOutput(); // close_notify, then the FIN (RFC 8446 6.1 half-close)
            case BARE_FIN -> tls.plain().shutdownOutput(); // under the TLS layer: no close_notify
            case SILENT -> {
                // no alert, no FIN, no data
            }
        }
    }

    /** An e2ae call: the UE's TLS (over {@code plain}, through a {@link FaultProxy} when asked) and the core's TCP. */
    record TlsCall(Call call, Socket plain, Optional<FaultProxy> proxy) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            try (Call closing = call) {
                if (proxy.isPresent()) {
                    proxy.get().close();
                }
            }
        }
    }

    private static TlsCall tlsCall(boolean viaProxy) throws Exception {
        Fingerprint fingerprint = new Fingerprint("sha-256", CertificateFingerprint.of("sha-256", ueCertificate.certificate()).digest());
        SoakMgc.Opened opened = rig.mgc.open(MsrpStreamCommands.adds(MsrpStreamCommands.tlsAccess(fingerprint)));
        InetAddress loopback = InetAddress.getLoopbackAddress();
        Optional<FaultProxy> proxy = viaProxy ? Optional.of(FaultProxy.to(new InetSocketAddress(loopback, opened.accessPort()))) : Optional.empty();
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress(loopback, proxy.map(FaultProxy::port).orElse(opened.accessPort())), (int) CONNECT.toMillis());
        SSLSocket ue = (SSLSocket) ueTls.getSocketFactory().createSocket(plain, "gateway", plain.getPort(), true);
        ue.setSoTimeout((int) SoakLoad.READ_TIMEOUT.toMillis());
        ue.startHandshake();
        Socket core = new Socket();
        core.connect(new InetSocketAddress(loopback, opened.corePort()), (int) CONNECT.toMillis());
        core.setSoTimeout((int) SoakLoad.READ_TIMEOUT.toMillis());
        return new TlsCall(new Call(opened, ue, core), plain, proxy);
    }

    /** The UE's TLS: its own certificate (which the gateway checks against the fingerprint); the gateway's not checked here. */
    private static SSLContext clientContext(SelfSignedCertificate certificate) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        char[] password = "ue".toCharArray();
        keys.setKeyEntry("ue", certificate.key(), password, certificate.chain().toArray(X509Certificate[]::new));
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, password);
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(keyManagers.getKeyManagers(), new TrustManager[] {new AnyServer()}, new SecureRandom());
        return context;
    }

    /** The gateway's certificate is self-signed and announced in SDP; this test is about releases, not about checking it. */
    private static final class AnyServer implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("a client's trust manager");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // accepted: see the class comment
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
