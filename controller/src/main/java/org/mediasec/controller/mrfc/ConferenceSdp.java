package org.mediasec.controller.mrfc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.mediasec.controller.alg.OfferRejectedException;
import org.mediasec.controller.alg.SdpChecks;
import org.mediasec.h248.message.CommandReply;
import org.mediasec.sdp.KeyManagement;
import org.mediasec.sdp.MediaDescription;
import org.mediasec.sdp.SdpParseException;
import org.mediasec.sdp.SdpParser;
import org.mediasec.sdp.SessionDescription;
import org.mediasec.sdp.Transport;

/** The MRFC's SDP: the streams an offer asks of the conference, its MIKEY messages, and the SDP for the UE. Pure. */
final class ConferenceSdp {

    private ConferenceSdp() {}

    /** The m-lines of an offer the MRFP can serve (MSRP, BFCP over TCP or TLS); anything else: 488. */
    static List<ConferenceStream> streams(SessionDescription offer) throws OfferRejectedException {
        List<ConferenceStream> streams = new ArrayList<>();
        int tls = 0;
        for (int i = 0; i < offer.media().size(); i++) {
            MediaDescription media = offer.media().get(i);
            Transport transport = media.transport();
            String application = transport.application();
            if (!transport.token().startsWith("TCP/") || !(application.equals("MSRP") || application.equals("BFCP"))) {
                throw new OfferRejectedException(488, "m-line " + i + ": the conference serves MSRP and BFCP over TCP or TLS, not " + transport);
            }
            SdpChecks.connection(offer, media, i, "offer");
            streams.add(new ConferenceStream(i, media.mediaLine().media(), transport, transport.isTls() ? ++tls : 0));
        }
        if (streams.isEmpty()) {
            throw new OfferRejectedException(488, "no m-line to serve");
        }
        return streams;
    }

    /**
     * The MIKEY message of the TLS m-lines (E2E-6: at media level, the same message at each, crypto session k for the
     * k-th); none when no m-line is TLS. A TLS m-line without it, or with another message: 606 (TLS-PSK needs it).
     */
    static Optional<byte[]> keyManagement(SessionDescription sdp, List<ConferenceStream> streams) throws OfferRejectedException {
        byte[] message = null;
        for (ConferenceStream stream : streams) {
            if (!stream.transport.isTls()) {
                continue;
            }
            MediaDescription media = sdp.media().get(stream.index);
            Optional<KeyManagement> mikey = media.keyManagement().stream().filter(k -> k.protocolId().equalsIgnoreCase("mikey")).findFirst();
            if (mikey.isEmpty()) {
                throw new OfferRejectedException(606, "m-line " + stream.index + " (" + stream.transport + ") has no a=key-mgmt:mikey: the conference's TLS is keyed by MIKEY-TICKET");
            }
            if (message != null && !Arrays.equals(message, mikey.get().data())) {
                throw new OfferRejectedException(606, "the TLS m-lines carry different MIKEY messages");
            }
            message = mikey.get().data();
        }
        return Optional.ofNullable(message);
    }

    /** The MRFP's m-line for the UE, from the Local of its reply (with the session's c= brought in). */
    static MediaDescription localMedia(CommandReply.AmmsReply reply) {
        String text = reply.localSdp(1).orElseThrow(() -> new IllegalStateException(reply.terminationId() + ": reply without Local SDP"));
        try {
            SessionDescription sdp = SdpParser.parseH248(text).get(0);
            MediaDescription media = sdp.media().get(0);
            return media.withConnectionData(sdp.connectionData(media).orElseThrow(() -> new IllegalStateException("Local SDP without c=")));
        } catch (SdpParseException e) {
            throw new IllegalStateException(reply.terminationId() + ": Local SDP does not parse: " + e.getMessage(), e);
        }
    }

    /**
     * The SDP for the UE: the MRFP's m-lines (its address, port, role, a=path, BFCP IDs), with the MIKEY message
     * (TRANSFER_RESP of a dial-in, TRANSFER_INIT of a dial-out) on the TLS ones.
     */
    static SessionDescription describe(Participant participant, Optional<byte[]> mikey) {
        String text = "v=0\r\no=mrfc " + Math.abs(participant.callId.hashCode()) + " 1 IN IP4 127.0.0.1\r\ns=" + participant.conference.identity.uri()
                + "\r\nt=0 0\r\n";
        try {
            SessionDescription sdp = SdpParser.parse(text);
            List<MediaDescription> media = new ArrayList<>();
            for (ConferenceStream stream : participant.streams) {
                MediaDescription line = stream.local;
                if (stream.transport.isTls() && mikey.isPresent()) {
                    line = line.withKeyManagement(new KeyManagement("mikey", mikey.get()));
                }
                media.add(line);
            }
            return new SessionDescription(sdp.sessionLines(), media);
        } catch (SdpParseException e) {
            throw new IllegalStateException("the MRFC's own SDP does not parse", e);
        }
    }
}
