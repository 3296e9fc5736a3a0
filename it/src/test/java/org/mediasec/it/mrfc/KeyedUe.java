package org.mediasec.it.mrfc;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.mediasec.bearer.tls.psk.PskSocket;
import org.mediasec.kms.client.KmsClient;
import org.mediasec.mikey.MikeyException;
import org.mediasec.mikey.Payload;
import org.mediasec.mikey.ticket.KmsUid;
import org.mediasec.mikey.ticket.ReplayCache;
import org.mediasec.mikey.ticket.SessionKeys;
import org.mediasec.mikey.ticket.TicketInitiator;
import org.mediasec.mikey.ticket.TicketResponder;
import org.mediasec.sdp.KeyManagement;
import org.mediasec.sdp.MediaDescription;
import org.mediasec.sdp.SdpParseException;
import org.mediasec.sdp.SdpParser;
import org.mediasec.sdp.SessionDescription;
import org.mediasec.sdp.Transport;

/**
 * A conference UE for the key tests: MIKEY-TICKET with the KMS as {@code ConferenceUe} does it, but the TEKs the
 * exchange produced are handed to the test, which keys each TLS-PSK handshake with the right one or a wrong one.
 * Dial-in: it offers one m-line per transport and listens on each; dial-out: it answers active and connects.
 */
final class KeyedUe implements AutoCloseable {

    /** How long a handshake may take (the MRFP connects at once on a dial-in). */
    static final Duration HANDSHAKE = Duration.ofSeconds(20);
    private static final Duration TICKET_LIFETIME = Duration.ofHours(1);

    final String name;
    final KmsUid uid;
    private final byte[] kmsKey;
    private final KmsUid kmsUid;
    private final KmsClient kms;
    private final List<ServerSocket> listeners = new ArrayList<>();
    private TicketInitiator.PendingTransfer pending;
    private TicketInitiator initiator;

    KeyedUe(String name, String domain, byte[] kmsKey, KmsUid kmsUid, KmsClient kms) {
        this.name = name;
        this.uid = new KmsUid("sip:" + name + "@" + domain);
        this.kmsKey = kmsKey.clone();
        this.kmsUid = kmsUid;
        this.kms = kms;
    }

    String fromHeader() {
        return "\"" + name + "\" <" + uid.value() + ">";
    }

    // ---- dial-in ----

    /** The INVITE's offer: a ticket for the conference with one crypto session per TLS m-line, TRANSFER_INIT at each. */
    SessionDescription offer(KmsUid conference, List<Transport> streams) throws IOException, MikeyException, SdpParseException {
        int tls = (int) streams.stream().filter(Transport::isTls).count();
        initiator = new TicketInitiator(uid, kmsKey, kmsUid, Clock.systemUTC(), new SecureRandom());
        TicketInitiator.PendingRequest request = initiator.requestInit(List.of(conference), tls, TICKET_LIFETIME,
                Payload.TicketPolicy.FLAG_KMS_GENERATES_KEYS | Payload.TicketPolicy.FLAG_FORK_PER_RESPONDER);
        pending = initiator.transferInit(kms.requestTicket(initiator, request));
        return offerWith(pending.message(), streams);
    }

    /** An offer carrying {@code transferInit}, whoever made it. */
    SessionDescription offerWith(byte[] transferInit, List<Transport> streams) throws IOException, SdpParseException {
        String mikey = new KeyManagement("mikey", transferInit).attributeValue();
        StringBuilder sdp = new StringBuilder("v=0\r\no=" + name + " 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n");
        for (Transport transport : streams) {
            ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            listeners.add(listener);
            if (transport.application().equals("MSRP")) {
                sdp.append("m=message ").append(listener.getLocalPort()).append(' ').append(transport).append(" *\r\na=setup:actpass\r\n")
                        .append("a=accept-types:text/plain\r\na=path:msrp").append(transport.isTls() ? "s" : "").append("://127.0.0.1:")
                        .append(listener.getLocalPort()).append('/').append(name).append(";tcp\r\n");
            } else {
                sdp.append("m=application ").append(listener.getLocalPort()).append(' ').append(transport).append(" *\r\na=setup:actpass\r\n")
                        .append("a=floorctrl:c-only\r\n");
            }
            if (transport.isTls()) {
                sdp.append("a=key-mgmt:").append(mikey).append("\r\n");
            }
        }
        return SdpParser.parse(sdp.toString());
    }

    /** The TEKs of the MRFC's TRANSFER_RESP (at the first TLS m-line of its answer). */
    SessionKeys answered(SessionDescription answer) throws MikeyException {
        byte[] resp = answer.media().stream().filter(m -> m.transport().isTls()).findFirst().orElseThrow().keyManagement().get(0).data();
        return initiator.acceptTransferResp(pending, resp);
    }

    /** Accepts the MRFP's connection to m-line {@code index} and runs the handshake as TLS server with {@code psk}. */
    PskSocket accept(int index, byte[] psk) throws IOException {
        return PskSocket.accept(listeners.get(index), psk, HANDSHAKE);
    }

    // ---- dial-out ----

    /** The keys of the MRFC's TRANSFER_INIT resolved at the KMS, and the answer (a=setup:active, TRANSFER_RESP at each TLS m-line). */
    record Answer(SessionDescription sdp, SessionKeys keys) {}

    Answer answer(SessionDescription offer) throws IOException, MikeyException, SdpParseException {
        TicketResponder responder = new TicketResponder(uid, kmsKey, kmsUid, Clock.systemUTC(), new SecureRandom(), new ReplayCache(Clock.systemUTC()));
        MediaDescription keyed = offer.media().stream().filter(m -> m.transport().isTls()).findFirst().orElseThrow();
        TicketResponder.Answer answer = responder.transferResp(kms.resolve(responder, responder.acceptTransferInit(keyed.keyManagement().get(0).data())));
        String mikey = new KeyManagement("mikey", answer.message()).attributeValue();
        StringBuilder sdp = new StringBuilder("v=0\r\no=" + name + " 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n");
        for (MediaDescription media : offer.media()) {
            Transport transport = media.transport();
            sdp.append("m=").append(media.mediaLine().media()).append(" 9 ").append(transport).append(" *\r\na=setup:active\r\n");
            if (transport.application().equals("MSRP")) {
                sdp.append("a=accept-types:text/plain\r\na=path:msrp").append(transport.isTls() ? "s" : "").append("://127.0.0.1:9/").append(name).append(";tcp\r\n");
            } else {
                sdp.append("a=floorctrl:c-only\r\n");
            }
            if (transport.isTls()) {
                sdp.append("a=key-mgmt:").append(mikey).append("\r\n");
            }
        }
        return new Answer(SdpParser.parse(sdp.toString()), answer.keys());
    }

    /** Connects to the MRFP's m-line {@code index} of {@code offer} and runs the handshake as TLS client with {@code psk}. */
    static PskSocket connect(SessionDescription offer, int index, byte[] psk) throws IOException {
        MediaDescription media = offer.media().get(index);
        String address = offer.connectionData(media).orElseThrow().split(" ")[2];
        return PskSocket.connect(new InetSocketAddress(address, media.mediaLine().portNumber().orElseThrow()), psk, HANDSHAKE);
    }

    @Override
    public void close() throws IOException {
        for (ServerSocket listener : listeners) {
            listener.close();
        }
    }
}
