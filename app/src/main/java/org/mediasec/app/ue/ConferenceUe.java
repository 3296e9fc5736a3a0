package org.mediasec.app.ue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.mediasec.bearer.tls.psk.PskSocket;
import org.mediasec.bfcp.BfcpEncoder;
import org.mediasec.bfcp.BfcpException;
import org.mediasec.bfcp.BfcpMessage;
import org.mediasec.bfcp.BfcpStreamDecoder;
import org.mediasec.kms.client.KmsClient;
import org.mediasec.mikey.Payload;
import org.mediasec.mikey.ticket.KmsUid;
import org.mediasec.mikey.ticket.ReplayCache;
import org.mediasec.mikey.ticket.SessionKeys;
import org.mediasec.mikey.ticket.TicketInitiator;
import org.mediasec.mikey.ticket.TicketResponder;
import org.mediasec.msrp.MsrpDecoder;
import org.mediasec.msrp.MsrpUri;
import org.mediasec.msrp.session.MsrpSession;
import org.mediasec.msrp.session.MsrpSessionListener;
import org.mediasec.sdp.KeyManagement;
import org.mediasec.sdp.MediaDescription;
import org.mediasec.sdp.SdpParser;
import org.mediasec.sdp.SessionDescription;

/**
 * A simulated UE in an end-to-end protected conference (docs/conference.md): MIKEY-TICKET with the KMS (initiator
 * when it dials in, responder when it is dialled out), one TLS-PSK connection per stream keyed by that stream's TEK
 * (E2E-4, E2E-5), an MSRP endpoint on the chat stream and a BFCP client on the floor stream. SIP is not simulated:
 * the caller hands the SDP to the MRFC. Blocking sockets on virtual threads, like {@link UserEquipment}.
 */
public final class ConferenceUe implements AutoCloseable {

    public record Message(String contentType, byte[] body) {}

    public final String name;
    public final KmsUid uid;
    private final UeTrace trace;
    private final byte[] kmsKey;
    private final KmsUid kmsUid;
    private final KmsClient kms;
    private final boolean withFloor;
    private final ServerSocket chatListener;
    private final ServerSocket floorListener;
    private final MsrpUri ownUri;
    private TicketInitiator initiator;
    private TicketInitiator.PendingTransfer pending;
    private PskSocket chat;
    private PskSocket floor;
    private MsrpSession session;
    final BlockingQueue<Message> received = new LinkedBlockingQueue<>();
    private final BfcpStreamDecoder bfcp = new BfcpStreamDecoder(65536);
    private final BlockingQueue<BfcpMessage> floorMessages = new LinkedBlockingQueue<>();
    /**
     * Platform threads, not virtual ones: a virtual thread's blocking socket read starts the JDK's poller thread, which
     * stays in native code (epoll_wait) for the rest of the process, and the JVM waits 300 ms at exit for any thread
     * in native code (HotSpot's VM_Exit): the demo paid that on every run (docs/performance.md). A platform thread
     * blocked in a read ends with its socket.
     */
    private static Thread reader(Runnable read) {
        return Thread.ofPlatform().daemon().name("conference-ue-reader").start(read);
    }

    private final List<Thread> readers = new ArrayList<>();

    /** {@code withFloor}: the UE also has a BFCP stream (dial-in only). Its identity is sip:name@domain. */
    public ConferenceUe(String name, String domain, byte[] kmsKey, KmsUid kmsUid, KmsClient kms, boolean withFloor, UeTrace trace) throws IOException {
        this(name, new KmsUid("sip:" + name + "@" + domain), kmsKey, kmsUid, kms, withFloor, trace);
    }

    /** A UE whose KMS UID is {@code uid} (E2E-7: the KMS UID of its SIP From). */
    public ConferenceUe(String name, KmsUid uid, byte[] kmsKey, KmsUid kmsUid, KmsClient kms, boolean withFloor, UeTrace trace) throws IOException {
        this.name = name;
        this.trace = trace;
        this.uid = uid;
        this.kmsKey = kmsKey.clone();
        this.kmsUid = kmsUid;
        this.kms = kms;
        this.withFloor = withFloor;
        this.chatListener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        this.floorListener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        this.ownUri = MsrpUri.of(true, "127.0.0.1", chatListener.getLocalPort(), name + "chat");
    }

    public String fromHeader() {
        return "\"" + name + "\" <" + uid.value() + ">";
    }

    // ---- dial-in: the UE offers ------------------------------------------------------------------------------

    /** The INVITE's offer: a ticket for the conference, TRANSFER_INIT at each TLS m-line, a=setup:actpass. */
    public SessionDescription offer(KmsUid conference) throws Exception {
        initiator = new TicketInitiator(uid, kmsKey, kmsUid, Clock.systemUTC(), new SecureRandom());
        TicketInitiator.PendingRequest request = initiator.requestInit(List.of(conference), withFloor ? 2 : 1, Duration.ofHours(1),
                Payload.TicketPolicy.FLAG_KMS_GENERATES_KEYS | Payload.TicketPolicy.FLAG_FORK_PER_RESPONDER);
        trace.event(name, UeTrace.Kind.MIKEY, true, "KMS", "REQUEST_INIT for " + conference + " (" + (withFloor ? 2 : 1) + " TLS crypto sessions)");
        TicketInitiator.IssuedTicket ticket = kms.requestTicket(initiator, request);
        trace.event(name, UeTrace.Kind.MIKEY, false, "KMS", "REQUEST_RESP: ticket valid until " + ticket.validUntil());
        pending = initiator.transferInit(ticket);
        String mikey = new KeyManagement("mikey", pending.message()).attributeValue();
        StringBuilder sdp = new StringBuilder("v=0\r\no=" + name + " 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n")
                .append("m=message ").append(chatListener.getLocalPort()).append(" TCP/TLS/MSRP *\r\na=setup:actpass\r\n")
                .append("a=accept-types:message/cpim text/plain application/octet-stream\r\na=path:").append(ownUri).append("\r\n")
                .append("a=key-mgmt:").append(mikey).append("\r\n");
        if (withFloor) {
            sdp.append("m=application ").append(floorListener.getLocalPort()).append(" TCP/TLS/BFCP *\r\na=setup:actpass\r\na=floorctrl:c-only\r\n")
                    .append("a=key-mgmt:").append(mikey).append("\r\n");
        }
        return SdpParser.parse(sdp.toString());
    }

    /** The 200 OK's answer: TRANSFER_RESP gives the TEKs; the MRFP connects to us and we are TLS server. */
    public void answered(SessionDescription answer) throws Exception {
        byte[] resp = answer.media().get(0).keyManagement().get(0).data();
        SessionKeys keys = initiator.acceptTransferResp(pending, resp);
        trace.event(name, UeTrace.Kind.MIKEY, false, "MRFC", "TRANSFER_RESP checked (IDRr " + keys.responder() + "): one TEK per stream");
        teks = keys;
        CompletableFuture<PskSocket> chatTls = accept(chatListener, keys.tek(1).orElseThrow());
        CompletableFuture<PskSocket> floorTls = withFloor ? accept(floorListener, keys.tek(2).orElseThrow()) : CompletableFuture.completedFuture(null);
        chat = chatTls.get(20, TimeUnit.SECONDS);
        chat.setTimeout(Duration.ZERO); // reads wait for the conference as long as it lasts
        trace.event(name, UeTrace.Kind.TLS, false, "MRFP", "TLS-PSK " + chat.cipherSuite() + " established as server (chat, TEK 1)");
        floor = floorTls.get(20, TimeUnit.SECONDS);
        if (floor != null) {
            floor.setTimeout(Duration.ZERO);
            trace.event(name, UeTrace.Kind.TLS, false, "MRFP", "TLS-PSK " + floor.cipherSuite() + " established as server (floor, TEK 2)");
        }
        if (withFloor) {
            // RFC 8856: the floor control server's answer names the conference, our user and the floor
            MediaDescription bfcpLine = answer.media().get(1);
            conferenceId = Long.parseLong(bfcpLine.conferenceId().orElseThrow());
            userId = Integer.parseInt(bfcpLine.userId().orElseThrow());
            floorId = Integer.parseInt(bfcpLine.floorIds().get(0).split(" ")[0]);
        }
        start(path(answer.media().get(0)));
    }

    private static CompletableFuture<PskSocket> accept(ServerSocket listener, byte[] tek) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return PskSocket.accept(listener, tek, Duration.ofSeconds(20));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    // ---- dial-out: the MRFC offers -------------------------------------------------------------------------

    /** Our answer to the MRFC's offer: the ticket resolved at the KMS, TRANSFER_RESP, a=setup:active. */
    public SessionDescription answer(SessionDescription offer) throws Exception {
        TicketResponder responder = new TicketResponder(uid, kmsKey, kmsUid, Clock.systemUTC(), new SecureRandom(), new ReplayCache(Clock.systemUTC()));
        TicketResponder.ReceivedTransfer transfer = responder.acceptTransferInit(offer.media().get(0).keyManagement().get(0).data());
        trace.event(name, UeTrace.Kind.MIKEY, true, "KMS", "RESOLVE_INIT for the ticket of " + transfer.initiator());
        TicketResponder.Answer answer = responder.transferResp(kms.resolve(responder, transfer));
        trace.event(name, UeTrace.Kind.MIKEY, false, "KMS", "RESOLVE_RESP: keys forked for " + uid);
        this.dialOutKeys = answer.keys();
        this.teks = answer.keys();
        this.dialOutOffer = offer;
        String mikey = new KeyManagement("mikey", answer.message()).attributeValue();
        StringBuilder sdp = new StringBuilder("v=0\r\no=" + name + " 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n");
        for (MediaDescription media : offer.media()) {
            if (media.transport().application().equals("BFCP")) {
                // RFC 8856: the floor control server's offer names the conference, our user and the floor
                conferenceId = Long.parseLong(media.conferenceId().orElseThrow());
                userId = Integer.parseInt(media.userId().orElseThrow());
                floorId = Integer.parseInt(media.floorIds().get(0).split(" ")[0]);
                sdp.append("m=application 9 TCP/TLS/BFCP *\r\na=setup:active\r\na=floorctrl:c-only\r\n");
            } else {
                sdp.append("m=message 9 TCP/TLS/MSRP *\r\na=setup:active\r\na=accept-types:message/cpim text/plain application/octet-stream\r\n")
                        .append("a=path:").append(ownUri).append("\r\n");
            }
            sdp.append("a=key-mgmt:").append(mikey).append("\r\n");
        }
        return SdpParser.parse(sdp.toString());
    }

    /** The BFCP IDs the floor control server's answer gave (RFC 8856 a=confid, a=userid, a=floorid). */
    public long conferenceId;
    public int userId;
    public int floorId;
    private SessionKeys teks;
    private SessionKeys dialOutKeys;
    private SessionDescription dialOutOffer;

    /** After the MRFC took our answer: we connect and start TLS-PSK (the MRFP is server, E2E-2). */
    public void connect() throws Exception {
        connect(Duration.ofSeconds(20));
    }

    /**
     * As {@link #connect()}, trying again for up to {@code patience}: the UE cannot know when the MRFC has given the
     * MRFP its key (SIP is not simulated), so a handshake the MRFP is not ready for is retried.
     */
    public void connect(Duration patience) throws Exception {
        MediaDescription chatLine = null;
        int cryptoSession = 0;
        for (MediaDescription media : dialOutOffer.media()) {
            String host = dialOutOffer.connectionData(media).orElseThrow().split(" ")[2];
            InetSocketAddress mrfp = new InetSocketAddress(host, media.mediaLine().portNumber().orElseThrow());
            byte[] tek = dialOutKeys.tek(++cryptoSession).orElseThrow();
            boolean bfcp = media.transport().application().equals("BFCP");
            PskSocket socket = connect(mrfp, tek, patience);
            trace.event(name, UeTrace.Kind.TLS, true, "MRFP", "TLS-PSK " + socket.cipherSuite() + " established as client ("
                    + (bfcp ? "floor" : "chat") + ", TEK " + cryptoSession + ")");
            if (bfcp) {
                floor = socket;
            } else {
                chat = socket;
                chatLine = media;
            }
        }
        start(path(chatLine));
    }

    /** Connects and handshakes, trying again until {@code patience} runs out. */
    private static PskSocket connect(InetSocketAddress mrfp, byte[] tek, Duration patience) throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            try {
                PskSocket socket = PskSocket.connect(mrfp, tek, Duration.ofSeconds(3));
                socket.setTimeout(Duration.ZERO); // reads wait for the conference as long as it lasts
                return socket;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
                Thread.sleep(200);
            }
        }
    }

    // ---- media ----------------------------------------------------------------------------------------------

    private static MsrpUri path(MediaDescription media) throws Exception {
        return MsrpUri.parse(media.path().get(0));
    }

    private void start(MsrpUri focus) {
        OutputStream chatOut = chat.out();
        session = new MsrpSession(List.of(ownUri), List.of(focus), false, 64L << 20, bytes -> write(chatOut, bytes), new MsrpSessionListener() {
            @Override
            public void onMessage(String messageId, String contentType, byte[] body) {
                trace.event(name, UeTrace.Kind.MSRP, false, "MRFP", "received " + contentType + ", " + body.length + " bytes");
                received.add(new Message(contentType, body));
            }
        });
        readers.add(reader(() -> read(chat.in(), (buffer, n) -> chatDecoder.decode(ByteBuffer.wrap(buffer, 0, n), session))));
        if (floor != null) {
            readers.add(reader(() -> read(floor.in(), (buffer, n) -> bfcp.decode(buffer, 0, n, new BfcpStreamDecoder.Listener() {
                @Override
                public void message(BfcpMessage message) {
                    trace.event(name, UeTrace.Kind.BFCP, false, "MRFP", describe(message));
                    floorMessages.add(message);
                }

                @Override
                public void refused(BfcpException refused) {
                    throw new AssertionError("the floor control server sent a malformed message", refused);
                }
            }))));
        }
    }

    private interface Chunk {
        void accept(byte[] buffer, int length) throws Exception;
    }

    private final MsrpDecoder chatDecoder = new MsrpDecoder();

    private void read(InputStream in, Chunk chunk) {
        byte[] buffer = new byte[16384];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                chunk.accept(buffer, n);
            }
        } catch (Exception ended) {
            // the connection closed
        }
    }

    private static void write(OutputStream out, byte[] bytes) {
        try {
            synchronized (out) {
                out.write(bytes);
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public CompletableFuture<Void> say(String contentType, byte[] body) {
        trace.event(name, UeTrace.Kind.MSRP, true, "MRFP", "SEND " + contentType + ", " + body.length + " bytes");
        return session.send(contentType, body, 4096, true);
    }

    /** SHA-256 of each stream's TEK (never the key itself): E2E-4 compares them across participants. */
    public List<String> tekDigests() throws java.security.NoSuchAlgorithmException {
        List<String> digests = new ArrayList<>();
        for (var tek : teks.teks()) {
            digests.add(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(tek.key())));
        }
        return digests;
    }

    public Message next() throws InterruptedException, java.util.concurrent.TimeoutException {
        return next(Duration.ofSeconds(30));
    }

    /** The next chat message, waiting up to {@code patience}. */
    public Message next(Duration patience) throws InterruptedException, java.util.concurrent.TimeoutException {
        Message message = received.poll(patience.toMillis(), TimeUnit.MILLISECONDS);
        if (message == null) {
            throw new java.util.concurrent.TimeoutException(name + " received no message within " + patience.toSeconds() + " s");
        }
        return message;
    }

    public void floor(BfcpMessage message) {
        trace.event(name, UeTrace.Kind.BFCP, true, "MRFP", describe(message));
        write(floor.out(), BfcpEncoder.encode(message));
    }

    /** A BFCP message in one line: its primitive and, for floor request status, the status (for ladders). */
    public static String describe(BfcpMessage message) {
        StringBuilder text = new StringBuilder(message.primitive().rfcName());
        message.first(org.mediasec.bfcp.BfcpAttribute.FloorRequestInformation.class)
                .flatMap(info -> info.first(org.mediasec.bfcp.BfcpAttribute.OverallRequestStatus.class))
                .flatMap(status -> status.first(org.mediasec.bfcp.BfcpAttribute.RequestStatusAttribute.class))
                .ifPresent(status -> text.append(' ').append(status.status()).append(status.queuePosition() > 0 ? " (queue " + status.queuePosition() + ")" : ""));
        message.first(org.mediasec.bfcp.BfcpAttribute.ErrorCode.class).ifPresent(error -> text.append(" code ").append(error.code()));
        return text.toString();
    }

    public BfcpMessage nextFloorMessage() throws InterruptedException, java.util.concurrent.TimeoutException {
        return nextFloorMessage(Duration.ofSeconds(20));
    }

    /** The next message of the floor control server, waiting up to {@code patience}. */
    public BfcpMessage nextFloorMessage(Duration patience) throws InterruptedException, java.util.concurrent.TimeoutException {
        BfcpMessage message = floorMessages.poll(patience.toMillis(), TimeUnit.MILLISECONDS);
        if (message == null) {
            throw new java.util.concurrent.TimeoutException(name + " got no BFCP message within " + patience.toSeconds() + " s");
        }
        return message;
    }

    /** Leaves: close_notify and FIN on every stream (idempotent). */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        for (PskSocket socket : new PskSocket[] {chat, floor}) {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException alreadyGone) {
                    // the MRFP may have closed first
                }
            }
        }
        chatListener.close();
        floorListener.close();
    }

    private boolean closed;
}
