package org.mediasec.gateway.mrfp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mediasec.gateway.GatewayError;
import org.mediasec.h248.ErrorCode;
import org.mediasec.sdp.MediaDescription;

/**
 * The BFCP identifiers of an MRFP participant's stream as RFC 8856 puts them in the floor control server's SDP
 * (the Local descriptor the MRFC gives): {@code a=confid}, {@code a=userid}, {@code a=floorid}. What the MRFC
 * leaves out the MRFP chooses, and the reply's Local carries all of them with {@code a=floorctrl:s-only}.
 */
record ConferenceIds(Optional<Long> conferenceId, Optional<Integer> userId, List<String> floorIds) {

    static final int DEFAULT_FLOOR = 1;

    static ConferenceIds of(MediaDescription local) throws GatewayError {
        Optional<Long> conference = Optional.empty();
        if (local.conferenceId().isPresent()) {
            conference = Optional.of(number(local.conferenceId().get(), 0xffffffffL, "a=confid"));
        }
        Optional<Integer> user = Optional.empty();
        if (local.userId().isPresent()) {
            user = Optional.of((int) number(local.userId().get(), 0xffff, "a=userid"));
        }
        floorNumbers(local.floorIds());
        if (!local.floorControl().isEmpty() && !local.floorControl().contains("s-only") && !local.floorControl().contains("c-s")) {
            throw new GatewayError(ErrorCode.UNSUPPORTED_PARAMETER_OR_PROPERTY_VALUE, "a=floorctrl:" + String.join(" ", local.floorControl())
                    + ": the MRFP is the floor control server (s-only)");
        }
        return new ConferenceIds(conference, user, local.floorIds());
    }

    /** The floor numbers of {@code a=floorid:<id> [mstrm:…]} lines. */
    static List<Integer> floorNumbers(List<String> floorIds) throws GatewayError {
        List<Integer> numbers = new ArrayList<>();
        for (String floorId : floorIds) {
            String first = floorId.strip().split(" +")[0];
            numbers.add((int) number(first, 0xffff, "a=floorid"));
        }
        return numbers;
    }

    /** The participant's stream as the floor control server answers it (RFC 8856 4, 5, 6, 7). */
    static MediaDescription answer(MediaDescription media, long conferenceId, int userId, List<String> floorIds) {
        MediaDescription answer = media.withAttribute("floorctrl", "s-only")
                .withAttribute("confid", String.valueOf(conferenceId))
                .withAttribute("userid", String.valueOf(userId))
                .withAttribute("bfcpver", "1");
        return media.floorIds().isEmpty() ? answer.withAttributes("floorid", floorIds) : answer;
    }

    private static long number(String text, long max, String what) throws GatewayError {
        try {
            long value = Long.parseLong(text.strip());
            if (value >= 0 && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new GatewayError(ErrorCode.UNSUPPORTED_PARAMETER_OR_PROPERTY_VALUE, what + ":" + text + " is not a number 0.." + max);
    }
}
