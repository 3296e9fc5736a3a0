package org.mediasec.bfcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mediasec.bfcp.BfcpAttribute.FloorId;
import org.mediasec.bfcp.BfcpAttribute.FloorRequestId;

/** Known bytes, round trips and every refusal of RFC 8855 13 with its ERROR-CODE. */
class BfcpCodecTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void aFloorRequestHasTheBytesRfc8855Lays() throws Exception {
        BfcpMessage request = BfcpMessage.of(BfcpPrimitive.FLOOR_REQUEST, 0x01020304L, 0x0506, 0x0708, new FloorId(1),
                new BfcpAttribute.PriorityAttribute(Priority.HIGH), new BfcpAttribute.ParticipantProvidedInfo("hi"));
        // Ver 1 | primitive 1 | 3 words | conf | tid | user | FLOOR-ID (2<<1, len 4, 1) | PRIORITY (4<<1, len 4, 3<<13)
        // | PARTICIPANT-PROVIDED-INFO (8<<1, len 4, "hi")
        String expected = "20010003" + "01020304" + "05060708" + "04040001" + "08046000" + "10046869";
        assertThat(HEX.formatHex(BfcpEncoder.encode(request))).isEqualTo(expected);
        assertThat(BfcpDecoder.decode(HEX.parseHex(expected))).isEqualTo(request);
    }

    @Test
    void groupedAttributesCountTheirContentsPadding() throws Exception {
        var information = new BfcpAttribute.FloorRequestInformation(7, List.of(
                new BfcpAttribute.OverallRequestStatus(7, List.of(new BfcpAttribute.RequestStatusAttribute(RequestStatus.ACCEPTED, 2),
                        new BfcpAttribute.StatusInfo("queued"))),
                new BfcpAttribute.FloorRequestStatus(1, List.of(new BfcpAttribute.RequestStatusAttribute(RequestStatus.ACCEPTED, 2)))));
        BfcpMessage status = BfcpMessage.of(BfcpPrimitive.FLOOR_REQUEST_STATUS, 9, 3, 4, information);
        byte[] bytes = BfcpEncoder.encode(status);
        // FRI: 4 header + ORS (4 + REQUEST-STATUS 4 + STATUS-INFO 8 (6 + 2 padding)) + FRS (4 + 4) = 28
        assertThat(bytes[12] & 0xff).isEqualTo(BfcpAttribute.FLOOR_REQUEST_INFORMATION << 1);
        assertThat(bytes[13] & 0xff).isEqualTo(28);
        assertThat(bytes.length).isEqualTo(12 + 28);
        assertThat(BfcpDecoder.decode(bytes)).isEqualTo(status);
    }

    @Test
    void everyPrimitiveRoundTrips() throws Exception {
        var fri = new BfcpAttribute.FloorRequestInformation(1, List.of(new BfcpAttribute.FloorRequestStatus(2,
                List.of(new BfcpAttribute.RequestStatusAttribute(RequestStatus.GRANTED, 0)))));
        List<BfcpMessage> messages = List.of(
                BfcpMessage.of(BfcpPrimitive.FLOOR_RELEASE, 1, 1, 1, new FloorRequestId(1)),
                BfcpMessage.of(BfcpPrimitive.FLOOR_REQUEST_QUERY, 1, 1, 1, new FloorRequestId(1)),
                BfcpMessage.of(BfcpPrimitive.FLOOR_REQUEST_STATUS, 1, 0, 1, fri),
                BfcpMessage.of(BfcpPrimitive.USER_QUERY, 1, 1, 1, new BfcpAttribute.BeneficiaryId(2)),
                BfcpMessage.of(BfcpPrimitive.USER_STATUS, 1, 1, 1, new BfcpAttribute.BeneficiaryInformation(2,
                        List.of(new BfcpAttribute.UserDisplayName("Zoë"), new BfcpAttribute.UserUri("sip:zoe@example.org"))), fri),
                BfcpMessage.of(BfcpPrimitive.FLOOR_QUERY, 1, 1, 1, new FloorId(2), new FloorId(3)),
                BfcpMessage.of(BfcpPrimitive.FLOOR_STATUS, 1, 0, 1, new FloorId(2), fri),
                BfcpMessage.of(BfcpPrimitive.CHAIR_ACTION, 1, 1, 1, fri),
                BfcpMessage.of(BfcpPrimitive.CHAIR_ACTION_ACK, 1, 1, 1),
                BfcpMessage.of(BfcpPrimitive.HELLO, 1, 1, 1),
                BfcpMessage.of(BfcpPrimitive.HELLO_ACK, 1, 1, 1, new BfcpAttribute.SupportedPrimitives(List.of(1, 2, 11)),
                        new BfcpAttribute.SupportedAttributes(BfcpAttribute.knownTypes())),
                BfcpMessage.of(BfcpPrimitive.ERROR, 1, 1, 1, BfcpAttribute.ErrorCode.unknownMandatoryAttributes(List.of(40, 41)),
                        new BfcpAttribute.ErrorInfo("what is 40?")),
                BfcpMessage.of(BfcpPrimitive.GOODBYE, 1, 1, 1),
                BfcpMessage.of(BfcpPrimitive.GOODBYE_ACK, 1, 1, 1),
                BfcpMessage.of(BfcpPrimitive.HELLO, 1, 1, 1, new BfcpAttribute.Unknown(100, new Octets(new byte[] {1, 2, 3}))));
        for (BfcpMessage message : messages) {
            assertThat(BfcpDecoder.decode(BfcpEncoder.encode(message))).as(message.toString()).isEqualTo(message);
        }
        assertThat(messages.get(11).first(BfcpAttribute.ErrorCode.class).orElseThrow().unknownAttributeTypes()).containsExactly(40, 41);
    }

    @Test
    void shortMessagesAreIncorrectLength() {
        refused("2001", BfcpErrorCode.INCORRECT_MESSAGE_LENGTH, 0);
    }

    @Test
    void aPayloadLengthThatDisagreesIsIncorrectLength() {
        BfcpException refused = refused("20010001" + "00000001" + "00020003", BfcpErrorCode.INCORRECT_MESSAGE_LENGTH, 2);
        // the header was read: the Error answers the same conference, transaction and user
        BfcpMessage error = refused.errorReply().orElseThrow();
        assertThat(error.primitive()).isEqualTo(BfcpPrimitive.ERROR);
        assertThat(error.conferenceId()).isEqualTo(1);
        assertThat(error.transactionId()).isEqualTo(2);
        assertThat(error.userId()).isEqualTo(3);
        assertThat(error.first(BfcpAttribute.ErrorCode.class).orElseThrow().code()).isEqualTo(13);
    }

    @Test
    void versionTwoIsForUdp() {
        refused("400b0000" + "00000001" + "00020003", BfcpErrorCode.UNSUPPORTED_VERSION, 0);
    }

    @Test
    void fragmentationAndResponderBitsAreForUdp() {
        refused("280b0000" + "00000001" + "00020003", BfcpErrorCode.UNABLE_TO_PARSE_MESSAGE, 0);
        refused("300b0000" + "00000001" + "00020003", BfcpErrorCode.UNABLE_TO_PARSE_MESSAGE, 0);
    }

    @Test
    void unknownPrimitivesAndUdpAcknowledgementsAreUnknownPrimitives() {
        refused("20630000" + "00000001" + "00020003", BfcpErrorCode.UNKNOWN_PRIMITIVE, 1);
        refused("200e0000" + "00000001" + "00020003", BfcpErrorCode.UNKNOWN_PRIMITIVE, 1);
    }

    @Test
    void unknownMandatoryAttributesAreListedInError4() {
        // Hello with attribute 100 (M set) and 101 (M set)
        BfcpException refused = refused("200b0002" + "00000001" + "00020003" + "c9040000" + "cb040000", BfcpErrorCode.UNKNOWN_MANDATORY_ATTRIBUTE, 12);
        assertThat(refused.unknownMandatoryAttributes()).containsExactly(100, 101);
        assertThat(refused.errorReply().orElseThrow().first(BfcpAttribute.ErrorCode.class).orElseThrow().unknownAttributeTypes()).containsExactly(100, 101);
    }

    @Test
    void missingRequiredAttributesAreUnparseable() {
        refused("20010000" + "00000001" + "00020003", BfcpErrorCode.UNABLE_TO_PARSE_MESSAGE, 12); // FloorRequest without FLOOR-ID
        refused("20020000" + "00000001" + "00020003", BfcpErrorCode.UNABLE_TO_PARSE_MESSAGE, 12); // FloorRelease without FLOOR-REQUEST-ID
        refused("200d0000" + "00000001" + "00020003", BfcpErrorCode.UNABLE_TO_PARSE_MESSAGE, 12); // Error without ERROR-CODE
        refused("200c0000" + "00000001" + "00020003", BfcpErrorCode.UNABLE_TO_PARSE_MESSAGE, 12); // HelloAck without its lists
        // FloorRequestStatus whose FLOOR-REQUEST-INFORMATION has no FLOOR-REQUEST-STATUS
        refused("20040001" + "00000001" + "00020003" + "1e040001", BfcpErrorCode.UNABLE_TO_PARSE_MESSAGE, 12);
    }

    @Test
    void malformedAttributesAreRefusedWhereTheyAre() {
        refused("20010001" + "00000001" + "00020003" + "04050001", BfcpErrorCode.INCORRECT_MESSAGE_LENGTH, 13); // FLOOR-ID overruns
        refused("20010001" + "00000001" + "00020003" + "04010001", BfcpErrorCode.UNABLE_TO_PARSE_MESSAGE, 13); // Length 1
        refused("20010002" + "00000001" + "00020003" + "04040001" + "0804e000", BfcpErrorCode.UNABLE_TO_PARSE_MESSAGE, 18); // PRIORITY 7
        refused("20040002" + "00000001" + "00020003" + "1e080001" + "0a040900", BfcpErrorCode.UNABLE_TO_PARSE_MESSAGE, 18); // status 9
        refused("20010001" + "00000001" + "00020003" + "04030001", BfcpErrorCode.UNABLE_TO_PARSE_MESSAGE, 13); // FLOOR-ID of 3
    }

    @Test
    void textThatIsNotUtf8IsUnparseable() {
        // USER-URI (13) holding 0xff: decoding it leniently would re-encode it longer (found by the fuzzer)
        refused("200b0001" + "00000001" + "00020003" + "1a03ff00", BfcpErrorCode.UNABLE_TO_PARSE_MESSAGE, 14);
    }

    @Test
    void valuesThatCannotBeEncodedAreRefusedWhenBuilt() {
        assertThatThrownBy(() -> new FloorId(70000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BfcpEncoder.encode(BfcpMessage.of(BfcpPrimitive.FLOOR_REQUEST, 1, 1, 1, new FloorId(1),
                new BfcpAttribute.ParticipantProvidedInfo("x".repeat(254))))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BfcpAttribute.Unknown(2, Octets.EMPTY)).isInstanceOf(IllegalArgumentException.class);
    }

    private static BfcpException refused(String hex, BfcpErrorCode code, int offset) {
        try {
            BfcpDecoder.decode(HEX.parseHex(hex));
        } catch (BfcpException refused) {
            assertThat(refused.error()).as(refused.getMessage()).isEqualTo(code);
            assertThat(refused.offset()).as(refused.getMessage()).isEqualTo(offset);
            return refused;
        }
        throw new AssertionError("accepted: " + hex);
    }
}
