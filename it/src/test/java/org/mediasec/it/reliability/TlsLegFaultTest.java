package org.mediasec.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.mediasec.it.reliability.FaultRig.Call;
import org.mediasec.testsupport.WireTest;

/**
 * The fault matrix on a TLS leg (TLS-10, TCP-8), on every leg of the two kinds of pair that terminate TLS: an e2ae
 * stream (TLS from the UE to the gateway process, plain TCP to the core) and a TLS→TLS one (the gateway terminates
 * TLS on both legs and holds each peer to its certificate's fingerprint). In the middle of a transfer the faulty
 * leg's peer sends a fatal alert, resets, closes with close_notify, closes with a bare FIN (no close_notify), or falls
 * silent (on the e2ae core's plain TCP leg: the three TCP faults). Each time both legs are released, the MGC gets
 * exactly one Notify with the reason within {@link #REPORT_BOUND} (silent: the idle timeout first), and once the MGC
 * has subtracted the context the gateway holds nothing (gauges, fds, AuditValue). The peers are the JDK's TLS clients
 * ({@link SoakTls}); a fatal alert is the client's own, sent because {@link FaultProxy} flipped a bit of a record the
 * gateway sent it.
 */
@Timeout(600)
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
    private static SoakTls peers;
    private static long baselineFds;

    @BeforeAll
    static void startGateway() throws Exception {
        peers = new SoakTls();
        rig = FaultRig.start(dir, SoakGateway.Sizing.forSessions(8), ", idleTimeoutSeconds: " + IDLE_SECONDS);
        // one whole call of each kind first: the event loop, its selector and the TLS engines exist from then on, as in service
        for (SoakStream kind : List.of(SoakStream.E2AE, SoakStream.TLS)) {
            try (TlsCall warm = tlsCall(kind, Optional.empty())) {
                FaultRig.exchange(warm.call(), MID_TRANSFER_BYTES, 1);
                rig.mgc.release(warm.call().opened().context());
            }
        }
        rig.assertNothingHeld(Long.MAX_VALUE - SoakVerdict.FD_SLACK);
        baselineFds = rig.gateway.openFiles();
    }

    @AfterAll
    static void stopGateway() {
        rig.close();
    }

    enum Fault {
        FATAL_ALERT("TLS failed (tls_alert)", true),
        RESET("TCP failed (rst)", false),
        CLOSE_NOTIFY("TLS failed (close_notify)", true),
        BARE_FIN("TCP failed (fin)", false),
        SILENT("TCP failed (idle_timeout)", false);

        final String notify;
        /** Only a leg that terminates TLS can have it: a TLS alert or close_notify. */
        final boolean tlsOnly;

        Fault(String notify, boolean tlsOnly) {
            this.notify = notify;
            this.tlsOnly = tlsOnly;
        }
    }

    /** Where the fault is: the leg of a pair of this kind. */
    record Faulty(SoakStream kind, FaultRig.Leg leg) {
        boolean tls() {
            return leg == FaultRig.Leg.ACCESS ? kind.accessTls() : kind.coreTls();
        }

        @Override
        public String toString() {
            return (leg == FaultRig.Leg.ACCESS ? "the UE's " : "the core's ") + (tls() ? "TLS" : "TCP") + " leg of "
                    + (kind == SoakStream.E2AE ? "an e2ae TLS→TCP" : "a TLS→TLS") + " pair";
        }
    }

    @ParameterizedTest(name = "{0} from the UE's TLS leg")
    @EnumSource(Fault.class)
    @Tag("TLS-10")
    @Tag("TCP-8")
    @WireTest
    void aFaultOnTheUesTlsLegMidTransferReleasesBothLegsWithOneNotifyAndLeavesNothing(Fault fault) throws Exception {
        faultMidTransfer(new Faulty(SoakStream.E2AE, FaultRig.Leg.ACCESS), fault);
    }

    /** The other legs of both pairs: the e2ae core's TCP leg and both TLS legs of a TLS→TLS pair. */
    static Stream<Arguments> otherLegs() {
        return Stream.of(new Faulty(SoakStream.E2AE, FaultRig.Leg.CORE), new Faulty(SoakStream.TLS, FaultRig.Leg.ACCESS),
                new Faulty(SoakStream.TLS, FaultRig.Leg.CORE))
                .flatMap(faulty -> Arrays.stream(Fault.values()).filter(fault -> faulty.tls() || !fault.tlsOnly).map(fault -> Arguments.of(faulty, fault)));
    }

    @ParameterizedTest(name = "{1} from {0}")
    @MethodSource("otherLegs")
    @Tag("TLS-10")
    @Tag("TCP-8")
    @WireTest
    void aFaultOnTheCoresLegOrEitherLegOfATlsPairMidTransferReleasesBothLegsWithOneNotifyAndLeavesNothing(Faulty faulty, Fault fault)
            throws Exception {
        faultMidTransfer(faulty, fault);
    }

    private static void faultMidTransfer(Faulty faulty, Fault fault) throws Exception {
        int before = rig.notifies.size();
        int tlsLegs = (faulty.kind().accessTls() ? 1 : 0) + (faulty.kind().coreTls() ? 1 : 0);
        FaultRig.Leg other = faulty.leg() == FaultRig.Leg.ACCESS ? FaultRig.Leg.CORE : FaultRig.Leg.ACCESS;
        try (TlsCall tls = tlsCall(faulty.kind(), fault == Fault.FATAL_ALERT ? Optional.of(faulty.leg()) : Optional.empty())) {
            Call call = tls.call();
            FaultRig.exchange(call, MID_TRANSFER_BYTES, 100L + fault.ordinal());
            // TCP established twice and TLS established once per TLS leg come first; then only the failure counts
            Awaitility.await().atMost(REPORT_BOUND).until(() -> rig.notifies.size() >= before + 2 + tlsLegs);
            int established = rig.notifies.size();
            assertThat(rig.notifies.subList(before, established)).hasSize(2 + tlsLegs);
            if (faulty.tls()) {
                assertThat(rig.notifies.subList(before, established)).contains(call.termination(faulty.leg()) + " TLS established");
            }
            Socket plain = tls.plain(faulty.leg());
            long faultAt = System.nanoTime();
            inject(fault, call, faulty.leg(), plain, tls.proxy());
            Duration bound = fault == Fault.SILENT ? SILENT_BOUND : REPORT_BOUND;
            Awaitility.await("the failure Notify").atMost(bound).until(() -> rig.notifies.size() > established);
            Duration reportedAfter = Duration.ofNanos(System.nanoTime() - faultAt);
            FaultRig.assertReleased(call.leg(other), bound);
            switch (fault) {
                case FATAL_ALERT -> assertThat(tls.proxy().orElseThrow().gatewayEnded(bound.toMillis())).as("the faulty leg closed").isTrue();
                case RESET -> {
                    // the faulty peer's socket is gone; the other leg's release above is what shows the pair went
                }
                default -> FaultRig.assertReleased(plain, bound);
            }
            Awaitility.await("no second Notify for " + QUIET).failFast("a second Notify: " + rig.notifies, () -> rig.notifies.size() > established + 1)
                    .during(QUIET).atMost(QUIET.plus(REPORT_BOUND)).until(() -> rig.notifies.size() == established + 1);
            String notify = rig.notifies.get(established);
            // a silent pair is idle on both legs: whichever leg's timer fires first reports it
            FaultRig.Leg reporting = fault == Fault.SILENT && notify.startsWith(call.termination(other) + " ") ? other : faulty.leg();
            assertThat(notify).as("after %s ms", reportedAfter.toMillis()).isEqualTo(call.termination(reporting) + " " + fault.notify);
            rig.mgc.release(call.opened().context());
        }
        rig.assertNothingHeld(baselineFds);
        assertThat(rig.mgc.leftOver()).isZero();
    }

    private static void inject(Fault fault, Call call, FaultRig.Leg leg, Socket plain, Optional<FaultProxy> proxy) throws IOException {
        switch (fault) {
            case FATAL_ALERT -> {
                proxy.orElseThrow().corruptNextTowardsClient();
                call.otherThan(leg).getOutputStream().write(new byte[64]);
                // the JDK client fails to decrypt it, sends bad_record_mac (fatal) and closes
                assertThatThrownBy(() -> call.leg(leg).getInputStream().read()).isInstanceOf(SSLException.class)
                        .hasMessageContaining("bad_record_mac");
            }
            case RESET -> {
                plain.setSoLinger(true, 0);
                plain.close();
            }
            case CLOSE_NOTIFY -> call.leg(leg).shutdownOutput(); // close_notify, then the FIN (RFC 8446 6.1 half-close)
            case BARE_FIN -> plain.shutdownOutput(); // under any TLS layer: no close_notify
            case SILENT -> {
                // no alert, no FIN, no data
            }
        }
    }

    /**
     * A call of a TLS kind: each client's TLS (or plain TCP) over its own {@code plain} socket, the one of the leg
     * {@code proxied} through a {@link FaultProxy}.
     */
    record TlsCall(Call call, Socket plainUe, Socket plainCore, Optional<FaultProxy> proxy) implements AutoCloseable {
        Socket plain(FaultRig.Leg leg) {
            return leg == FaultRig.Leg.ACCESS ? plainUe : plainCore;
        }

        @Override
        public void close() throws IOException {
            try (Call closing = call) {
                if (proxy.isPresent()) {
                    proxy.get().close();
                }
            }
        }
    }

    private static TlsCall tlsCall(SoakStream kind, Optional<FaultRig.Leg> proxied) throws Exception {
        SoakMgc.Opened opened = rig.mgc.open(kind, peers);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        Optional<FaultProxy> proxy = Optional.empty();
        int uePort = opened.accessPort();
        int corePort = opened.corePort();
        if (proxied.isPresent()) {
            boolean access = proxied.get() == FaultRig.Leg.ACCESS;
            FaultProxy between = FaultProxy.to(new InetSocketAddress(loopback, access ? uePort : corePort));
            uePort = access ? between.port() : uePort;
            corePort = access ? corePort : between.port();
            proxy = Optional.of(between);
        }
        Socket plainUe = connect(uePort);
        Socket ue = kind.accessTls() ? peers.client(plainUe, true, opened.accessFingerprint()) : plainUe;
        Socket plainCore = connect(corePort);
        Socket core = kind.coreTls() ? peers.client(plainCore, false, opened.coreFingerprint()) : plainCore;
        ue.setSoTimeout((int) SoakLoad.READ_TIMEOUT.toMillis());
        core.setSoTimeout((int) SoakLoad.READ_TIMEOUT.toMillis());
        return new TlsCall(new Call(opened, ue, core), plainUe, plainCore, proxy);
    }

    private static Socket connect(int port) throws IOException {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), (int) CONNECT.toMillis());
        return plain;
    }
}
