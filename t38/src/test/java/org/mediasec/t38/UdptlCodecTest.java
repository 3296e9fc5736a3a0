package org.mediasec.t38;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mediasec.t38.IfpPacket.DataField;
import org.mediasec.t38.T38Exception.Reason;
import org.mediasec.t38.UdptlPacket.Fec;

class UdptlCodecTest {

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    private static Reason reasonOf(byte[] datagram) {
        try {
            UdptlCodec.decode(datagram);
            throw new AssertionError("decoded");
        } catch (T38Exception e) {
            return e.reason();
        }
    }

    @Test
    void aPacketWithRedundancyHasItsWireLayout() throws Exception {
        // seq 0x0102, primary "CNG" (one octet: indicator, root index 1 → 0 0 0 0001 0 = 0x02), two secondaries
        Octets cng = IfpCodec.encode(IfpPacket.indicator(T30Indicator.CNG));
        assertThat(cng.bytes()).containsExactly(0x02);
        UdptlPacket packet = UdptlPacket.withRedundancy(0x0102, cng, List.of(new Octets(new byte[] {0x06}), new Octets(new byte[] {0x02})));
        byte[] wire = UdptlCodec.encode(packet);
        assertThat(wire).isEqualTo(hex("0102 01 02 00 02 01 06 01 02"));
        assertThat(UdptlCodec.decode(wire)).isEqualTo(packet);
    }

    @Test
    void aPacketWithFecHasItsWireLayout() throws Exception {
        UdptlPacket packet = new UdptlPacket(7, new Octets(new byte[] {0x02}), new Fec(3, List.of(new Octets(new byte[] {1, 2}))));
        byte[] wire = UdptlCodec.encode(packet);
        // error-recovery bit 1 (0x80), fec-npackets as one octet of two's complement, one fec-data of two octets
        assertThat(wire).isEqualTo(hex("0007 01 02 80 01 03 01 02 0102"));
        assertThat(UdptlCodec.decode(wire)).isEqualTo(packet);
    }

    @Test
    void fecNPacketsOf128TakesTwoOctets() throws Exception {
        UdptlPacket packet = new UdptlPacket(7, new Octets(new byte[] {0x02}), new Fec(128, List.of()));
        assertThat(UdptlCodec.encode(packet)).isEqualTo(hex("0007 01 02 80 02 0080 00"));
        assertThat(UdptlCodec.decode(UdptlCodec.encode(packet))).isEqualTo(packet);
    }

    @Test
    void lengthsFrom128UseTheTwoOctetDeterminant() throws Exception {
        byte[] ifp = new byte[300];
        ifp[0] = 0x02;
        byte[] wire = UdptlCodec.encode(UdptlPacket.withRedundancy(1, new Octets(ifp), List.of()));
        assertThat(Arrays.copyOfRange(wire, 2, 4)).isEqualTo(hex("812c"));
        assertThat(UdptlCodec.decode(wire).primary().length()).isEqualTo(300);
    }

    @Test
    void anOpenTypeOf16KAndMoreIsFragmented() throws Exception {
        // X.691 10.9.3.8: 20000 = one 16K fragment (0xC1) then a determinant of 3616 (0x8E20)
        byte[] ifp = new byte[20_000];
        Arrays.fill(ifp, (byte) 0x5a);
        UdptlPacket packet = UdptlPacket.withRedundancy(9, new Octets(ifp), List.of(new Octets(new byte[] {1})));
        byte[] wire = UdptlCodec.encode(packet);
        assertThat(wire[2] & 0xff).isEqualTo(0xc1);
        assertThat(Arrays.copyOfRange(wire, 3 + 16384, 3 + 16384 + 2)).isEqualTo(hex("8e20"));
        assertThat(UdptlCodec.decode(wire)).isEqualTo(packet);
    }

    @Test
    void anExactMultipleOf16KEndsWithAZeroDeterminant() throws Exception {
        byte[] ifp = new byte[32_768];
        UdptlPacket packet = UdptlPacket.withRedundancy(9, new Octets(ifp), List.of());
        byte[] wire = UdptlCodec.encode(packet);
        assertThat(wire[2] & 0xff).isEqualTo(0xc2);
        assertThat(wire[3 + 32_768]).isZero();
        assertThat(UdptlCodec.decode(wire)).isEqualTo(packet);
    }

    @Test
    void aFragmentOfMoreThanFourUnitsIsRefusedWhereItStands() {
        byte[] wire = new byte[3 + 5 * 16384 + 10];
        wire[2] = (byte) 0xc5;
        assertThatThrownBy(() -> UdptlCodec.decode(Arrays.copyOf(wire, UdptlCodec.MAX_DATAGRAM)))
                .isInstanceOfSatisfying(T38Exception.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.BAD_LENGTH_DETERMINANT);
                    assertThat(e.offset()).isEqualTo(2);
                });
    }

    @Test
    void aFragmentWhoseOctetsAreMissingIsPastTheEnd() {
        byte[] wire = new byte[100];
        wire[2] = (byte) 0xc1;
        assertThat(reasonOf(wire)).isEqualTo(Reason.LENGTH_PAST_END);
    }

    @Test
    void everyTruncationIsATypedErrorWithinTheInput() throws Exception {
        List<IfpPacket> ifps = FaxSessionGenerator.session(1, "1", "2").calling().subList(0, 12);
        for (byte[] datagram : new RedundancyEncoder(3, 65_530).datagrams(ifps)) {
            for (int length = 0; length < datagram.length; length++) {
                byte[] cut = Arrays.copyOf(datagram, length);
                try {
                    UdptlCodec.decode(cut);
                    throw new AssertionError("a truncated datagram decoded: " + HexFormat.of().formatHex(cut));
                } catch (T38Exception e) {
                    assertThat(e.reason()).isIn(Reason.TRUNCATED, Reason.LENGTH_PAST_END);
                    assertThat(e.offset()).isBetween(0, length);
                }
            }
        }
    }

    @Test
    void aLengthPastTheEndIsRefusedAtItsDeterminant() {
        assertThatThrownBy(() -> UdptlCodec.decode(hex("0001 05 0203")))
                .isInstanceOfSatisfying(T38Exception.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.LENGTH_PAST_END);
                    assertThat(e.offset()).isEqualTo(2);
                });
    }

    @Test
    void aSecondaryCountThatCannotFitIsRefusedBeforeReadingItems() {
        // 100 secondaries announced, two octets follow
        assertThatThrownBy(() -> UdptlCodec.decode(hex("0001 01 02 00 64 0102")))
                .isInstanceOfSatisfying(T38Exception.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.LENGTH_PAST_END);
                    assertThat(e.offset()).isEqualTo(5);
                });
    }

    @Test
    void trailingOctetsAreRefused() {
        assertThatThrownBy(() -> UdptlCodec.decode(hex("0001 01 02 00 00 ff")))
                .isInstanceOfSatisfying(T38Exception.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.TRAILING_OCTETS);
                    assertThat(e.offset()).isEqualTo(6);
                });
    }

    @Test
    void anEmptyIfpIsRefused() {
        assertThat(reasonOf(hex("0001 00 00 00"))).isEqualTo(Reason.EMPTY_OPEN_TYPE);
        assertThat(reasonOf(hex("0001 01 02 00 01 00"))).isEqualTo(Reason.EMPTY_OPEN_TYPE);
    }

    @Test
    void anOversizeDatagramIsRefusedBeforeDecoding() {
        assertThat(reasonOf(new byte[UdptlCodec.MAX_DATAGRAM + 1])).isEqualTo(Reason.OVERSIZE);
    }

    @Test
    void fecNPacketsOutOfRangeIsRefused() {
        assertThat(reasonOf(hex("0001 01 02 80 05 0000000001 00"))).isEqualTo(Reason.INTEGER_OUT_OF_RANGE);
        assertThat(reasonOf(hex("0001 01 02 80 01 ff 00"))).isEqualTo(Reason.INTEGER_OUT_OF_RANGE);
        assertThat(reasonOf(hex("0001 01 02 80 00 00"))).isEqualTo(Reason.INTEGER_OUT_OF_RANGE);
    }

    @Test
    void anIfpWithDataFieldsHasItsWireLayout() throws Exception {
        // data-field present, t30-data v21 (index 0), one field hdlc-data with 3 octets:
        // 1 1 0 0000 pad → 0xC0; count 01; field: 0 presence? no: 1 (data) 0 (ext) 000 (hdlc-data) pad → 0x80; length-1 0002; data
        IfpPacket ifp = IfpPacket.data(T30Data.V21, List.of(new DataField(FieldType.HDLC_DATA, Optional.of(new Octets(hex("ffc802"))))));
        assertThat(IfpCodec.encode(ifp).bytes()).isEqualTo(hex("c0 01 80 0002 ffc802"));
        assertThat(IfpCodec.decode(new Octets(hex("c0 01 80 0002 ffc802")))).isEqualTo(ifp);
    }

    @Test
    void fieldsWithoutDataShareOctetsAsPerPacksThem() throws Exception {
        // X.691: elements of a SEQUENCE OF are not aligned; two data-less fields take 5 bits each
        IfpPacket ifp = IfpPacket.data(T30Data.V21, List.of(new DataField(FieldType.HDLC_FCS_OK, Optional.empty()),
                new DataField(FieldType.HDLC_SIG_END, Optional.empty())));
        // 0 0 010 | 0 0 001 → 0001 0000 01.. → 0x10 0x40
        assertThat(IfpCodec.encode(ifp).bytes()).isEqualTo(hex("c0 02 1040"));
        assertThat(IfpCodec.decode(IfpCodec.encode(ifp))).isEqualTo(ifp);
    }

    @Test
    void extensionValuesUseANormallySmallNumber() throws Exception {
        // t30-indicator v8-ansam: 0 0 1 (extension) 0 000000 → 0010 0000 00.. → 0x20 0x00
        IfpPacket ansam = IfpPacket.indicator(T30Indicator.V8_ANSAM);
        assertThat(IfpCodec.encode(ansam).bytes()).isEqualTo(hex("2000"));
        assertThat(IfpCodec.decode(new Octets(hex("2000")))).isEqualTo(ansam);
        IfpPacket v33 = IfpPacket.indicator(T30Indicator.V33_14400_TRAINING);
        assertThat(IfpCodec.decode(IfpCodec.encode(v33))).isEqualTo(v33);
    }

    @Test
    void unknownValuesAreRefusedWithTheirPlace() {
        // t30-data root index 9 does not exist (the root has nine: 0..8)
        assertThatThrownBy(() -> IfpCodec.decode(new Octets(hex("52"))))
                .isInstanceOfSatisfying(T38Exception.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_VALUE));
        // t30-indicator extension addition 7 (only 0..6 are defined)
        assertThatThrownBy(() -> IfpCodec.decode(new Octets(hex("21c0"))))
                .isInstanceOfSatisfying(T38Exception.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_VALUE));
    }

    @Test
    void anIfpFieldLongerThanItsPacketIsPastTheEnd() {
        assertThatThrownBy(() -> IfpCodec.decode(hex("c0 01 80 0010 ffc802"), 4))
                .isInstanceOfSatisfying(T38Exception.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.LENGTH_PAST_END);
                    assertThat(e.offset()).isEqualTo(4 + 5);
                });
    }
}
