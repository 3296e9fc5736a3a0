package org.mediasec.controller.mgc;

import java.util.regex.Pattern;
import java.util.List;
import java.util.Optional;
import org.mediasec.h248.message.CommandReply;
import org.mediasec.h248.message.TerminationId;
import org.mediasec.sdp.Fingerprint;
import org.mediasec.sdp.MediaDescription;
import org.mediasec.sdp.SdpParseException;
import org.mediasec.sdp.SdpParser;
import org.mediasec.sdp.SessionDescription;
import org.mediasec.sdp.Setup;

/**
 * The gateway's side of a leg, from the Local SDP of its reply: the termination it created, the address and port
 * it listens on (c=, m=; port 9 when it is the active end, RFC 4145 4), its TCP role, and its certificate's
 * fingerprint when it terminates TLS (TLS-3), and on an MSRP-aware leg its own MSRP URI (a=path, GW-6).
 */
public record LocalEnd(TerminationId termination, String connectionAddress, int port, Setup setup, List<Fingerprint> fingerprints, List<String> msrpPath) {
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");


    public LocalEnd(TerminationId termination, String connectionAddress, int port, Setup setup, List<Fingerprint> fingerprints) {
        this(termination, connectionAddress, port, setup, fingerprints, List.of());
    }

    public LocalEnd {
        fingerprints = List.copyOf(fingerprints);
        msrpPath = List.copyOf(msrpPath);
    }

    /** Reads the Local SDP of an Add or Modify reply; a reply without one is a gateway fault. */
    public static LocalEnd of(CommandReply.AmmsReply reply) {
        String text = reply.localSdp(1).orElseThrow(() -> new IllegalStateException(reply.terminationId() + ": reply without Local SDP"));
        try {
            SessionDescription sdp = SdpParser.parseH248(text).get(0);
            MediaDescription media = sdp.media().get(0);
            String connection = sdp.connectionData(media).orElseThrow(() -> new IllegalStateException("Local SDP without c=: " + text));
            int port = media.mediaLine().portNumber().orElseThrow(() -> new IllegalStateException("Local SDP without a port: " + text));
            return new LocalEnd(reply.terminationId(), connection, port, media.setup().orElse(Setup.PASSIVE), sdp.fingerprints(media), media.path());
        } catch (SdpParseException e) {
            throw new IllegalStateException(reply.terminationId() + ": Local SDP does not parse: " + e.getMessage(), e);
        }
    }

    /** The host of c= (e.g. 192.0.2.1 of "IN IP4 192.0.2.1"). */
    public String host() {
        String[] parts = WHITESPACE.split(connectionAddress.trim());
        return parts[parts.length - 1];
    }

    public Optional<Fingerprint> fingerprint() {
        return fingerprints.stream().findFirst();
    }
}
