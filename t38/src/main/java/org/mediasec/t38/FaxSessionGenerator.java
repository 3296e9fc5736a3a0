package org.mediasec.t38;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.mediasec.t38.IfpPacket.DataField;

/**
 * A realistic T.38 fax session as IFPs, for tests and demos: what a calling and a called T.38 gateway send for a
 * T.30 call with one or more non-ECM pages at V.29 9600 bit/s (T.30 phases A to E):
 *
 * <ol>
 *   <li>calling: CNG; called: CED, then the V.21 preamble and its HDLC frames CSI and DIS;</li>
 *   <li>calling: V.21 preamble, TSI and DCS, then the V.29 training indicator and TCF (1.5 s of zeros, T.30 5.3.6.2.10)
 *       as t4-non-ecm-data ending with t4-non-ecm-sig-end; called: CFR;</li>
 *   <li>per page, calling: training, then the page (a valid T.4 one-dimensional blank page: EOL and a white run
 *       of 1728 pels per line, RTC at the end) in t4-non-ecm-data fields of one packetisation interval each;
 *       then MPS or EOP; called: MCF;</li>
 *   <li>calling: DCN.</li>
 * </ol>
 *
 * HDLC frames are sent as T.38 gateways do (T.38 7.4): hdlc-data with the frame without its FCS, then
 * hdlc-fcs-OK, the last frame's check as hdlc-fcs-OK-sig-end. Frame contents are the T.30 layout (address 0xFF,
 * control 0x03 or 0x13 for the final frame, FCF, FIF). Stateless; each call builds a new session.
 */
public final class FaxSessionGenerator {

    /** The two directions of a fax call, in the order each side sends. */
    public record FaxSession(List<IfpPacket> calling, List<IfpPacket> called) {
        public FaxSession {
            calling = List.copyOf(calling);
            called = List.copyOf(called);
        }
    }

    /**
     * T.30 5.3.6.1: the HDLC address field, always all ones. T.38 carries each octet with the bit sent first in the
     * most significant position, so the T.30 values below read bit-reversed against the T.30 tables (the form
     * captures and Wireshark's T.30 dissector show).
     */
    private static final int ADDRESS = 0xff;
    /** T.30 5.3.5: the control field of a frame that is not the last of its message, and of the last one. */
    private static final int CONTROL = 0xc0;
    private static final int CONTROL_FINAL = 0xc8;

    /** T.30 5.3.6.1 facsimile control fields. */
    private static final int FCF_DIS = 0x01;
    private static final int FCF_CSI = 0x02;
    private static final int FCF_DCS = 0x41;
    private static final int FCF_TSI = 0x42;
    private static final int FCF_CFR = 0x21;
    private static final int FCF_MPS = 0x72;
    private static final int FCF_EOP = 0x74;
    private static final int FCF_MCF = 0x31;
    private static final int FCF_DCN = 0x5f;

    /** DIS and DCS FIFs: V.29/V.27 ter at 9600 bit/s, 215 mm, A4, one-dimensional coding, 20 ms scan line time. */
    private static final byte[] DIS_FIF = {0x00, 0x73, 0x2f, 0x01, 0x01, (byte) 0x81, 0x01, 0x01, 0x18};
    private static final byte[] DCS_FIF = {0x00, 0x63, 0x21, 0x01, 0x01, (byte) 0x81, 0x01, 0x01, 0x18};

    /** V.29 at 9600 bit/s, 30 ms packetisation: 36 octets of image data per IFP. */
    private static final int BIT_RATE = 9600;
    private static final int PACKET_MILLIS = 30;
    static final int IMAGE_OCTETS_PER_IFP = BIT_RATE / 8 * PACKET_MILLIS / 1000;

    /** T.30 5.3.6.2.10: TCF is 1.5 s of zeros at the modulation's rate. */
    private static final int TCF_OCTETS = BIT_RATE / 8 * 3 / 2;

    /** T.4 4.1: 1145 scan lines for an A4 page at standard resolution (3.85 lines/mm × 297 mm). */
    private static final int LINES_PER_PAGE = 1145;

    private FaxSessionGenerator() {}

    /** A session sending {@code pages} pages from the calling to the called side. */
    public static FaxSession session(int pages, String callingNumber, String calledNumber) {
        if (pages < 1) {
            throw new IllegalArgumentException("a fax has at least one page");
        }
        List<IfpPacket> calling = new ArrayList<>();
        List<IfpPacket> called = new ArrayList<>();
        calling.add(IfpPacket.indicator(T30Indicator.CNG));
        called.add(IfpPacket.indicator(T30Indicator.CED));
        called.addAll(hdlcMessage(List.of(frame(CONTROL, FCF_CSI, identity(calledNumber)), frame(CONTROL_FINAL, FCF_DIS, DIS_FIF))));
        calling.addAll(hdlcMessage(List.of(frame(CONTROL, FCF_TSI, identity(callingNumber)), frame(CONTROL_FINAL, FCF_DCS, DCS_FIF))));
        calling.addAll(nonEcm(new byte[TCF_OCTETS]));
        called.addAll(hdlcMessage(List.of(frame(CONTROL_FINAL, FCF_CFR, new byte[0]))));
        byte[] page = blankPage();
        for (int i = 1; i <= pages; i++) {
            calling.addAll(nonEcm(page));
            calling.addAll(hdlcMessage(List.of(frame(CONTROL_FINAL, i == pages ? FCF_EOP : FCF_MPS, new byte[0]))));
            called.addAll(hdlcMessage(List.of(frame(CONTROL_FINAL, FCF_MCF, new byte[0]))));
        }
        calling.addAll(hdlcMessage(List.of(frame(CONTROL_FINAL, FCF_DCN, new byte[0]))));
        calling.add(IfpPacket.indicator(T30Indicator.NO_SIGNAL));
        called.add(IfpPacket.indicator(T30Indicator.NO_SIGNAL));
        return new FaxSession(calling, called);
    }

    /** The V.21 preamble, then each frame as hdlc-data and its FCS indication, the last one ending the signal. */
    private static List<IfpPacket> hdlcMessage(List<byte[]> frames) {
        List<IfpPacket> ifps = new ArrayList<>();
        ifps.add(IfpPacket.indicator(T30Indicator.V21_PREAMBLE));
        for (int i = 0; i < frames.size(); i++) {
            ifps.add(IfpPacket.data(T30Data.V21, List.of(new DataField(FieldType.HDLC_DATA, Optional.of(new Octets(frames.get(i)))))));
            FieldType check = i == frames.size() - 1 ? FieldType.HDLC_FCS_OK_SIG_END : FieldType.HDLC_FCS_OK;
            ifps.add(IfpPacket.data(T30Data.V21, List.of(new DataField(check, Optional.empty()))));
        }
        return ifps;
    }

    /** The V.29 training indication, then the data in packetisation-sized t4-non-ecm-data fields, then sig-end. */
    private static List<IfpPacket> nonEcm(byte[] data) {
        List<IfpPacket> ifps = new ArrayList<>();
        ifps.add(IfpPacket.indicator(T30Indicator.V29_9600_TRAINING));
        for (int from = 0; from < data.length; from += IMAGE_OCTETS_PER_IFP) {
            byte[] chunk = Arrays.copyOfRange(data, from, Math.min(data.length, from + IMAGE_OCTETS_PER_IFP));
            boolean last = from + IMAGE_OCTETS_PER_IFP >= data.length;
            List<DataField> fields = new ArrayList<>();
            fields.add(new DataField(FieldType.T4_NON_ECM_DATA, Optional.of(new Octets(chunk))));
            if (last) {
                fields.add(new DataField(FieldType.T4_NON_ECM_SIG_END, Optional.empty()));
            }
            ifps.add(IfpPacket.data(T30Data.V29_9600, fields));
        }
        return ifps;
    }

    private static byte[] frame(int control, int fcf, byte[] fif) {
        byte[] frame = new byte[3 + fif.length];
        frame[0] = (byte) ADDRESS;
        frame[1] = (byte) control;
        frame[2] = (byte) fcf;
        System.arraycopy(fif, 0, frame, 3, fif.length);
        return frame;
    }

    /**
     * T.30 5.3.6.2.4: a 20-character identity, digits and spaces, the last character sent first; each character's
     * octet bit-reversed like every other octet here.
     */
    private static byte[] identity(String number) {
        String padded = String.format("%-20s", number.length() > 20 ? number.substring(0, 20) : number);
        byte[] ascii = new StringBuilder(padded).reverse().toString().getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < ascii.length; i++) {
            ascii[i] = (byte) (Integer.reverse(ascii[i]) >>> 24);
        }
        return ascii;
    }

    /**
     * A blank A4 page in T.4 one-dimensional coding: per line EOL (000000000001), the white make-up code for 1728
     * (010011011) and the white terminating code for 0 (00110101); RTC (six EOLs) at the end (T.4 4.1.4).
     */
    static byte[] blankPage() {
        BitSink bits = new BitSink();
        for (int line = 0; line < LINES_PER_PAGE; line++) {
            bits.add(0b000000000001, 12);
            bits.add(0b010011011, 9);
            bits.add(0b00110101, 8);
        }
        for (int i = 0; i < 6; i++) {
            bits.add(0b000000000001, 12);
        }
        return bits.toByteArray();
    }

    /** Bits in transmission order, first bit in the most significant position of each octet. */
    private static final class BitSink {
        private final PerWriter writer = new PerWriter();

        void add(int code, int length) {
            writer.bits(code, length);
        }

        byte[] toByteArray() {
            return writer.toByteArray();
        }
    }
}
