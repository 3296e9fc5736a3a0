package org.mediasec.app.demo;

import static org.mediasec.app.demo.DemoNetwork.AGW;
import static org.mediasec.app.demo.DemoNetwork.ALG;
import static org.mediasec.app.demo.DemoNetwork.UE_A;
import static org.mediasec.app.demo.DemoNetwork.UE_B;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.mediasec.bearer.BearerEvent;
import org.mediasec.bearer.ReleaseReason;
import org.mediasec.bearer.tls.CertificateFingerprint;
import org.mediasec.controller.alg.CallProcedures;
import org.mediasec.controller.alg.CallSide;
import org.mediasec.controller.alg.Party;
import org.mediasec.sdp.MediaDescription;
import org.mediasec.sdp.SdpParseException;
import org.mediasec.sdp.SdpParser;
import org.mediasec.sdp.SessionDescription;
import org.mediasec.sdp.Transport;
import org.mediasec.t38.FaxSessionGenerator;
import org.mediasec.t38.RedundancyEncoder;
import org.mediasec.t38.T38Exception;
import org.mediasec.t38.UdptlCodec;
import org.mediasec.t38.UdptlPacket;

/**
 * Scenario 6 (GW-7): an audio call between UE-A (ours, registered with e2ae) and UE-B's fax in the core, switched to
 * T.38 by UE-B's re-offer (its gateway heard the CED tone: m=audio becomes m=image, T.38 Annex D). The IMS-ALG leaves
 * the audio alone and anchors the fax: DTLS towards UE-A (CTRL-2 for image streams), plain UDPTL towards UE-B. UE-A
 * sends a one-page fax (generated T.30 session, UDPTL with redundancy) and UE-B's answers come back.
 */
public final class FaxScenario {

    public static final int NUMBER = 6;
    public static final String TITLE = "fax: an audio call switched to T.38 by re-offer; DTLS (e2ae) towards UE-A, plain UDPTL towards UE-B's fax in the core";
    private static final long TIMEOUT = 10;
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    /** Datagrams in flight before UE-A waits for UE-B to have them (keeps socket buffers small on a loaded machine). */
    private static final int WINDOW = 32;
    /** T.38 Annex D attributes as a fax gateway offers them; they pass the IMS-ALG unchanged. */
    private static final String T38 = "a=T38FaxVersion:0\r\na=T38MaxBitRate:14400\r\na=T38FaxRateManagement:transferredTCF\r\n"
            + "a=T38FaxMaxBuffer:262\r\na=T38FaxMaxDatagram:" + FaxUe.MAX_DATAGRAM + "\r\na=T38FaxUdpEC:t38UDPRedundancy\r\n";

    private final DemoNetwork network;

    public FaxScenario(DemoNetwork network) {
        this.network = network;
    }

    public ScenarioResult run() {
        Ladder ladder = network.newLadder();
        Checks checks = new Checks();
        long start = System.nanoTime();
        try (FaxUe a = new FaxUe(); DatagramSocket b = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            fax(checks, ladder, a, b);
        } catch (Exception e) {
            checks.check(false, "scenario ran to the end: " + e);
        }
        return new ScenarioResult(NUMBER, TITLE, checks.all(), ladder.text(), ladder.svg(), (System.nanoTime() - start) / 1_000_000);
    }

    private void fax(Checks checks, Ladder ladder, FaxUe a, DatagramSocket b) throws Exception {
        CallProcedures alg = network.alg();
        String id = "fax-" + System.nanoTime();
        // the call starts as audio: the IMS-ALG anchors nothing and passes it as it is
        SessionDescription audioOffer = sdp("ue-a", 1, "m=audio 49170 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n");
        ladder.arrow(UE_A, ALG, "SDP offer: " + Scenarios.describe(audioOffer));
        SessionDescription audioToB;
        try (CallLadders.SetUp setUp = network.setUp(id, ladder)) {
            audioToB = checks.attempt("the IMS-ALG accepts the audio offer",
                    () -> alg.onOffer(id, Party.accessUe(true), Party.core(), audioOffer).get(TIMEOUT, TimeUnit.SECONDS));
        }
        if (audioToB == null) {
            return;
        }
        ladder.arrow(ALG, UE_B, "SDP offer: " + Scenarios.describe(audioToB));
        SessionDescription audioAnswer = sdp("ue-b", 1, "m=audio 5004 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n");
        ladder.arrow(UE_B, ALG, "SDP answer: " + Scenarios.describe(audioAnswer));
        SessionDescription audioToA = checks.attempt("the IMS-ALG accepts the audio answer",
                () -> alg.onAnswer(id, audioAnswer).get(TIMEOUT, TimeUnit.SECONDS));
        if (audioToA == null) {
            return;
        }
        ladder.arrow(ALG, UE_A, "SDP answer: " + Scenarios.describe(audioToA));
        checks.check(audioToB.equals(audioOffer) && audioToA.equals(audioAnswer) && alg.gatewayOf(id).isEmpty(),
                "audio passes the IMS-ALG untouched, with no context on the IMS-AGW");

        // UE-B's fax gateway heard CED: its re-INVITE replaces m=audio with m=image (plain UDPTL)
        SessionDescription reOffer = sdp("ue-b", 2, "m=image " + b.getLocalPort() + " udptl t38\r\n" + T38);
        ladder.arrow(UE_B, ALG, "SDP re-offer: " + Scenarios.describe(reOffer));
        SessionDescription faxToA;
        try (CallLadders.SetUp setUp = network.setUp(id, ladder)) {
            faxToA = checks.attempt("the IMS-ALG anchors the fax m-line on the IMS-AGW",
                    () -> alg.onReOffer(id, CallSide.CALLEE, reOffer).get(TIMEOUT, TimeUnit.SECONDS));
        }
        if (faxToA == null) {
            return;
        }
        ladder.arrow(ALG, UE_A, "SDP re-offer: " + Scenarios.describe(faxToA));
        MediaDescription towardsA = faxToA.media().get(0);
        List<CertificateFingerprint> gatewayFingerprints = towardsA.fingerprints().stream()
                .map(f -> CertificateFingerprint.of(f.hashFunction(), f.value())).toList();
        checks.check(towardsA.transport().equals(Transport.UDP_TLS_UDPTL) && !gatewayFingerprints.isEmpty()
                && towardsA.e2aeIndicator().filter("applied"::equals).isPresent() && towardsA.attribute("tls-id").isPresent()
                && faxToA.write().contains(T38),
                "CTRL-2: towards UE-A the fax is UDP/TLS/UDPTL with the IMS-AGW's fingerprint, a=tls-id, a=3ge2ae:applied, T.38 attributes unchanged");

        // UE-A answers active: it is the DTLS client (RFC 8842), the gateway its DTLS server
        SessionDescription faxAnswer = sdp("ue-a", 2, "m=image " + a.port() + " UDP/TLS/UDPTL t38\r\na=setup:active\r\na=fingerprint:"
                + a.fingerprint() + "\r\na=tls-id:ueAfaxDtlsAssociation1\r\n" + T38);
        ladder.arrow(UE_A, ALG, "SDP answer: " + Scenarios.describe(faxAnswer));
        SessionDescription faxToB = checks.attempt("the IMS-ALG configures the IMS-AGW with UE-A's end",
                () -> alg.onAnswer(id, faxAnswer).get(TIMEOUT, TimeUnit.SECONDS));
        if (faxToB == null) {
            return;
        }
        ladder.arrow(ALG, UE_B, "SDP answer: " + Scenarios.describe(faxToB));
        MediaDescription towardsB = faxToB.media().get(0);
        checks.check(towardsB.transport().equals(Transport.UDPTL) && towardsB.fingerprints().isEmpty() && towardsB.setup().isEmpty()
                && towardsB.attribute("tls-id").isEmpty() && !towardsB.mediaLine().portNumber().equals(faxAnswer.media().get(0).mediaLine().portNumber()),
                "towards UE-B the answer is plain udptl on the IMS-AGW's port, without fingerprint, role or tls-id");

        a.start(end(faxToA), gatewayFingerprints, true);
        BearerEvent.TlsEstablished dtls = checks.attempt("UE-A's DTLS 1.2 association with the IMS-AGW is up",
                () -> a.established().get(TIMEOUT, TimeUnit.SECONDS));
        if (dtls == null) {
            return;
        }
        ladder.note(UE_A, dtls.protocol() + " established as client, the IMS-AGW's certificate matches the SDP fingerprint");
        checks.check(dtls.protocol().equals("DTLSv1.2") && dtls.peerFingerprint().filter(gatewayFingerprints::contains).isPresent(),
                "TLS-4: UE-A saw the certificate whose fingerprint the IMS-ALG gave it");

        FaxSessionGenerator.FaxSession session = FaxSessionGenerator.session(1, "+4930111", "+4940222");
        List<byte[]> calling = new RedundancyEncoder(2, 0).datagrams(session.calling());
        List<byte[]> atB = sendFax(a, b, calling);
        ladder.arrow(UE_A, AGW, calling.size() + " UDPTL datagrams (T.30 session, IFPs with redundancy) in DTLS records");
        ladder.arrow(AGW, UE_B, atB.size() + " UDPTL datagrams, plain");
        checks.check(atB.size() == calling.size() && sameInOrder(atB, calling),
                "GW-7: every datagram of UE-A's fax reaches UE-B whole, in order, with its redundancy (" + atB.size() + " of " + calling.size() + ")");
        checks.check(atB.stream().allMatch(FaxScenario::decodes), "each arrives as a UDPTL packet UE-B decodes");

        List<byte[]> called = new RedundancyEncoder(2, 0).datagrams(session.called());
        InetSocketAddress gatewayTowardsB = end(faxToB);
        List<byte[]> atA = new ArrayList<>();
        for (byte[] datagram : called) {
            b.send(new DatagramPacket(datagram, datagram.length, gatewayTowardsB));
            a.receive(Duration.ofSeconds(TIMEOUT)).ifPresent(atA::add);
        }
        ladder.arrow(UE_B, AGW, called.size() + " UDPTL datagrams (CED, DIS, CFR, MCF), plain");
        ladder.arrow(AGW, UE_A, atA.size() + " UDPTL datagrams in DTLS records");
        checks.check(sameInOrder(atA, called) && atA.size() == called.size(), "UE-B's answers reach UE-A through DTLS (" + atA.size() + ")");

        ladder.arrow(UE_A, ALG, "BYE (the SIP side releases the call)");
        checks.attempt("the IMS-ALG releases the fax context (Subtract)", () -> alg.onRelease(id).get(TIMEOUT, TimeUnit.SECONDS));
        BearerEvent.Released closed = checks.attempt("UE-A's DTLS association ends", () -> a.released().get(TIMEOUT, TimeUnit.SECONDS));
        if (closed != null) {
            ladder.note(UE_A, "DTLS association closed: " + closed.detail());
            checks.check(closed.reason() == ReleaseReason.TLS_CLOSE_NOTIFY, "the IMS-AGW closed it with close_notify (" + closed.reason() + ")");
        }
    }

    /** UE-A's fax through its DTLS, at most {@link #WINDOW} ahead of UE-B; what UE-B received, in order. */
    private static List<byte[]> sendFax(FaxUe a, DatagramSocket b, List<byte[]> fax) throws IOException {
        List<byte[]> received = new ArrayList<>();
        byte[] buffer = new byte[65_536];
        b.setSoTimeout((int) TimeUnit.SECONDS.toMillis(TIMEOUT));
        for (int i = 0; i < fax.size(); i++) {
            a.send(fax.get(i));
            while (i + 1 - received.size() >= WINDOW || (i == fax.size() - 1 && received.size() < fax.size())) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    b.receive(packet);
                } catch (SocketTimeoutException lost) {
                    return received;
                }
                received.add(Arrays.copyOf(buffer, packet.getLength()));
            }
        }
        return received;
    }

    private static boolean sameInOrder(List<byte[]> received, List<byte[]> sent) {
        for (int i = 0; i < Math.min(received.size(), sent.size()); i++) {
            if (!Arrays.equals(received.get(i), sent.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean decodes(byte[] datagram) {
        try {
            UdptlPacket packet = UdptlCodec.decode(datagram);
            return packet != null;
        } catch (T38Exception e) {
            return false;
        }
    }

    private static InetSocketAddress end(SessionDescription sdp) {
        MediaDescription media = sdp.media().get(0);
        String[] connection = sdp.connectionData(media).orElseThrow().trim().split("\\s+");
        return new InetSocketAddress(connection[2], media.mediaLine().portNumber().orElseThrow());
    }

    private static SessionDescription sdp(String owner, int version, String media) throws SdpParseException {
        return SdpParser.parse("v=0\r\no=" + owner + " 1 " + version + " IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" + media);
    }
}
