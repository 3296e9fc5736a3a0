package org.mediasec.it.reliability;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.mediasec.t38.FieldType;
import org.mediasec.t38.IfpCodec;
import org.mediasec.t38.IfpPacket;
import org.mediasec.t38.Octets;
import org.mediasec.t38.T30Data;
import org.mediasec.t38.T38Exception;
import org.mediasec.t38.UdptlCodec;
import org.mediasec.t38.UdptlPacket;

/**
 * The two ends of one soak fax call ({@link SoakStream#UDPTL}, GW-7): the UE, a DTLS client towards the gateway's
 * {@code UDP/TLS/UDPTL} leg ({@link DtlsClient}), and the core's fax, a plain UDP socket towards its {@code udptl}
 * leg. Both sockets are bound before the Add, whose Remote carries their ports (a UDP leg's peer is its SDP address and
 * port exactly). Each chunk of the call's check pattern travels as the image data of one IFP (t30-data V.17 14400,
 * one T.4 non-ECM field) in one UDPTL packet without redundancy, with the direction's next seq-number (T.38 9.1); the
 * receiver decodes it, holds the seq-number to the next expected one (a gap is a lost datagram) and gives the field's
 * octets to the {@link StreamCheck}. Closing sends the UE's close_notify, then closes both sockets. Thread rule: one
 * thread (the call's virtual thread).
 */
final class SoakFax implements AutoCloseable {

    /**
     * T38FaxMaxDatagram both legs declare (RFC 7345; as FaxGatewayTest and the demo): the gateway drops larger UDPTL
     * payloads, so {@code --chunk-bytes} may be at most {@value} less the UDPTL and IFP headers ({@link #checkChunk}).
     */
    static final int MAX_DATAGRAM = 400;
    /** How long the UE's DTLS handshake may take, retransmissions included: as a TCP kind's connect. */
    private static final Duration HANDSHAKE_LIMIT = Duration.ofSeconds(10);
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final DatagramSocket ue;
    private final DatagramSocket core;
    private final byte[] buffer = new byte[UdptlCodec.MAX_DATAGRAM];
    private DtlsClient dtls;
    private int towardsCoreSent;
    private int towardsCoreExpected;
    private int towardsUeSent;
    private int towardsUeExpected;

    private SoakFax(DatagramSocket ue, DatagramSocket core) {
        this.ue = ue;
        this.core = core;
    }

    /** Both ends bound to ports of their own on the loopback, before the Add. */
    static SoakFax bind() throws IOException {
        DatagramSocket ue = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        try {
            return new SoakFax(ue, new DatagramSocket(new InetSocketAddress(LOOPBACK, 0)));
        } catch (IOException e) {
            ue.close();
            throw e;
        }
    }

    /** Fails unless a chunk of {@code chunkBytes} fits one UDPTL datagram within {@link #MAX_DATAGRAM}. */
    static void checkChunk(int chunkBytes) {
        udptl(0, new byte[chunkBytes]);
    }

    int uePort() {
        return ue.getLocalPort();
    }

    int corePort() {
        return core.getLocalPort();
    }

    /** Each end towards its leg of the gateway; the UE's DTLS handshake done, the gateway's certificate checked by {@code tls}. */
    void connect(SoakMgc.Opened opened, SoakTls tls) throws IOException {
        core.connect(new InetSocketAddress(LOOPBACK, opened.corePort()));
        ue.connect(new InetSocketAddress(LOOPBACK, opened.accessPort()));
        dtls = tls.dtlsClient(ue, opened.accessFingerprint(), HANDSHAKE_LIMIT);
    }

    void ueSends(byte[] chunk) throws IOException {
        dtls.send(udptl(towardsCoreSent++, chunk));
    }

    void coreSends(byte[] chunk) throws IOException {
        byte[] datagram = udptl(towardsUeSent++, chunk);
        core.send(new DatagramPacket(datagram, datagram.length));
    }

    /** The core's next datagram, within {@code timeout}, checked into {@code stream}. */
    void coreReceives(StreamCheck stream, Duration timeout) throws IOException {
        core.setSoTimeout((int) timeout.toMillis());
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        core.receive(packet);
        byte[] image = imageData(Arrays.copyOf(buffer, packet.getLength()), towardsCoreExpected++);
        stream.arrived(image, image.length);
    }

    /** The UE's next datagram through its DTLS, within {@code timeout}, checked into {@code stream}. */
    void ueReceives(StreamCheck stream, Duration timeout) throws IOException {
        byte[] image = imageData(dtls.receive(timeout), towardsUeExpected++);
        stream.arrived(image, image.length);
    }

    /** T.38 9.1: {@code chunk} as the image data of one IFP in a UDPTL packet numbered {@code sequence} (mod 65536). */
    static byte[] udptl(int sequence, byte[] chunk) {
        IfpPacket ifp = IfpPacket.data(T30Data.V17_14400, List.of(new IfpPacket.DataField(FieldType.T4_NON_ECM_DATA, Optional.of(new Octets(chunk)))));
        byte[] datagram = UdptlCodec.encode(UdptlPacket.withRedundancy(sequence & UdptlPacket.MAX_SEQUENCE_NUMBER, IfpCodec.encode(ifp), List.of()));
        if (datagram.length > MAX_DATAGRAM) {
            throw new IllegalArgumentException("a chunk of " + chunk.length + " octets makes a UDPTL datagram of " + datagram.length
                    + " octets, more than T38FaxMaxDatagram " + MAX_DATAGRAM + ": lower --chunk-bytes");
        }
        return datagram;
    }

    /** The image data of a UDPTL datagram that must carry seq-number {@code expected} (mod 65536); else an IOException. */
    static byte[] imageData(byte[] datagram, int expected) throws IOException {
        try {
            UdptlPacket packet = UdptlCodec.decode(datagram);
            if (packet.sequenceNumber() != (expected & UdptlPacket.MAX_SEQUENCE_NUMBER)) {
                throw new IOException("UDPTL seq-number " + packet.sequenceNumber() + " where " + (expected & UdptlPacket.MAX_SEQUENCE_NUMBER)
                        + " was next: a datagram lost, repeated or reordered");
            }
            IfpPacket ifp = IfpCodec.decode(packet.primary());
            List<IfpPacket.DataField> fields = ifp.dataField().orElse(List.of());
            if (fields.size() != 1 || fields.getFirst().fieldData().isEmpty()) {
                throw new IOException("UDPTL seq-number " + expected + ": an IFP without its one field of image data: " + ifp);
            }
            return fields.getFirst().fieldData().get().bytes();
        } catch (T38Exception e) {
            throw new IOException("a datagram that does not decode as UDPTL: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        try (DatagramSocket closingUe = ue; DatagramSocket closingCore = core) {
            if (dtls != null) {
                dtls.close();
            }
        }
    }
}
