package org.mediasec.bfcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Any message built from the model encodes to bytes that decode to the same message. */
class BfcpRoundTripPropertyTest {

    @Property(tries = 500)
    void messagesRoundTrip(@ForAll("messages") BfcpMessage message) throws Exception {
        assertThat(BfcpDecoder.decode(BfcpEncoder.encode(message))).isEqualTo(message);
    }

    @Provide
    Arbitrary<BfcpMessage> messages() {
        // HelloAck, Error and the primitives with required attributes get them; the rest carry a random list
        Arbitrary<BfcpAttribute> attribute = Arbitraries.lazyOf(this::simple, this::grouped);
        return Combinators.combine(
                        Arbitraries.of(BfcpPrimitive.HELLO, BfcpPrimitive.USER_QUERY, BfcpPrimitive.FLOOR_QUERY, BfcpPrimitive.FLOOR_STATUS,
                                BfcpPrimitive.USER_STATUS, BfcpPrimitive.GOODBYE, BfcpPrimitive.CHAIR_ACTION_ACK, BfcpPrimitive.FLOOR_REQUEST),
                        Arbitraries.longs().between(0, 0xffffffffL), Arbitraries.integers().between(0, 0xffff),
                        Arbitraries.integers().between(0, 0xffff), attribute.list().ofMaxSize(6), Arbitraries.integers().between(0, 0xffff))
                .as((primitive, conference, transaction, user, attributes, floor) -> {
                    List<BfcpAttribute> all = new java.util.ArrayList<>(attributes);
                    if (primitive == BfcpPrimitive.FLOOR_REQUEST) {
                        all.add(0, new BfcpAttribute.FloorId(floor));
                    }
                    if (primitive == BfcpPrimitive.USER_QUERY) {
                        all.removeIf(BfcpAttribute.BeneficiaryId.class::isInstance);
                    }
                    return new BfcpMessage(1, primitive, conference, transaction, user, all);
                });
    }

    private Arbitrary<BfcpAttribute> simple() {
        Arbitrary<Integer> u16 = Arbitraries.integers().between(0, 0xffff);
        Arbitrary<String> text = Arbitraries.strings().ofMaxLength(60).filter(s -> s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 200)
                .map(s -> new String(s.getBytes(java.nio.charset.StandardCharsets.UTF_8), java.nio.charset.StandardCharsets.UTF_8));
        return Arbitraries.<BfcpAttribute>oneOf(
                u16.map(BfcpAttribute.BeneficiaryId::new),
                u16.map(BfcpAttribute.FloorId::new),
                u16.map(BfcpAttribute.FloorRequestId::new),
                Arbitraries.of(Priority.class).map(BfcpAttribute.PriorityAttribute::new),
                Combinators.combine(Arbitraries.of(RequestStatus.class), Arbitraries.integers().between(0, 255)).as(BfcpAttribute.RequestStatusAttribute::new),
                Combinators.combine(Arbitraries.integers().between(0, 255), Arbitraries.bytes().array(byte[].class).ofMaxSize(20))
                        .as((code, details) -> new BfcpAttribute.ErrorCode(code, new Octets(details))),
                text.map(BfcpAttribute.ErrorInfo::new),
                text.map(BfcpAttribute.StatusInfo::new),
                text.map(BfcpAttribute.UserUri::new),
                Arbitraries.integers().between(0, 127).list().ofMaxSize(20).map(BfcpAttribute.SupportedAttributes::new),
                Arbitraries.integers().between(0, 255).list().ofMaxSize(20).map(BfcpAttribute.SupportedPrimitives::new),
                Combinators.combine(Arbitraries.integers().between(19, 127), Arbitraries.bytes().array(byte[].class).ofMaxSize(30))
                        .as((type, value) -> new BfcpAttribute.Unknown(type, new Octets(value))));
    }

    private Arbitrary<BfcpAttribute> grouped() {
        Arbitrary<Integer> u16 = Arbitraries.integers().between(0, 0xffff);
        Arbitrary<List<BfcpAttribute>> inner = simple().list().ofMaxSize(3);
        return Arbitraries.<BfcpAttribute>oneOf(
                Combinators.combine(u16, inner).as(BfcpAttribute.BeneficiaryInformation::new),
                Combinators.combine(u16, inner).as(BfcpAttribute.FloorRequestStatus::new),
                Combinators.combine(u16, inner).as(BfcpAttribute.OverallRequestStatus::new),
                Combinators.combine(u16, inner, u16).as((id, attributes, floor) -> {
                    List<BfcpAttribute> all = new java.util.ArrayList<>(attributes);
                    all.add(new BfcpAttribute.FloorRequestStatus(floor, List.of()));
                    return new BfcpAttribute.FloorRequestInformation(id, all);
                }))
                .filter(a -> BfcpEncoderAccess.fits(a));
    }

    /** Grouped attributes of more than 255 octets cannot be built on the wire; leave those out. */
    static final class BfcpEncoderAccess {
        static boolean fits(BfcpAttribute attribute) {
            try {
                BfcpEncoder.attribute(attribute);
                return true;
            } catch (IllegalArgumentException tooLong) {
                return false;
            }
        }
    }
}
