package org.mediasec.bfcp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mediasec.bfcp.BfcpAttribute;
import org.mediasec.bfcp.BfcpAttribute.FloorId;
import org.mediasec.bfcp.BfcpAttribute.FloorRequestId;
import org.mediasec.bfcp.BfcpDecoder;
import org.mediasec.bfcp.BfcpEncoder;
import org.mediasec.bfcp.BfcpErrorCode;
import org.mediasec.bfcp.BfcpMessage;
import org.mediasec.bfcp.BfcpPrimitive;
import org.mediasec.bfcp.RequestStatus;

/** The grant policy: one holder per floor, FIFO queue, optional chair; every refusal with its RFC 8855 error code. */
class FloorControlServerTest {

    private static final long CONFERENCE = 4711;
    private static final int FLOOR = 1;
    private static final int ALICE = 1;
    private static final int BOB = 2;
    private static final int CAROL = 3;

    private FloorControlServer server;

    @BeforeEach
    void conference() {
        server = new FloorControlServer(FloorPolicy.chairless(CONFERENCE, FLOOR));
        server.addUser(new FloorControlServer.User(ALICE, "Alice", "sip:alice@example.org"));
        server.addUser(new FloorControlServer.User(BOB, "Bob", "sip:bob@example.org"));
        server.addUser(new FloorControlServer.User(CAROL, "", ""));
    }

    private List<Outbound> send(int user, BfcpPrimitive primitive, int transaction, BfcpAttribute... attributes) throws Exception {
        List<Outbound> out = server.handle(user, BfcpMessage.of(primitive, CONFERENCE, transaction, user, attributes));
        for (Outbound outbound : out) {
            // everything the server says is valid on the wire
            assertThat(BfcpDecoder.decode(BfcpEncoder.encode(outbound.message()))).isEqualTo(outbound.message());
        }
        return out;
    }

    private static RequestStatus overall(BfcpMessage status) {
        return status.first(BfcpAttribute.FloorRequestInformation.class).orElseThrow()
                .first(BfcpAttribute.OverallRequestStatus.class).orElseThrow()
                .first(BfcpAttribute.RequestStatusAttribute.class).orElseThrow().status();
    }

    private static int queuePosition(BfcpMessage status) {
        return status.first(BfcpAttribute.FloorRequestInformation.class).orElseThrow()
                .first(BfcpAttribute.FloorRequestStatus.class).orElseThrow()
                .first(BfcpAttribute.RequestStatusAttribute.class).orElseThrow().queuePosition();
    }

    private static int requestId(BfcpMessage status) {
        return status.first(BfcpAttribute.FloorRequestInformation.class).orElseThrow().headerValue();
    }

    private static BfcpErrorCode error(List<Outbound> out) {
        assertThat(out).hasSize(1);
        BfcpMessage error = out.get(0).message();
        assertThat(error.primitive()).isEqualTo(BfcpPrimitive.ERROR);
        return error.first(BfcpAttribute.ErrorCode.class).orElseThrow().known().orElseThrow();
    }

    @Test
    void helloIsAnsweredWithWhatTheServerSupports() throws Exception {
        BfcpMessage ack = send(ALICE, BfcpPrimitive.HELLO, 9).get(0).message();
        assertThat(ack.primitive()).isEqualTo(BfcpPrimitive.HELLO_ACK);
        assertThat(ack.transactionId()).isEqualTo(9);
        assertThat(ack.first(BfcpAttribute.SupportedPrimitives.class).orElseThrow().primitives()).contains(1, 2, 3, 5, 7, 9, 11, 17).doesNotContain(14, 15, 16);
        assertThat(ack.first(BfcpAttribute.SupportedAttributes.class).orElseThrow().types()).hasSize(18);
    }

    @Test
    void theFirstRequestIsGrantedTheNextQueuesAndGetsTheFloorOnRelease() throws Exception {
        send(CAROL, BfcpPrimitive.FLOOR_QUERY, 1, new FloorId(FLOOR)); // Carol watches the floor

        List<Outbound> alice = send(ALICE, BfcpPrimitive.FLOOR_REQUEST, 10, new FloorId(FLOOR));
        assertThat(alice.get(0).userId()).isEqualTo(ALICE);
        assertThat(alice.get(0).message().transactionId()).isEqualTo(10);
        assertThat(overall(alice.get(0).message())).isEqualTo(RequestStatus.GRANTED);
        assertThat(alice).anySatisfy(o -> {
            assertThat(o.userId()).isEqualTo(CAROL);
            assertThat(o.message().primitive()).isEqualTo(BfcpPrimitive.FLOOR_STATUS);
            assertThat(o.message().transactionId()).isZero(); // a notification over TCP (RFC 8855 8)
        });
        assertThat(server.holder(FLOOR)).contains(ALICE);

        List<Outbound> bob = send(BOB, BfcpPrimitive.FLOOR_REQUEST, 20, new FloorId(FLOOR));
        assertThat(overall(bob.get(0).message())).isEqualTo(RequestStatus.ACCEPTED);
        assertThat(queuePosition(bob.get(0).message())).isEqualTo(1);

        List<Outbound> released = send(ALICE, BfcpPrimitive.FLOOR_RELEASE, 11, new FloorRequestId(requestId(alice.get(0).message())));
        assertThat(overall(released.get(0).message())).isEqualTo(RequestStatus.RELEASED);
        assertThat(released).anySatisfy(o -> {
            assertThat(o.userId()).isEqualTo(BOB);
            assertThat(o.message().primitive()).isEqualTo(BfcpPrimitive.FLOOR_REQUEST_STATUS);
            assertThat(o.message().transactionId()).isZero();
            assertThat(overall(o.message())).isEqualTo(RequestStatus.GRANTED);
        });
        assertThat(released).anySatisfy(o -> assertThat(o.userId()).isEqualTo(CAROL));
        assertThat(server.holder(FLOOR)).contains(BOB);
    }

    @Test
    void releasingAQueuedRequestCancelsIt() throws Exception {
        send(ALICE, BfcpPrimitive.FLOOR_REQUEST, 1, new FloorId(FLOOR));
        int bobs = requestId(send(BOB, BfcpPrimitive.FLOOR_REQUEST, 2, new FloorId(FLOOR)).get(0).message());
        List<Outbound> cancelled = send(BOB, BfcpPrimitive.FLOOR_RELEASE, 3, new FloorRequestId(bobs));
        assertThat(overall(cancelled.get(0).message())).isEqualTo(RequestStatus.CANCELLED);
        assertThat(server.holder(FLOOR)).contains(ALICE);
        assertThat(error(send(BOB, BfcpPrimitive.FLOOR_REQUEST_QUERY, 4, new FloorRequestId(bobs)))).isEqualTo(BfcpErrorCode.FLOOR_REQUEST_ID_DOES_NOT_EXIST);
    }

    @Test
    void aLeavingHolderPassesTheFloorOn() throws Exception {
        send(ALICE, BfcpPrimitive.FLOOR_REQUEST, 1, new FloorId(FLOOR));
        send(BOB, BfcpPrimitive.FLOOR_REQUEST, 2, new FloorId(FLOOR));
        List<Outbound> left = server.removeUser(ALICE);
        assertThat(left).anySatisfy(o -> {
            assertThat(o.userId()).isEqualTo(BOB);
            assertThat(overall(o.message())).isEqualTo(RequestStatus.GRANTED);
        });
        assertThat(left).noneMatch(o -> o.userId() == ALICE);
        assertThat(server.holder(FLOOR)).contains(BOB);
        assertThat(error(send(ALICE, BfcpPrimitive.HELLO, 3))).isEqualTo(BfcpErrorCode.USER_DOES_NOT_EXIST);
    }

    @Test
    void goodbyeIsAcknowledgedAndEndsTheUsersRequests() throws Exception {
        send(ALICE, BfcpPrimitive.FLOOR_REQUEST, 1, new FloorId(FLOOR));
        List<Outbound> bye = send(ALICE, BfcpPrimitive.GOODBYE, 2);
        assertThat(bye.get(0).message().primitive()).isEqualTo(BfcpPrimitive.GOODBYE_ACK);
        assertThat(server.holder(FLOOR)).isEmpty();
    }

    @Test
    void aChairAcceptsOrDeniesAndMayRevoke() throws Exception {
        server = new FloorControlServer(FloorPolicy.chairless(CONFERENCE, FLOOR).withChair(FLOOR, CAROL));
        server.addUser(new FloorControlServer.User(ALICE, "Alice", ""));
        server.addUser(new FloorControlServer.User(BOB, "Bob", ""));
        server.addUser(new FloorControlServer.User(CAROL, "Carol", ""));

        List<Outbound> alice = send(ALICE, BfcpPrimitive.FLOOR_REQUEST, 1, new FloorId(FLOOR));
        assertThat(overall(alice.get(0).message())).isEqualTo(RequestStatus.PENDING);
        assertThat(alice).anySatisfy(o -> assertThat(o.userId()).isEqualTo(CAROL)); // the chair hears of it
        int alices = requestId(alice.get(0).message());

        assertThat(error(send(BOB, BfcpPrimitive.CHAIR_ACTION, 2, decision(alices, RequestStatus.ACCEPTED)))).isEqualTo(BfcpErrorCode.UNAUTHORIZED_OPERATION);

        List<Outbound> accepted = send(CAROL, BfcpPrimitive.CHAIR_ACTION, 3, decision(alices, RequestStatus.ACCEPTED));
        assertThat(accepted.get(0).message().primitive()).isEqualTo(BfcpPrimitive.CHAIR_ACTION_ACK);
        assertThat(accepted).anySatisfy(o -> {
            assertThat(o.userId()).isEqualTo(ALICE);
            assertThat(overall(o.message())).isEqualTo(RequestStatus.GRANTED);
        });

        int bobs = requestId(send(BOB, BfcpPrimitive.FLOOR_REQUEST, 4, new FloorId(FLOOR)).get(0).message());
        List<Outbound> denied = send(CAROL, BfcpPrimitive.CHAIR_ACTION, 5, decision(bobs, RequestStatus.DENIED));
        assertThat(denied).anySatisfy(o -> {
            assertThat(o.userId()).isEqualTo(BOB);
            assertThat(overall(o.message())).isEqualTo(RequestStatus.DENIED);
        });

        List<Outbound> revoked = send(CAROL, BfcpPrimitive.CHAIR_ACTION, 6, decision(alices, RequestStatus.REVOKED));
        assertThat(revoked).anySatisfy(o -> {
            assertThat(o.userId()).isEqualTo(ALICE);
            assertThat(overall(o.message())).isEqualTo(RequestStatus.REVOKED);
        });
        assertThat(server.holder(FLOOR)).isEmpty();
    }

    private static BfcpAttribute.FloorRequestInformation decision(int requestId, RequestStatus status) {
        return new BfcpAttribute.FloorRequestInformation(requestId, List.of(new BfcpAttribute.FloorRequestStatus(FLOOR,
                List.of(new BfcpAttribute.RequestStatusAttribute(status, 0)))));
    }

    @Test
    void aFullQueueDeniesTheRequest() throws Exception {
        server = new FloorControlServer(new FloorPolicy(CONFERENCE, java.util.Map.of(FLOOR, java.util.Optional.empty()), 1, 1));
        server.addUser(new FloorControlServer.User(ALICE, "", ""));
        server.addUser(new FloorControlServer.User(BOB, "", ""));
        server.addUser(new FloorControlServer.User(CAROL, "", ""));
        send(ALICE, BfcpPrimitive.FLOOR_REQUEST, 1, new FloorId(FLOOR));
        send(BOB, BfcpPrimitive.FLOOR_REQUEST, 1, new FloorId(FLOOR));
        assertThat(overall(send(CAROL, BfcpPrimitive.FLOOR_REQUEST, 1, new FloorId(FLOOR)).get(0).message())).isEqualTo(RequestStatus.DENIED);
    }

    @Test
    void userQueryListsTheUsersRequests() throws Exception {
        send(ALICE, BfcpPrimitive.FLOOR_REQUEST, 1, new FloorId(FLOOR));
        BfcpMessage status = send(BOB, BfcpPrimitive.USER_QUERY, 2, new BfcpAttribute.BeneficiaryId(ALICE)).get(0).message();
        assertThat(status.primitive()).isEqualTo(BfcpPrimitive.USER_STATUS);
        assertThat(status.first(BfcpAttribute.BeneficiaryInformation.class).orElseThrow().first(BfcpAttribute.UserDisplayName.class))
                .contains(new BfcpAttribute.UserDisplayName("Alice"));
        assertThat(status.all(BfcpAttribute.FloorRequestInformation.class)).hasSize(1);
    }

    @Test
    void whatDoesNotFitInAGroupedAttributeIsLeftOut() throws Exception {
        // a 253-octet PARTICIPANT-PROVIDED-INFO cannot go into a FLOOR-REQUEST-INFORMATION (Length is 8 bits)
        server = new FloorControlServer(FloorPolicy.chairless(CONFERENCE, FLOOR).withChair(FLOOR, CAROL));
        server.addUser(new FloorControlServer.User(ALICE, "A".repeat(200), "sip:" + "a".repeat(200) + "@example.org"));
        server.addUser(new FloorControlServer.User(CAROL, "Carol", ""));
        List<Outbound> out = send(ALICE, BfcpPrimitive.FLOOR_REQUEST, 1, new FloorId(FLOOR),
                new BfcpAttribute.ParticipantProvidedInfo("x".repeat(253)), new BfcpAttribute.PriorityAttribute(org.mediasec.bfcp.Priority.HIGH));
        assertThat(overall(out.get(0).message())).isEqualTo(RequestStatus.PENDING); // every message encoded (send checks it)
        assertThat(out).anySatisfy(o -> assertThat(o.userId()).isEqualTo(CAROL));
        BfcpMessage status = send(ALICE, BfcpPrimitive.USER_QUERY, 2, new BfcpAttribute.BeneficiaryId(ALICE)).get(0).message();
        assertThat(status.primitive()).isEqualTo(BfcpPrimitive.USER_STATUS);
        List<BfcpAttribute> floors = new java.util.ArrayList<>();
        for (int i = 0; i < 17; i++) {
            floors.add(new FloorId(i));
        }
        assertThat(error(send(CAROL, BfcpPrimitive.FLOOR_REQUEST, 3, floors.toArray(BfcpAttribute[]::new)))).isEqualTo(BfcpErrorCode.GENERIC_ERROR);
    }

    @Test
    void everyRefusalHasItsErrorCode() throws Exception {
        assertThat(error(server.handle(ALICE, BfcpMessage.of(BfcpPrimitive.HELLO, 99, 1, ALICE)))).isEqualTo(BfcpErrorCode.CONFERENCE_DOES_NOT_EXIST);
        assertThat(error(server.handle(ALICE, BfcpMessage.of(BfcpPrimitive.HELLO, CONFERENCE, 1, 42)))).isEqualTo(BfcpErrorCode.USER_DOES_NOT_EXIST);
        assertThat(error(server.handle(ALICE, BfcpMessage.of(BfcpPrimitive.HELLO, CONFERENCE, 1, BOB)))).isEqualTo(BfcpErrorCode.UNAUTHORIZED_OPERATION);
        assertThat(error(send(ALICE, BfcpPrimitive.FLOOR_REQUEST, 1, new FloorId(9)))).isEqualTo(BfcpErrorCode.INVALID_FLOOR_ID);
        assertThat(error(send(ALICE, BfcpPrimitive.FLOOR_QUERY, 1, new FloorId(9)))).isEqualTo(BfcpErrorCode.INVALID_FLOOR_ID);
        assertThat(error(send(ALICE, BfcpPrimitive.FLOOR_RELEASE, 1, new FloorRequestId(77)))).isEqualTo(BfcpErrorCode.FLOOR_REQUEST_ID_DOES_NOT_EXIST);
        int alices = requestId(send(ALICE, BfcpPrimitive.FLOOR_REQUEST, 2, new FloorId(FLOOR)).get(0).message());
        assertThat(error(send(ALICE, BfcpPrimitive.FLOOR_REQUEST, 3, new FloorId(FLOOR)))).isEqualTo(BfcpErrorCode.MAX_ONGOING_FLOOR_REQUESTS_REACHED);
        assertThat(error(send(BOB, BfcpPrimitive.FLOOR_RELEASE, 4, new FloorRequestId(alices)))).isEqualTo(BfcpErrorCode.UNAUTHORIZED_OPERATION);
        assertThat(error(send(BOB, BfcpPrimitive.FLOOR_REQUEST, 5, new FloorId(FLOOR), new BfcpAttribute.BeneficiaryId(CAROL))))
                .isEqualTo(BfcpErrorCode.UNAUTHORIZED_OPERATION); // third-party requests are for chairs
        assertThat(error(send(BOB, BfcpPrimitive.FLOOR_STATUS, 6))).isEqualTo(BfcpErrorCode.UNKNOWN_PRIMITIVE);
        assertThat(error(send(BOB, BfcpPrimitive.CHAIR_ACTION, 7, decision(alices, RequestStatus.REVOKED)))).isEqualTo(BfcpErrorCode.UNAUTHORIZED_OPERATION);
        assertThat(server.handle(BOB, BfcpMessage.of(BfcpPrimitive.ERROR, CONFERENCE, 8, BOB,
                BfcpAttribute.ErrorCode.of(BfcpErrorCode.GENERIC_ERROR)))).isEmpty(); // errors are not answered
    }
}
