package org.mediasec.gateway.mrfp;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.mediasec.gateway.GatewayError;
import org.mediasec.h248.ErrorCode;
import org.mediasec.msrp.MsrpParseException;
import org.mediasec.msrp.MsrpUri;
import org.mediasec.sdp.MediaDescription;
import org.mediasec.sdp.SessionDescription;
import org.mediasec.gateway.context.Termination;

/**
 * An MRFP participant's MSRP stream as the focus needs it (RFC 4975 8, RFC 7701): from the Remote SDP the UE's
 * {@code a=path} (where the focus sends to), its {@code a=accept-types} (message/cpim there: messages come
 * CPIM-wrapped) and a name for CPIM's From (the o= user name); in the reply's Local the focus's own {@code a=path},
 * with a session ID of its own per participant.
 */
record MsrpMember(List<MsrpUri> path, List<String> acceptTypes, String identity) {

    private static final SecureRandom RANDOM = new SecureRandom();

    static MsrpMember of(SessionDescription remote, MediaDescription media) throws GatewayError {
        List<MsrpUri> path = new ArrayList<>();
        for (String uri : media.path()) {
            try {
                path.add(MsrpUri.parse(uri));
            } catch (MsrpParseException e) {
                throw new GatewayError(ErrorCode.UNSUPPORTED_PARAMETER_OR_PROPERTY_VALUE, "a=path: " + e.getMessage());
            }
        }
        String user = remote.origin().map(o -> o.strip().split(" +")[0]).filter(u -> !u.isEmpty() && !u.equals("-")).orElse("participant");
        String identity = path.isEmpty() ? "" : "\"" + user.replace("\"", "") + "\" <" + path.get(0) + ">";
        return new MsrpMember(path, media.acceptTypes(), identity);
    }

    static String newSessionId() {
        char[] alphabet = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
        char[] id = new char[20];
        for (int i = 0; i < id.length; i++) {
            id[i] = alphabet[RANDOM.nextInt(alphabet.length)];
        }
        return new String(id);
    }

    /** The focus's URI for this participant: msrps when its stream is TLS (RFC 4975 6). */
    static MsrpUri focusUri(Termination termination, String focusSessionId) {
        return MsrpUri.of(termination.plan().transport().isTls(), termination.allocation().realm().address().getHostAddress(),
                termination.allocation().port(), focusSessionId);
    }

    static MediaDescription answer(MediaDescription media, MsrpUri focusUri) {
        MediaDescription answer = media.withPath(List.of(focusUri.toString()));
        return media.acceptTypes().isEmpty() ? answer.withAttribute("accept-types", "message/cpim *") : answer;
    }
}
