package org.mediasec.it.wire;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A minimal pcap file of IPv4 UDP and TCP packets (link type 101, raw IP), so that tshark can dissect exactly the
 * bytes we put on the wire without capture privileges. UDP and TCP checksums are left zero (tshark does not check
 * them by default); TCP segments carry consecutive sequence numbers per direction, without handshake.
 */
public final class PcapWriter {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final java.util.Map<Long, Integer> sequences = new java.util.HashMap<>();
    private int packets;

    public PcapWriter() {
        ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(101);
        out.writeBytes(header.array());
    }

    /** One UDP datagram from 127.0.0.1:srcPort to 127.0.0.1:dstPort. */
    public void udp(int sourcePort, int destinationPort, byte[] payload) {
        int udpLength = 8 + payload.length;
        ByteBuffer packet = ipHeader(17, udpLength);
        packet.putShort((short) sourcePort).putShort((short) destinationPort).putShort((short) udpLength).putShort((short) 0).put(payload);
        record(packet);
    }

    /** One TCP segment (PSH, ACK) from 127.0.0.1:srcPort to 127.0.0.1:dstPort, continuing that direction's stream. */
    public void tcp(int sourcePort, int destinationPort, byte[] payload) {
        long direction = ((long) sourcePort << 16) | destinationPort;
        long reverse = ((long) destinationPort << 16) | sourcePort;
        int sequence = sequences.getOrDefault(direction, 1);
        int acknowledgement = sequences.getOrDefault(reverse, 1);
        sequences.put(direction, sequence + payload.length);
        ByteBuffer packet = ipHeader(6, 20 + payload.length);
        packet.putShort((short) sourcePort).putShort((short) destinationPort).putInt(sequence).putInt(acknowledgement)
                .put((byte) 0x50).put((byte) 0x18).putShort((short) 65535).putShort((short) 0).putShort((short) 0).put(payload);
        record(packet);
    }

    private ByteBuffer ipHeader(int protocol, int payloadLength) {
        int ipLength = 20 + payloadLength;
        ByteBuffer packet = ByteBuffer.allocate(ipLength).order(ByteOrder.BIG_ENDIAN);
        packet.put((byte) 0x45).put((byte) 0).putShort((short) ipLength).putShort((short) packets).putShort((short) 0)
                .put((byte) 64).put((byte) protocol).putShort((short) 0)
                .put(new byte[] {127, 0, 0, 1}).put(new byte[] {127, 0, 0, 1});
        // IPv4 header checksum
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += packet.getShort(i) & 0xffff;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        packet.putShort(10, (short) ~sum);
        return packet;
    }

    private void record(ByteBuffer packet) {
        int ipLength = packet.capacity();
        ByteBuffer record = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        record.putInt(1_700_000_000 + packets).putInt(0).putInt(ipLength).putInt(ipLength);
        out.writeBytes(record.array());
        out.writeBytes(packet.array());
        packets++;
    }

    public int packets() {
        return packets;
    }

    public byte[] bytes() {
        return out.toByteArray();
    }
}
