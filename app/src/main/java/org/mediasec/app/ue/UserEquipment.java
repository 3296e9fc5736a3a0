package org.mediasec.app.ue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.mediasec.bearer.tls.CertificateFingerprint;
import org.mediasec.bearer.tls.SelfSignedCertificate;
import org.mediasec.msrp.MsrpDecoder;
import org.mediasec.msrp.MsrpFrameHead;
import org.mediasec.msrp.MsrpParseException;
import org.mediasec.msrp.MsrpStartLine;
import org.mediasec.msrp.MsrpUri;
import org.mediasec.msrp.session.MsrpSession;
import org.mediasec.msrp.session.MsrpSessionListener;
import org.mediasec.sdp.Fingerprint;
import org.mediasec.sdp.MediaDescription;
import org.mediasec.sdp.SdpParseException;
import org.mediasec.sdp.SdpParser;
import org.mediasec.sdp.SessionDescription;
import org.mediasec.sdp.Setup;

/**
 * A simulated UE with one MSRP (or BFCP) stream over TCP or TLS on 127.0.0.1: it writes its SDP offer or answer
 * (RFC 4975 8, RFC 4145, RFC 8122 fingerprint of its own generated certificate, a=3ge2ae, a=msrp-cema), connects
 * or accepts as a=setup says, runs TLS with the TCP client as TLS client for MSRP (for BFCP: the offerer, RFC 4583),
 * checks the peer's certificate against the peer's SDP fingerprint, and then chats through an {@link MsrpSession}.
 */
public final class UserEquipment implements AutoCloseable {

    /** A message received. */
    public record Received(String messageId, String contentType, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private static final int TEXT_CHUNK = 2048;
    private static final int FILE_CHUNK = 16 * 1024;
    private static final long MAX_MESSAGE = 64L << 20;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final UeOptions options;
    private final UeTrace trace;
    private final SelfSignedCertificate certificate;
    private final SSLContext tls;
    private final ServerSocket listener;
    private final WireRecorder wire = new WireRecorder(16L << 20);
    private final String sessionId;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    /** The head of every MSRP frame received, in order (what the peer's paths were). */
    private final List<MsrpFrameHead> framesReceived = new CopyOnWriteArrayList<>();
    private final ByteBuffer rawReceived = ByteBuffer.allocate(1 << 20);
    private final CompletableFuture<Void> connected = new CompletableFuture<>();
    private final CompletableFuture<String> closed = new CompletableFuture<>();
    private final CompletableFuture<Integer> sentAtOnce = new CompletableFuture<>();
    private volatile Socket socket;
    private volatile OutputStream output;
    private volatile MsrpSession session;
    private SessionDescription local;
    private boolean offerer;

    public UserEquipment(UeOptions options, UeTrace trace) throws IOException {
        this.options = options;
        this.trace = trace;
        this.certificate = SelfSignedCertificate.generate(options.name(), Duration.ofDays(1));
        // the impostor's handshake certificate is not the one whose fingerprint its SDP carries (TLS-4)
        this.tls = options.tls() ? UeTls.context(options.impostor() ? SelfSignedCertificate.generate(options.name(), Duration.ofDays(1)) : certificate) : null;
        this.listener = wire.serverSocket();
        listener.setReuseAddress(true);
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.sessionId = HexFormat.of().formatHex(new SecureRandom().generateSeed(6));
    }

    public String name() {
        return options.name();
    }

    public UeOptions options() {
        return options;
    }

    /** The UE's certificate fingerprint, as its SDP carries it. */
    public Fingerprint fingerprint() {
        CertificateFingerprint own = CertificateFingerprint.of("sha-256", certificate.certificate());
        return Fingerprint.parse(own.hashFunction() + " " + own.value(), new String[1]).orElseThrow();
    }

    /** The port the UE listens on (when it is the passive end). */
    public int port() {
        return listener.getLocalPort();
    }

    // ---- SDP ------------------------------------------------------------------------------------------------

    public SessionDescription offer() {
        offerer = true;
        local = sdp(options.offerSetup());
        return local;
    }

    public SessionDescription answer(SessionDescription offer) {
        offerer = false;
        Setup offered = offer.media().get(0).setup().orElse(Setup.ACTIVE); // RFC 4145 4.1
        local = sdp(offered.answerTo(options.answerSetup()));
        return local;
    }

    private SessionDescription sdp(Setup setup) {
        boolean msrp = options.application().equals("MSRP");
        String transport = "TCP/" + (options.tls() ? "TLS/" : "") + options.application();
        StringBuilder text = new StringBuilder("v=0\r\no=").append(options.name()).append(' ').append(System.nanoTime() & 0xffffffL)
                .append(" 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n")
                .append(msrp ? "m=message " : "m=application ").append(setup == Setup.ACTIVE ? 9 : port()).append(' ').append(transport).append(" *\r\n")
                .append("a=setup:").append(setup.token()).append("\r\n")
                .append("a=connection:new\r\n");
        if (options.tls()) {
            text.append("a=fingerprint:").append(fingerprint().attributeValue()).append("\r\n");
        }
        if (options.requestE2ae()) {
            text.append("a=3ge2ae:requested\r\n");
        }
        if (msrp) {
            text.append("a=accept-types:text/plain application/octet-stream message/cpim\r\n")
                    .append("a=path:").append(ownUri()).append("\r\n");
            if (options.cema()) {
                text.append("a=msrp-cema\r\n");
            }
        } else {
            text.append("a=floorctrl:c-only\r\na=confid:1\r\na=userid:").append(options.name()).append("\r\na=floorid:1 mstrm:1\r\n");
        }
        try {
            return SdpParser.parse(text.toString());
        } catch (SdpParseException e) {
            throw new IllegalStateException("our own SDP does not parse: " + e.getMessage(), e);
        }
    }

    /** Its own MSRP URI, as its SDP's a=path announces it. */
    public MsrpUri msrpUri() {
        return ownUri();
    }

    private MsrpUri ownUri() {
        return MsrpUri.of(options.tls(), "127.0.0.1", port(), sessionId);
    }

    // ---- connection -----------------------------------------------------------------------------------------

    /**
     * Starts the stream once the SDP exchange is done: {@code peer} is the answer (when this UE offered) or the
     * offer (when it answered). Completes when TCP, TLS and the fingerprint check are done.
     */
    public CompletableFuture<Void> start(SessionDescription peer) {
        MediaDescription ours = local.media().get(0);
        MediaDescription theirs = peer.media().get(0);
        Setup own = ours.setup().orElseThrow();
        if (own == Setup.ACTPASS) {
            own = theirs.setup().orElse(Setup.PASSIVE).answerTo(Setup.PASSIVE); // the answer decided (RFC 4145 4.1)
        }
        boolean active = own == Setup.ACTIVE;
        // a platform thread, as ConferenceUe's readers (why: there): it ends when the connection does
        Thread.ofPlatform().daemon().name("ue-" + options.name()).start(() -> {
            try {
                open(peer, theirs, active);
            } catch (Exception e) {
                trace.event(options.name(), UeTrace.Kind.ERROR, false, "", e.getMessage());
                connected.completeExceptionally(e);
                closeQuietly();
            }
        });
        return connected;
    }

    private void open(SessionDescription peer, MediaDescription theirs, boolean active) throws IOException, MsrpParseException {
        // the MSRP session is made before the connection, so that an impostor's first write follows its handshake at once
        MsrpSession msrp = null;
        if (options.application().equals("MSRP")) {
            List<MsrpUri> peerPath = new ArrayList<>();
            for (String uri : theirs.path()) {
                peerPath.add(MsrpUri.parse(uri));
            }
            if (peerPath.isEmpty()) {
                throw new IOException("the peer's SDP has no a=path (RFC 4975 8.1)");
            }
            msrp = new MsrpSession(List.of(ownUri()), peerPath, options.matching(), MAX_MESSAGE, this::write, new SessionEvents());
        }
        MsrpSession attacking = options.impostor() && options.tls() ? msrp : null;
        Socket plain;
        WireRecorder.Corked corked = null;
        if (active) {
            InetSocketAddress target = target(peer, theirs);
            if (attacking != null) {
                corked = wire.corkedSocket();
                plain = corked.socket();
            } else {
                plain = wire.socket();
            }
            plain.connect(target, (int) CONNECT_TIMEOUT.toMillis());
            trace.event(options.name(), UeTrace.Kind.TCP, true, address(target), "TCP connected to " + address(target));
        } else {
            listener.setSoTimeout((int) CONNECT_TIMEOUT.toMillis());
            plain = listener.accept();
            trace.event(options.name(), UeTrace.Kind.TCP, false, address((InetSocketAddress) plain.getRemoteSocketAddress()),
                    "TCP accepted from " + address((InetSocketAddress) plain.getRemoteSocketAddress()));
        }
        plain.setTcpNoDelay(true);
        socket = plain;
        if (options.tls()) {
            boolean client = options.application().equals("MSRP") ? active : offerer;
            SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(plain, plain.getInetAddress().getHostAddress(), plain.getPort(), true);
            secure.setUseClientMode(client);
            if (!client) {
                secure.setNeedClientAuth(true);
            }
            socket = secure;
            secure.startHandshake();
            if (attacking != null) {
                // TLS 1.3: our side of the handshake is over before the gateway has judged our certificate; the message
                // leaves in the same write as our Finished (corked), so it is on the wire before any verdict can be
                output = socket.getOutputStream();
                attackAtOnce(attacking, corked);
            }
            java.security.cert.Certificate[] chain = secure.getSession().getPeerCertificates();
            List<Fingerprint> expected = peer.fingerprints(theirs);
            boolean matches = !expected.isEmpty() && expected.stream().anyMatch(f -> {
                String value = f.attributeValue();
                return CertificateFingerprint.parse(f.hashFunction(), value.substring(value.indexOf(' ') + 1))
                        .matches((java.security.cert.X509Certificate) chain[0]);
            });
            if (!matches) {
                throw new IOException("the peer's certificate does not match the fingerprint of its SDP (RFC 8122 5)");
            }
            trace.event(options.name(), UeTrace.Kind.TLS, client, "", "TLS " + secure.getSession().getProtocol() + " established as "
                    + (client ? "client" : "server") + ", peer fingerprint checked");
        }
        output = socket.getOutputStream();
        if (msrp != null) {
            session = msrp;
            if (options.impostor() && attacking == null) {
                attackAtOnce(session, null); // no TLS: nothing to race
            }
        }
        connected.complete(null);
        read(socket.getInputStream());
    }

    /**
     * The impostor writes a message before it reads anything: with TLS 1.3 the client's side of the handshake is over
     * before the server has checked the client's certificate, so a gateway that relayed before its fingerprint check
     * would pass this on to the other UE (TLS-4, TLS-13).
     */
    private void attackAtOnce(MsrpSession msrp, WireRecorder.Corked corked) {
        byte[] text = "sent before the verdict on my certificate".getBytes(StandardCharsets.UTF_8);
        try {
            msrp.send("text/plain", text, TEXT_CHUNK, false);
            if (corked != null) {
                corked.release(); // written now, with the handshake's last flight
            }
            sentAtOnce.complete(text.length);
        } catch (UncheckedIOException e) {
            sentAtOnce.completeExceptionally(e.getCause());
        } catch (IOException e) {
            sentAtOnce.completeExceptionally(e);
        }
    }

    /** RFC 6714: a CEMA endpoint connects to c=/m= when the peer supports CEMA; otherwise to its a=path (RFC 4975 8.1). */
    private InetSocketAddress target(SessionDescription peer, MediaDescription theirs) throws IOException, MsrpParseException {
        if (options.application().equals("MSRP") && !(options.cema() && theirs.msrpCema()) && !theirs.path().isEmpty()) {
            MsrpUri uri = MsrpUri.parse(theirs.path().get(theirs.path().size() - 1));
            return new InetSocketAddress(InetAddress.getByName(uri.host()), uri.port().orElseThrow(() -> new IOException("a=path without a port")));
        }
        String connection = peer.connectionData(theirs).orElseThrow(() -> new IOException("the peer's SDP has no c="));
        String[] parts = connection.trim().split("\\s+");
        return new InetSocketAddress(InetAddress.getByName(parts[parts.length - 1]), theirs.mediaLine().portNumber().orElseThrow());
    }

    private void read(InputStream input) {
        MsrpDecoder decoder = new MsrpDecoder();
        byte[] buffer = new byte[64 * 1024];
        String why = "closed by the peer";
        try {
            int n;
            while ((n = input.read(buffer)) >= 0) {
                if (session != null) {
                    decoder.decode(ByteBuffer.wrap(buffer, 0, n), session);
                } else {
                    synchronized (rawReceived) {
                        rawReceived.put(buffer, 0, Math.min(n, rawReceived.remaining()));
                        rawReceived.notifyAll();
                    }
                    trace.event(options.name(), UeTrace.Kind.BFCP, false, "", "received " + n + " bytes");
                }
            }
        } catch (MsrpParseException e) {
            why = "MSRP from the peer does not parse: " + e.getMessage();
        } catch (IOException e) {
            why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        if (session != null) {
            session.closed(why);
        }
        trace.event(options.name(), UeTrace.Kind.TCP, false, "", "connection ended: " + why);
        closed.complete(why);
        closeQuietly();
    }

    private void write(byte[] frame) {
        try {
            output.write(frame);
            output.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private final class SessionEvents implements MsrpSessionListener {
        @Override
        public void onMessage(String messageId, String contentType, byte[] body) {
            received.add(new Received(messageId, contentType, body));
            synchronized (received) {
                received.notifyAll();
            }
        }

        @Override
        public void onFrame(boolean sent, MsrpFrameHead head, long bodyBytes) {
            if (!sent) {
                framesReceived.add(head);
            }
            String what = switch (head.startLine()) {
                case MsrpStartLine.Request request -> request.method() + head.byteRange().map(range -> " " + range).orElse("")
                        + (request.method().equals("REPORT") ? head.header("Status").map(s -> " " + s).orElse("") : "");
                case MsrpStartLine.Response response -> response.statusCode() + response.comment().map(c -> " " + c).orElse("");
            };
            trace.event(options.name(), UeTrace.Kind.MSRP, sent, "", what);
        }
    }

    // ---- use ------------------------------------------------------------------------------------------------

    public CompletableFuture<Void> connected() {
        return connected;
    }

    /** Completes with why the connection ended. */
    public CompletableFuture<String> closed() {
        return closed;
    }

    /** An impostor's message written as soon as its TLS handshake was done on its side: completes with its body's length once written. */
    public CompletableFuture<Integer> sentAtOnce() {
        return sentAtOnce;
    }

    public CompletableFuture<Void> sendText(String text) {
        return msrp().send("text/plain", text.getBytes(StandardCharsets.UTF_8), TEXT_CHUNK, false);
    }

    /** A file as one message in chunks, with a Success REPORT asked for. */
    public CompletableFuture<Void> sendFile(byte[] content) {
        return sendFile(content, FILE_CHUNK);
    }

    /** As {@link #sendFile(byte[])}, in chunks of at most {@code chunkSize} bytes (a relay on the path may take no more). */
    public CompletableFuture<Void> sendFile(byte[] content, int chunkSize) {
        return msrp().send("application/octet-stream", content, chunkSize, true);
    }

    /** Bytes on a BFCP stream (no BFCP codec yet: bytes only). */
    public void sendRaw(byte[] bytes) {
        write(bytes);
        trace.event(options.name(), UeTrace.Kind.BFCP, true, "", "sent " + bytes.length + " bytes");
    }

    private MsrpSession msrp() {
        MsrpSession current = session;
        if (current == null) {
            throw new IllegalStateException(options.name() + " has no MSRP session (not connected, or not MSRP)");
        }
        return current;
    }

    /** The heads of the MSRP frames received so far: To-Path and From-Path as they reached this UE. */
    public List<MsrpFrameHead> framesReceived() {
        return List.copyOf(framesReceived);
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    /** Waits until {@code count} messages have arrived. */
    public List<Received> awaitMessages(int count, Duration timeout) throws InterruptedException, TimeoutException {
        await(received, () -> received.size() >= count, () -> "messages: " + received.size() + " of " + count, timeout);
        return received();
    }

    /** Waits until {@code count} raw bytes have arrived; returns them. */
    public byte[] awaitRaw(int count, Duration timeout) throws InterruptedException, TimeoutException {
        await(rawReceived, () -> rawReceived.position() >= count, () -> "bytes: " + rawReceived.position() + " of " + count, timeout);
        synchronized (rawReceived) {
            return java.util.Arrays.copyOf(rawReceived.array(), rawReceived.position());
        }
    }

    /** Waits on {@code monitor} (notified when something arrives) until {@code done}. */
    private void await(Object monitor, java.util.function.BooleanSupplier done, java.util.function.Supplier<String> progress, Duration timeout)
            throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (monitor) {
            while (!done.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException(options.name() + " received " + progress.get());
                }
                TimeUnit.NANOSECONDS.timedWait(monitor, left);
            }
        }
    }

    private static String address(InetSocketAddress address) {
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    private void closeQuietly() {
        try {
            Socket current = socket;
            if (current != null) {
                current.close();
            }
            listener.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public void close() {
        closeQuietly();
    }

    /** What went over the UE's TCP connection (below TLS), for captures. */
    public WireRecorder wire() {
        return wire;
    }

    public Optional<Socket> socket() {
        return Optional.ofNullable(socket);
    }
}
