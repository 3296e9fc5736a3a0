package org.mediasec.t38;

import java.util.ArrayList;
import java.util.List;
import org.mediasec.t38.T38Exception.Reason;
import org.mediasec.t38.UdptlPacket.ErrorRecovery;
import org.mediasec.t38.UdptlPacket.Fec;
import org.mediasec.t38.UdptlPacket.Redundancy;

/**
 * Decodes and encodes UDPTL packets (ITU-T T.38 clause 9.1) in ALIGNED PER (X.691), one packet per UDP datagram:
 *
 * <pre>
 * seq-number           two aligned octets (INTEGER (0..65535), X.691 10.5.7.3)
 * primary-ifp-packet   open type: length determinant, then the IFP's octets (X.691 10.2)
 * error-recovery       one bit (CHOICE index, no extension marker), then octet aligned:
 *   0 secondary-ifp-packets  count (length determinant), then each IFP as an open type
 *   1 fec-info               fec-npackets (unconstrained INTEGER: octet count, two's complement octets),
 *                            fec-data count, then each OCTET STRING (length determinant and octets)
 * </pre>
 *
 * Lengths of 16K and more use fragmented length determinants both ways. A datagram is decoded whole: trailing
 * octets are an error. Stateless and thread-safe.
 */
public final class UdptlCodec {

    /** The largest UDP payload over IPv4 (65535 − 8 − 20): no UDPTL datagram can be longer. */
    public static final int MAX_DATAGRAM = 65_507;

    /** The largest fec-npackets accepted: an int (T.38 gives no bound; real senders use a handful). */
    private static final int MAX_INTEGER_OCTETS = 4;

    private UdptlCodec() {}

    public static UdptlPacket decode(byte[] datagram) throws T38Exception {
        if (datagram.length > MAX_DATAGRAM) {
            throw new T38Exception(Reason.OVERSIZE, 0, datagram.length + " octets, more than any UDP payload (" + MAX_DATAGRAM + ")");
        }
        PerReader in = new PerReader(datagram, 0);
        int sequenceNumber = in.twoOctets();
        Octets primary = openType(in);
        boolean fec = in.bit();
        ErrorRecovery recovery = fec ? fecInfo(in) : redundancy(in);
        in.align();
        if (!in.atEnd()) {
            throw new T38Exception(Reason.TRAILING_OCTETS, in.offset(), in.remainingOctets() + " octets after the UDPTL packet");
        }
        return new UdptlPacket(sequenceNumber, primary, recovery);
    }

    private static Octets openType(PerReader in) throws T38Exception {
        int at = in.offset();
        byte[] contents = in.octetString();
        if (contents.length == 0) {
            throw new T38Exception(Reason.EMPTY_OPEN_TYPE, at, "an IFP of zero octets");
        }
        return new Octets(contents);
    }

    private static Redundancy redundancy(PerReader in) throws T38Exception {
        List<Octets> secondaries = new ArrayList<>();
        // each secondary IFP takes at least its length determinant's octet
        in.fragmented(1, count -> {
            for (int i = 0; i < count; i++) {
                secondaries.add(openType(in));
            }
        });
        return new Redundancy(secondaries);
    }

    private static Fec fecInfo(PerReader in) throws T38Exception {
        int at = in.offset();
        byte[] integer = in.octetString();
        if (integer.length == 0 || integer.length > MAX_INTEGER_OCTETS) {
            throw new T38Exception(Reason.INTEGER_OUT_OF_RANGE, at, "fec-npackets in " + integer.length + " octets (1 to " + MAX_INTEGER_OCTETS + " accepted)");
        }
        long value = integer[0]; // X.691 12.2.6: two's complement
        for (int i = 1; i < integer.length; i++) {
            value = (value << 8) | (integer[i] & 0xff);
        }
        if (value < 0) {
            throw new T38Exception(Reason.INTEGER_OUT_OF_RANGE, at, "fec-npackets " + value + " is negative");
        }
        List<Octets> data = new ArrayList<>();
        in.fragmented(1, count -> {
            for (int i = 0; i < count; i++) {
                data.add(new Octets(in.octetString()));
            }
        });
        return new Fec((int) value, data);
    }

    /** The packet's octets; a packet that would not fit one UDP datagram is refused (IllegalArgumentException). */
    public static byte[] encode(UdptlPacket packet) {
        PerWriter out = new PerWriter();
        out.twoOctets(packet.sequenceNumber());
        out.octetString(packet.primary().unsafeBytes());
        switch (packet.errorRecovery()) {
            case Redundancy redundancy -> {
                out.bit(false);
                List<Octets> secondaries = redundancy.secondaries();
                out.fragmented(secondaries.size(), (from, count) -> secondaries.subList(from, from + count)
                        .forEach(ifp -> out.octetString(ifp.unsafeBytes())));
            }
            case Fec fec -> {
                out.bit(true);
                out.octetString(minimalTwosComplement(fec.fecNPackets()));
                List<Octets> data = fec.fecData();
                out.fragmented(data.size(), (from, count) -> data.subList(from, from + count)
                        .forEach(octets -> out.octetString(octets.unsafeBytes())));
            }
        }
        byte[] datagram = out.toByteArray();
        if (datagram.length > MAX_DATAGRAM) {
            throw new IllegalArgumentException("a UDPTL packet of " + datagram.length + " octets does not fit one UDP datagram (" + MAX_DATAGRAM + ")");
        }
        return datagram;
    }

    /** X.691 12.2.6: the fewest octets that hold the value with a sign bit. */
    private static byte[] minimalTwosComplement(int value) {
        int octets = 1;
        while (octets < 4 && (value >> (8 * octets - 1)) != 0) {
            octets++;
        }
        byte[] result = new byte[octets];
        for (int i = 0; i < octets; i++) {
            result[i] = (byte) (value >>> (8 * (octets - 1 - i)));
        }
        return result;
    }
}
