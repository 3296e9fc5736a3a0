package org.mediasec.bfcp.server;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mediasec.bfcp.BfcpAttribute;
import org.mediasec.bfcp.BfcpAttribute.BeneficiaryId;
import org.mediasec.bfcp.BfcpAttribute.FloorId;
import org.mediasec.bfcp.BfcpAttribute.FloorRequestId;
import org.mediasec.bfcp.BfcpEncoder;
import org.mediasec.bfcp.BfcpErrorCode;
import org.mediasec.bfcp.BfcpMessage;
import org.mediasec.bfcp.BfcpPrimitive;
import org.mediasec.bfcp.Priority;
import org.mediasec.bfcp.RequestStatus;
import org.mediasec.traceability.Implements;

/**
 * The floor control server of one conference (RFC 8855 12 and 13), as a state machine without I/O: each message
 * from a user's connection gives the messages to send, the answer first (same transaction ID) and then the
 * notifications (transaction ID 0, RFC 8855 8 over reliable transports). Not thread-safe: one conference is driven
 * from one thread (the gateway's event loop for that conference).
 */
@Implements("GW-4")
public final class FloorControlServer {

    /** A participant known to the conference (the MRFC gives each its BFCP user ID, RFC 8856 a=userid). */
    public record User(int userId, String displayName, String uri) {}

    /** 4 (header) + 8 (OVERALL-REQUEST-STATUS) + 8 per FLOOR-REQUEST-STATUS stays within 255 with room to spare. */
    static final int MAX_FLOORS_PER_REQUEST = 16;

    private final FloorPolicy policy;
    private final Map<Integer, User> users = new LinkedHashMap<>();
    private final Map<Integer, FloorRequest> requests = new LinkedHashMap<>();
    private final Map<Integer, Floor> floors = new HashMap<>();
    private final Map<Integer, Set<Integer>> subscriptions = new HashMap<>(); // user → floors it asked FloorQuery for
    private int nextRequestId = 1;

    public FloorControlServer(FloorPolicy policy) {
        this.policy = policy;
        policy.floors().forEach((floorId, chair) -> floors.put(floorId, new Floor(floorId, chair)));
    }

    public FloorPolicy policy() {
        return policy;
    }

    public void addUser(User user) {
        users.put(user.userId(), user);
    }

    public Optional<User> user(int userId) {
        return Optional.ofNullable(users.get(userId));
    }

    /** The user left (BYE, connection lost): its requests end, the floors it held pass on. */
    public List<Outbound> removeUser(int userId) {
        List<Outbound> out = new ArrayList<>();
        endRequestsOf(userId, out);
        users.remove(userId);
        subscriptions.remove(userId);
        return out;
    }

    /** Who holds a floor now. */
    public Optional<Integer> holder(int floorId) {
        Floor floor = floors.get(floorId);
        return floor == null || floor.holder == null ? Optional.empty() : Optional.of(requests.get(floor.holder).beneficiary);
    }

    /** A message that arrived on the connection of {@code connectionUserId}. */
    public List<Outbound> handle(int connectionUserId, BfcpMessage message) {
        List<Outbound> out = new ArrayList<>();
        if (message.primitive() == BfcpPrimitive.ERROR || message.primitive() == BfcpPrimitive.GOODBYE_ACK) {
            return out; // RFC 8855 13.8: an Error is never answered
        }
        if (message.conferenceId() != policy.conferenceId()) {
            return error(connectionUserId, message, BfcpErrorCode.CONFERENCE_DOES_NOT_EXIST, "conference " + message.conferenceId() + " is not here");
        }
        if (!users.containsKey(message.userId())) {
            return error(connectionUserId, message, BfcpErrorCode.USER_DOES_NOT_EXIST, "user " + message.userId() + " is not in the conference");
        }
        if (message.userId() != connectionUserId) {
            // RFC 8855 9: the User ID must be the one this connection was authenticated for
            return error(connectionUserId, message, BfcpErrorCode.UNAUTHORIZED_OPERATION, "this connection belongs to user " + connectionUserId);
        }
        if (message.primitive().sentByServer()) {
            return error(connectionUserId, message, BfcpErrorCode.UNKNOWN_PRIMITIVE, message.primitive().rfcName() + " is sent by floor control servers");
        }
        switch (message.primitive()) {
            case HELLO -> out.add(reply(message, BfcpPrimitive.HELLO_ACK, supportedPrimitives(), new BfcpAttribute.SupportedAttributes(BfcpAttribute.knownTypes())));
            case GOODBYE -> {
                out.add(reply(message, BfcpPrimitive.GOODBYE_ACK));
                endRequestsOf(message.userId(), out);
            }
            case FLOOR_REQUEST -> floorRequest(message, out);
            case FLOOR_RELEASE -> floorRelease(message, out);
            case FLOOR_REQUEST_QUERY -> {
                int id = message.first(FloorRequestId.class).orElseThrow().id();
                FloorRequest request = requests.get(id);
                if (request == null) {
                    return error(connectionUserId, message, BfcpErrorCode.FLOOR_REQUEST_ID_DOES_NOT_EXIST, "no floor request " + id);
                }
                out.add(reply(message, BfcpPrimitive.FLOOR_REQUEST_STATUS, information(request)));
            }
            case FLOOR_QUERY -> floorQuery(message, out);
            case USER_QUERY -> userQuery(message, out);
            case CHAIR_ACTION -> chairAction(message, out);
            default -> out.addAll(error(connectionUserId, message, BfcpErrorCode.UNKNOWN_PRIMITIVE, message.primitive().rfcName() + " is not handled here"));
        }
        return out;
    }

    private void floorRequest(BfcpMessage message, List<Outbound> out) {
        List<Integer> floorIds = message.all(FloorId.class).stream().map(FloorId::id).distinct().toList();
        if (floorIds.size() > MAX_FLOORS_PER_REQUEST) {
            // its FLOOR-REQUEST-INFORMATION (one FLOOR-REQUEST-STATUS per floor) must fit in 255 octets
            out.addAll(error(message.userId(), message, BfcpErrorCode.GENERIC_ERROR, "at most " + MAX_FLOORS_PER_REQUEST + " floors in one request"));
            return;
        }
        for (int floorId : floorIds) {
            if (!floors.containsKey(floorId)) {
                out.addAll(error(message.userId(), message, BfcpErrorCode.INVALID_FLOOR_ID, "no floor " + floorId));
                return;
            }
        }
        int beneficiary = message.first(BeneficiaryId.class).map(BeneficiaryId::id).orElse(message.userId());
        if (beneficiary != message.userId()) {
            // RFC 8855 9: third-party floor requests only from a chair, here the chair of every floor asked for
            boolean chair = floorIds.stream().allMatch(id -> floors.get(id).chair.equals(Optional.of(message.userId())));
            if (!chair) {
                out.addAll(error(message.userId(), message, BfcpErrorCode.UNAUTHORIZED_OPERATION, "only a floor's chair requests it for another user"));
                return;
            }
            if (!users.containsKey(beneficiary)) {
                out.addAll(error(message.userId(), message, BfcpErrorCode.USER_DOES_NOT_EXIST, "beneficiary " + beneficiary + " is not in the conference"));
                return;
            }
        }
        for (int floorId : floorIds) {
            long ongoing = requests.values().stream().filter(r -> r.beneficiary == beneficiary && r.floorIds.contains(floorId) && !r.ended()).count();
            if (ongoing >= policy.maxOngoingPerUser()) {
                out.addAll(error(message.userId(), message, BfcpErrorCode.MAX_ONGOING_FLOOR_REQUESTS_REACHED,
                        "user " + beneficiary + " already has " + ongoing + " request(s) for floor " + floorId));
                return;
            }
        }
        Optional<Integer> freeId = allocateRequestId();
        if (freeId.isEmpty()) {
            out.addAll(error(message.userId(), message, BfcpErrorCode.GENERIC_ERROR, "no floor request ID left"));
            return;
        }
        FloorRequest request = new FloorRequest(freeId.get(), message.userId(), beneficiary, floorIds,
                message.first(BfcpAttribute.PriorityAttribute.class).map(BfcpAttribute.PriorityAttribute::priority),
                message.first(BfcpAttribute.ParticipantProvidedInfo.class).map(BfcpAttribute.ParticipantProvidedInfo::text));
        requests.put(request.id, request);
        boolean full = floorIds.stream().anyMatch(id -> floors.get(id).queue.size() >= policy.maxQueue() && floors.get(id).holder != null);
        if (full) {
            request.end(RequestStatus.DENIED, "the floor's queue is full");
        } else if (floorIds.stream().anyMatch(id -> floors.get(id).chair.isPresent())) {
            request.pendingChair = true; // RFC 8855 9: the chair decides
            floorIds.stream().map(floors::get).filter(f -> f.chair.isPresent()).forEach(f -> f.pending.add(request.id));
        } else {
            accept(request);
        }
        out.add(reply(message, BfcpPrimitive.FLOOR_REQUEST_STATUS, information(request)));
        if (request.pendingChair) {
            floorIds.stream().map(floors::get).flatMap(f -> f.chair.stream()).distinct()
                    .forEach(chair -> out.add(notification(chair, BfcpPrimitive.FLOOR_REQUEST_STATUS, information(request))));
        }
        notifyFloors(request.floorIds, out);
        forgetIfEnded(request);
    }

    private void floorRelease(BfcpMessage message, List<Outbound> out) {
        int id = message.first(FloorRequestId.class).orElseThrow().id();
        FloorRequest request = requests.get(id);
        if (request == null) {
            out.addAll(error(message.userId(), message, BfcpErrorCode.FLOOR_REQUEST_ID_DOES_NOT_EXIST, "no floor request " + id));
            return;
        }
        if (request.requestedBy != message.userId() && request.beneficiary != message.userId()) {
            out.addAll(error(message.userId(), message, BfcpErrorCode.UNAUTHORIZED_OPERATION, "floor request " + id + " is another user's"));
            return;
        }
        Set<Integer> promoted = new LinkedHashSet<>();
        end(request, request.granted() ? RequestStatus.RELEASED : RequestStatus.CANCELLED, "released by user " + message.userId(), promoted);
        out.add(reply(message, BfcpPrimitive.FLOOR_REQUEST_STATUS, information(request)));
        announce(request, message.userId(), promoted, out);
    }

    private void floorQuery(BfcpMessage message, List<Outbound> out) {
        List<Integer> floorIds = message.all(FloorId.class).stream().map(FloorId::id).distinct().toList();
        for (int floorId : floorIds) {
            if (!floors.containsKey(floorId)) {
                out.addAll(error(message.userId(), message, BfcpErrorCode.INVALID_FLOOR_ID, "no floor " + floorId));
                return;
            }
        }
        // RFC 8855 13.5: a FloorQuery replaces the user's subscription; without FLOOR-ID it ends it
        subscriptions.put(message.userId(), new LinkedHashSet<>(floorIds));
        if (floorIds.isEmpty()) {
            out.add(reply(message, BfcpPrimitive.FLOOR_STATUS));
            return;
        }
        out.add(reply(message, BfcpPrimitive.FLOOR_STATUS, floorStatus(floorIds.get(0)).toArray(BfcpAttribute[]::new)));
        for (int floorId : floorIds.subList(1, floorIds.size())) {
            out.add(notification(message.userId(), BfcpPrimitive.FLOOR_STATUS, floorStatus(floorId).toArray(BfcpAttribute[]::new)));
        }
    }

    private void userQuery(BfcpMessage message, List<Outbound> out) {
        Optional<Integer> asked = message.first(BeneficiaryId.class).map(BeneficiaryId::id);
        int about = asked.orElse(message.userId());
        User user = users.get(about);
        if (user == null) {
            out.addAll(error(message.userId(), message, BfcpErrorCode.USER_DOES_NOT_EXIST, "user " + about + " is not in the conference"));
            return;
        }
        List<BfcpAttribute> attributes = new ArrayList<>();
        asked.ifPresent(id -> attributes.add(beneficiaryInformation(user)));
        requests.values().stream().filter(r -> r.beneficiary == about && !r.ended()).forEach(r -> attributes.add(information(r)));
        out.add(reply(message, BfcpPrimitive.USER_STATUS, attributes.toArray(BfcpAttribute[]::new)));
    }

    private void chairAction(BfcpMessage message, List<Outbound> out) {
        BfcpAttribute.FloorRequestInformation asked = message.first(BfcpAttribute.FloorRequestInformation.class).orElseThrow();
        FloorRequest request = requests.get(asked.headerValue());
        if (request == null) {
            out.addAll(error(message.userId(), message, BfcpErrorCode.FLOOR_REQUEST_ID_DOES_NOT_EXIST, "no floor request " + asked.headerValue()));
            return;
        }
        for (BfcpAttribute.FloorRequestStatus status : asked.all(BfcpAttribute.FloorRequestStatus.class)) {
            Floor floor = floors.get(status.headerValue());
            if (floor == null || !request.floorIds.contains(floor.id)) {
                out.addAll(error(message.userId(), message, BfcpErrorCode.INVALID_FLOOR_ID, "floor " + status.headerValue() + " is not in request " + request.id));
                return;
            }
            if (!floor.chair.equals(Optional.of(message.userId()))) {
                out.addAll(error(message.userId(), message, BfcpErrorCode.UNAUTHORIZED_OPERATION, "user " + message.userId() + " does not chair floor " + floor.id));
                return;
            }
        }
        Optional<RequestStatus> decision = asked.all(BfcpAttribute.FloorRequestStatus.class).stream()
                .flatMap(s -> s.first(BfcpAttribute.RequestStatusAttribute.class).stream()).map(BfcpAttribute.RequestStatusAttribute::status).findFirst();
        Optional<String> why = asked.all(BfcpAttribute.FloorRequestStatus.class).stream()
                .flatMap(s -> s.first(BfcpAttribute.StatusInfo.class).stream()).map(BfcpAttribute.StatusInfo::text).findFirst();
        Set<Integer> promoted = new LinkedHashSet<>();
        switch (decision.orElse(null)) {
            case ACCEPTED -> {
                if (!request.pendingChair) {
                    out.addAll(error(message.userId(), message, BfcpErrorCode.GENERIC_ERROR, "request " + request.id + " is not pending"));
                    return;
                }
                request.pendingChair = false;
                floors.values().forEach(f -> f.pending.remove((Integer) request.id));
                promoted.addAll(accept(request));
            }
            case DENIED -> {
                if (!request.pendingChair && !request.queued()) {
                    out.addAll(error(message.userId(), message, BfcpErrorCode.GENERIC_ERROR, "request " + request.id + " cannot be denied now"));
                    return;
                }
                end(request, RequestStatus.DENIED, why.orElse("denied by the chair"), promoted);
            }
            case REVOKED -> {
                if (!request.granted()) {
                    out.addAll(error(message.userId(), message, BfcpErrorCode.GENERIC_ERROR, "request " + request.id + " holds no floor"));
                    return;
                }
                end(request, RequestStatus.REVOKED, why.orElse("revoked by the chair"), promoted);
            }
            case null, default -> {
                out.addAll(error(message.userId(), message, BfcpErrorCode.UNABLE_TO_PARSE_MESSAGE,
                        "a ChairAction sets Accepted, Denied or Revoked in a FLOOR-REQUEST-STATUS"));
                return;
            }
        }
        out.add(reply(message, BfcpPrimitive.CHAIR_ACTION_ACK));
        announce(request, message.userId(), promoted, out);
    }

    /** Tells the request's users (but the one just answered) and the promoted requests' users; FloorStatus to subscribers. */
    private void announce(FloorRequest request, int answered, Set<Integer> promoted, List<Outbound> out) {
        for (int user : new LinkedHashSet<>(List.of(request.requestedBy, request.beneficiary))) {
            if (user != answered && users.containsKey(user)) {
                out.add(notification(user, BfcpPrimitive.FLOOR_REQUEST_STATUS, information(request)));
            }
        }
        Set<Integer> floorsTouched = new LinkedHashSet<>(request.floorIds);
        for (int id : promoted) {
            FloorRequest next = requests.get(id);
            for (int user : new LinkedHashSet<>(List.of(next.requestedBy, next.beneficiary))) {
                out.add(notification(user, BfcpPrimitive.FLOOR_REQUEST_STATUS, information(next)));
            }
            floorsTouched.addAll(next.floorIds);
        }
        notifyFloors(floorsTouched, out);
        forgetIfEnded(request);
    }

    /** Puts an accepted request in its floors' queues; returns the requests granted by it (this one, if a floor was free). */
    private Set<Integer> accept(FloorRequest request) {
        request.floorIds.forEach(id -> floors.get(id).queue.addLast(request.id));
        Set<Integer> promoted = new LinkedHashSet<>();
        request.floorIds.forEach(id -> promote(floors.get(id), promoted));
        promoted.remove(request.id);
        return promoted;
    }

    /** Ends a request; the floors it held or queued for pass on, and the requests that got them are collected. */
    private void end(FloorRequest request, RequestStatus status, String why, Set<Integer> promoted) {
        request.end(status, why);
        for (int floorId : request.floorIds) {
            Floor floor = floors.get(floorId);
            floor.queue.remove((Integer) request.id);
            floor.pending.remove((Integer) request.id);
            if (floor.holder != null && floor.holder == request.id) {
                floor.holder = null;
            }
            promote(floor, promoted);
        }
    }

    /** One holder per floor: the head of the FIFO queue takes a free floor. */
    private void promote(Floor floor, Set<Integer> promoted) {
        if (floor.holder == null && !floor.queue.isEmpty()) {
            floor.holder = floor.queue.pollFirst();
            FloorRequest next = requests.get(floor.holder);
            if (next.granted()) {
                promoted.add(next.id);
            }
        }
    }

    private void endRequestsOf(int userId, List<Outbound> out) {
        for (FloorRequest request : List.copyOf(requests.values())) {
            if ((request.beneficiary == userId || request.requestedBy == userId) && !request.ended()) {
                Set<Integer> promoted = new LinkedHashSet<>();
                end(request, request.granted() ? RequestStatus.RELEASED : RequestStatus.CANCELLED, "user " + userId + " left", promoted);
                announce(request, userId, promoted, out);
            }
        }
        subscriptions.remove(userId);
    }

    private void notifyFloors(Set<Integer> floorIds, List<Outbound> out) {
        notifyFloors(List.copyOf(floorIds), out);
    }

    private void notifyFloors(List<Integer> floorIds, List<Outbound> out) {
        subscriptions.forEach((user, subscribed) -> {
            for (int floorId : floorIds) {
                if (subscribed.contains(floorId)) {
                    out.add(notification(user, BfcpPrimitive.FLOOR_STATUS, floorStatus(floorId).toArray(BfcpAttribute[]::new)));
                }
            }
        });
    }

    private void forgetIfEnded(FloorRequest request) {
        if (request.ended()) {
            requests.remove(request.id);
        }
    }

    private List<BfcpAttribute> floorStatus(int floorId) {
        Floor floor = floors.get(floorId);
        List<BfcpAttribute> attributes = new ArrayList<>();
        attributes.add(new FloorId(floorId));
        if (floor.holder != null) {
            attributes.add(information(requests.get(floor.holder)));
        }
        floor.queue.forEach(id -> attributes.add(information(requests.get(id))));
        floor.pending.forEach(id -> attributes.add(information(requests.get(id))));
        return attributes;
    }

    /**
     * FLOOR-REQUEST-INFORMATION (RFC 8855 5.2.15) of a request as it stands. A grouped attribute has an 8-bit Length,
     * so what is optional (the reason, who it is for and by whom, priority, the participant's text) goes in only
     * while it fits, in that order.
     */
    private BfcpAttribute.FloorRequestInformation information(FloorRequest request) {
        RequestStatus overall = request.status();
        int overallPosition = overall == RequestStatus.ACCEPTED
                ? request.floorIds.stream().mapToInt(id -> position(floors.get(id), request.id)).max().orElse(0) : 0;
        BfcpAttribute.RequestStatusAttribute overallStatus = new BfcpAttribute.RequestStatusAttribute(overall, Math.min(overallPosition, 0xff));
        List<BfcpAttribute> contained = new ArrayList<>();
        contained.add(new BfcpAttribute.OverallRequestStatus(request.id, List.of(overallStatus)));
        for (int floorId : request.floorIds) {
            Floor floor = floors.get(floorId);
            RequestStatus status = request.ended() ? overall
                    : floor.holder != null && floor.holder == request.id ? RequestStatus.GRANTED
                    : floor.pending.contains(request.id) ? RequestStatus.PENDING : RequestStatus.ACCEPTED;
            int position = status == RequestStatus.ACCEPTED ? Math.min(position(floor, request.id), 0xff) : 0;
            contained.add(new BfcpAttribute.FloorRequestStatus(floorId, List.of(new BfcpAttribute.RequestStatusAttribute(status, position))));
        }
        request.why.ifPresent(why -> {
            BfcpAttribute.OverallRequestStatus withReason = new BfcpAttribute.OverallRequestStatus(request.id,
                    List.of(overallStatus, new BfcpAttribute.StatusInfo(why)));
            if (fits(contained, withReason) ) {
                contained.set(0, withReason);
            }
        });
        List<BfcpAttribute> optional = new ArrayList<>();
        if (request.beneficiary != request.requestedBy) {
            Optional.ofNullable(users.get(request.beneficiary)).ifPresent(user -> optional.add(beneficiaryInformation(user)));
            Optional.ofNullable(users.get(request.requestedBy)).ifPresent(user -> optional.add(
                    new BfcpAttribute.RequestedByInformation(user.userId(), userDetails(user))));
        }
        request.priority.ifPresent(priority -> optional.add(new BfcpAttribute.PriorityAttribute(priority)));
        request.participantInfo.ifPresent(info -> optional.add(new BfcpAttribute.ParticipantProvidedInfo(info)));
        for (BfcpAttribute attribute : optional) {
            if (fits(contained, attribute)) {
                contained.add(attribute);
            }
        }
        return new BfcpAttribute.FloorRequestInformation(request.id, contained);
    }

    /** Whether a grouped attribute holding {@code contained} can also hold {@code more} (Length ≤ 255, RFC 8855 5.2). */
    private static boolean fits(List<BfcpAttribute> contained, BfcpAttribute more) {
        int length = 4 + BfcpEncoder.encodedLength(more);
        for (BfcpAttribute attribute : contained) {
            length += BfcpEncoder.encodedLength(attribute);
        }
        return length <= 0xff;
    }

    private static int position(Floor floor, int requestId) {
        int position = 1;
        for (int id : floor.queue) {
            if (id == requestId) {
                return position;
            }
            position++;
        }
        return 0;
    }

    private static BfcpAttribute.BeneficiaryInformation beneficiaryInformation(User user) {
        return new BfcpAttribute.BeneficiaryInformation(user.userId(), userDetails(user));
    }

    /** A user's display name and URI, as many of them as fit in a grouped attribute with room for more (Length ≤ 255). */
    private static List<BfcpAttribute> userDetails(User user) {
        List<BfcpAttribute> details = new ArrayList<>();
        for (BfcpAttribute detail : List.of(new BfcpAttribute.UserDisplayName(user.displayName()), new BfcpAttribute.UserUri(user.uri()))) {
            if (!((BfcpAttribute.Text) detail).text().isEmpty() && BfcpEncoder.encodedLength(detail) <= 120 && fits(details, detail)) {
                details.add(detail);
            }
        }
        return details;
    }

    private Optional<Integer> allocateRequestId() {
        for (int tries = 0; tries < 0xffff; tries++) {
            int id = nextRequestId;
            nextRequestId = nextRequestId == 0xffff ? 1 : nextRequestId + 1;
            if (!requests.containsKey(id)) {
                return Optional.of(id);
            }
        }
        return Optional.empty();
    }

    private static BfcpAttribute.SupportedPrimitives supportedPrimitives() {
        List<Integer> codes = new ArrayList<>();
        for (BfcpPrimitive primitive : BfcpPrimitive.values()) {
            if (!primitive.unreliableOnly()) {
                codes.add(primitive.code());
            }
        }
        return new BfcpAttribute.SupportedPrimitives(codes);
    }

    private static Outbound reply(BfcpMessage to, BfcpPrimitive primitive, BfcpAttribute... attributes) {
        return new Outbound(to.userId(), BfcpMessage.of(primitive, to.conferenceId(), to.transactionId(), to.userId(), attributes));
    }

    private Outbound notification(int userId, BfcpPrimitive primitive, BfcpAttribute... attributes) {
        return new Outbound(userId, BfcpMessage.of(primitive, policy.conferenceId(), 0, userId, attributes));
    }

    private static List<Outbound> error(int connectionUserId, BfcpMessage to, BfcpErrorCode code, String info) {
        return List.of(new Outbound(connectionUserId, to.error(code, info)));
    }

    private static final class Floor {
        final int id;
        final Optional<Integer> chair;
        Integer holder;
        final Deque<Integer> queue = new ArrayDeque<>();
        final Deque<Integer> pending = new ArrayDeque<>();

        Floor(int id, Optional<Integer> chair) {
            this.id = id;
            this.chair = chair;
        }
    }

    private final class FloorRequest {
        final int id;
        final int requestedBy;
        final int beneficiary;
        final List<Integer> floorIds;
        final Optional<Priority> priority;
        final Optional<String> participantInfo;
        boolean pendingChair;
        RequestStatus endedWith;
        Optional<String> why = Optional.empty();

        FloorRequest(int id, int requestedBy, int beneficiary, List<Integer> floorIds, Optional<Priority> priority, Optional<String> participantInfo) {
            this.id = id;
            this.requestedBy = requestedBy;
            this.beneficiary = beneficiary;
            this.floorIds = floorIds;
            this.priority = priority;
            this.participantInfo = participantInfo;
        }

        boolean ended() {
            return endedWith != null;
        }

        /** Holds every floor it asked for. */
        boolean granted() {
            return !ended() && floorIds.stream().allMatch(id -> floors.get(id).holder != null && floors.get(id).holder == this.id);
        }

        boolean queued() {
            return !ended() && !pendingChair && !granted();
        }

        void end(RequestStatus status, String reason) {
            endedWith = status;
            why = Optional.of(reason);
            pendingChair = false;
        }

        RequestStatus status() {
            if (ended()) {
                return endedWith;
            }
            return pendingChair ? RequestStatus.PENDING : granted() ? RequestStatus.GRANTED : RequestStatus.ACCEPTED;
        }
    }
}
