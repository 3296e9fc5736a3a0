package org.mediasec.app.demo;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.mediasec.bearer.BearerConfig;
import org.mediasec.bearer.BearerEvent;
import org.mediasec.bearer.BearerPlane;
import org.mediasec.bearer.Side;
import org.mediasec.bearer.datagram.DatagramLegSpec;
import org.mediasec.bearer.datagram.DatagramPair;
import org.mediasec.bearer.tls.CertificateFingerprint;
import org.mediasec.bearer.tls.SelfSignedCertificate;
import org.mediasec.bearer.tls.TlsDomain;
import org.mediasec.bearer.tls.TlsEngines;

/**
 * UE-A's fax terminal in the demo (GW-7): a plain UDP socket that sends and receives UDPTL, behind the UE's DTLS 1.2
 * stack towards the gateway. The DTLS stack is a datagram pair of the bearer run by the UE with its own certificate:
 * client or server as its a=setup says (RFC 8842), the gateway's certificate checked against the fingerprint of the
 * SDP it received (TLS-4 from the UE's side). Its DTLS port is bound when it opens; the port its SDP announces was
 * free a moment before. Thread rule: the test thread calls it; the pair runs on its own loop.
 */
final class FaxUe implements AutoCloseable {

    /** RFC 7345: T38FaxMaxDatagram as the UE offers it. */
    static final int MAX_DATAGRAM = 400;
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final SelfSignedCertificate certificate = SelfSignedCertificate.generate("UE-A fax", Duration.ofDays(1));
    private final TlsEngines engines = new TlsEngines(TlsDomain.defaults("ue-a", certificate));
    private final BearerPlane plane = new BearerPlane(BearerConfig.DEFAULT);
    private final DatagramSocket terminal;
    private final int dtlsPort;
    private final CompletableFuture<BearerEvent.TlsEstablished> established = new CompletableFuture<>();
    private final CompletableFuture<BearerEvent.Released> released = new CompletableFuture<>();
    private DatagramPair pair;

    FaxUe() throws IOException {
        terminal = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            dtlsPort = probe.getLocalPort();
        }
    }

    /** The port the UE's SDP announces for its DTLS. */
    int port() {
        return dtlsPort;
    }

    CertificateFingerprint fingerprint() {
        return CertificateFingerprint.of("sha-256", certificate.certificate());
    }

    /** Opens the UE's DTLS towards the gateway's end of the SDP it was given, as DTLS client when {@code client}. */
    void start(InetSocketAddress gateway, List<CertificateFingerprint> gatewayFingerprints, boolean client) throws Exception {
        DatagramLegSpec access = DatagramLegSpec.udp(new InetSocketAddress(LOOPBACK, dtlsPort), Optional.of(gateway), MAX_DATAGRAM)
                .withDtls(new DatagramLegSpec.Dtls(engines, client, gatewayFingerprints, Optional.of(certificate)));
        DatagramLegSpec inside = DatagramLegSpec.udp(new InetSocketAddress(LOOPBACK, 0), Optional.of((InetSocketAddress) terminal.getLocalSocketAddress()),
                MAX_DATAGRAM);
        pair = plane.openDatagram(access, inside, event -> {
            switch (event) {
                case BearerEvent.TlsEstablished up -> established.complete(up);
                case BearerEvent.TlsFailed failed -> established.completeExceptionally(new IOException("DTLS failed: " + failed.reason()));
                case BearerEvent.Released down -> {
                    established.completeExceptionally(new IOException("released: " + down.detail()));
                    released.complete(down);
                }
                default -> { }
            }
        }).get(5, TimeUnit.SECONDS);
    }

    CompletableFuture<BearerEvent.TlsEstablished> established() {
        return established;
    }

    CompletableFuture<BearerEvent.Released> released() {
        return released;
    }

    /** One UDPTL datagram from the terminal, out as one DTLS record. */
    void send(byte[] datagram) throws IOException {
        InetSocketAddress stack = pair.localAddress(Side.B);
        terminal.send(new DatagramPacket(datagram, datagram.length, stack));
    }

    /** The next datagram the terminal receives (decrypted by the UE's DTLS), or empty after {@code timeout}. */
    Optional<byte[]> receive(Duration timeout) throws IOException {
        byte[] buffer = new byte[65_536];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        terminal.setSoTimeout((int) timeout.toMillis());
        try {
            terminal.receive(packet);
        } catch (SocketTimeoutException e) {
            return Optional.empty();
        }
        return Optional.of(Arrays.copyOf(buffer, packet.getLength()));
    }

    @Override
    public void close() {
        terminal.close();
        plane.close();
    }
}
