package org.mediasec.t38;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.mediasec.t38.IfpPacket.DataField;

/** Packets built from the model encode to octets that decode to the same packet; garbage yields only the typed error. */
class UdptlRoundTripPropertyTest {

    @Property(tries = 500)
    void udptlPacketsRoundTrip(@ForAll("udptlPackets") UdptlPacket packet) throws Exception {
        byte[] datagram;
        try {
            datagram = UdptlCodec.encode(packet);
        } catch (IllegalArgumentException tooLarge) {
            Assume.that(false); // more than one UDP datagram holds
            return;
        }
        assertThat(UdptlCodec.decode(datagram)).isEqualTo(packet);
    }

    @Property(tries = 500)
    void ifpPacketsRoundTrip(@ForAll("ifpPackets") IfpPacket packet) throws Exception {
        assertThat(IfpCodec.decode(IfpCodec.encode(packet))).isEqualTo(packet);
    }

    @Property(tries = 1000)
    void garbageOnlyEverYieldsTheTypedError(@ForAll byte[] garbage) {
        assertThatCode(() -> {
            try {
                UdptlPacket packet = UdptlCodec.decode(garbage);
                assertThat(UdptlCodec.decode(UdptlCodec.encode(packet))).isEqualTo(packet);
            } catch (T38Exception expected) {
                assertThat(expected.offset()).isBetween(0, garbage.length);
            }
            try {
                IfpCodec.decode(garbage, 0);
            } catch (T38Exception expected) {
                assertThat(expected.offset()).isBetween(0, garbage.length);
            }
        }).doesNotThrowAnyException();
    }

    @Provide
    Arbitrary<UdptlPacket> udptlPackets() {
        Arbitrary<Octets> ifp = Arbitraries.oneOf(ifpPackets().map(IfpCodec::encode),
                Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(300).map(Octets::new));
        Arbitrary<UdptlPacket.ErrorRecovery> recovery = Arbitraries.oneOf(
                ifp.list().ofMaxSize(200).map(UdptlPacket.Redundancy::new),
                Combinators.combine(Arbitraries.integers().between(0, Integer.MAX_VALUE),
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(200).map(Octets::new).list().ofMaxSize(150))
                        .as(UdptlPacket.Fec::new));
        return Combinators.combine(Arbitraries.integers().between(0, 0xffff), ifp, recovery).as(UdptlPacket::new);
    }

    @Provide
    Arbitrary<IfpPacket> ifpPackets() {
        Arbitrary<IfpPacket.TypeOfMessage> type = Arbitraries.oneOf(
                Arbitraries.of(T30Indicator.class).map(IfpPacket.Indicator::new), Arbitraries.of(T30Data.class).map(IfpPacket.Data::new));
        Arbitrary<DataField> field = Combinators.combine(Arbitraries.of(FieldType.class),
                Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(400).map(Octets::new).optional())
                .as(DataField::new);
        return Combinators.combine(type, field.list().ofMaxSize(140).optional()).as(IfpPacket::new);
    }
}
