package org.mediasec.bfcp.server;

import java.util.Map;
import java.util.Optional;

/**
 * How a conference's floors are granted (RFC 8855 leaves the policy to the server): one holder per floor, a FIFO
 * queue of at most {@code maxQueue} requests behind it, at most {@code maxOngoingPerUser} live requests per
 * beneficiary and floor (more: error 8), and per floor an optional chair (a user ID) whose ChairAction accepts or
 * denies each request before it queues, and may revoke the floor. PRIORITY is carried and reported but does not
 * reorder the queue.
 *
 * @param floors floor ID → its chair's user ID, empty for a floor without chair (requests are accepted at once)
 */
public record FloorPolicy(long conferenceId, Map<Integer, Optional<Integer>> floors, int maxQueue, int maxOngoingPerUser) {

    public FloorPolicy {
        if (conferenceId < 0 || conferenceId > 0xffffffffL) {
            throw new IllegalArgumentException("a Conference ID is 32 bits: " + conferenceId);
        }
        floors = Map.copyOf(floors);
        if (floors.isEmpty()) {
            throw new IllegalArgumentException("a conference needs at least one floor");
        }
        floors.keySet().forEach(id -> {
            if (id < 0 || id > 0xffff) {
                throw new IllegalArgumentException("a floor ID is 16 bits: " + id);
            }
        });
        if (maxQueue < 0 || maxOngoingPerUser < 1) {
            throw new IllegalArgumentException("maxQueue >= 0 and maxOngoingPerUser >= 1");
        }
    }

    /** Floors without chair, a queue of 16, one live request per user and floor. */
    public static FloorPolicy chairless(long conferenceId, int... floorIds) {
        java.util.Map<Integer, Optional<Integer>> floors = new java.util.HashMap<>();
        for (int floorId : floorIds) {
            floors.put(floorId, Optional.empty());
        }
        return new FloorPolicy(conferenceId, floors, 16, 1);
    }

    public FloorPolicy withChair(int floorId, int chairUserId) {
        java.util.Map<Integer, Optional<Integer>> changed = new java.util.HashMap<>(floors);
        changed.put(floorId, Optional.of(chairUserId));
        return new FloorPolicy(conferenceId, changed, maxQueue, maxOngoingPerUser);
    }
}
