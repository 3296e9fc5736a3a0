package org.mediasec.it.bench.callrate;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.mediasec.h248stack.transaction.TransactionTimers;
import org.mediasec.ng.BencodeEncoder;
import org.mediasec.ng.NgCookie;
import org.mediasec.ng.NgFraming;
import org.mediasec.ng.NgLimits;
import org.mediasec.ng.NgList;
import org.mediasec.ng.NgParseException;
import org.mediasec.ng.message.NgKeys;
import org.mediasec.ng.message.NgMessageException;
import org.mediasec.ng.message.NgParameters;
import org.mediasec.ng.message.NgReplies;
import org.mediasec.ng.message.NgReply;
import org.mediasec.ng.message.NgRequest;
import org.mediasec.ng.message.NgRequestWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ng client over UDP, as Kamailio's rtpengine module is one, on the project's ng codec (module {@code ng}: typed
 * requests and replies, bencode, cookie framing): each request has a fresh cookie, its reply is matched by the cookie, and an unanswered request is sent again with the same cookie (rtpengine answers a repeated cookie
 * from its cache without running the command twice). Like Kamailio, whose every worker process has a socket of its
 * own to the media anchor, it sends from {@link #SOURCES} sockets (requests round robin, a retransmission from the
 * socket of its first sending): a proxy's load arrives from several sources, not from one. The retransmission timers are our H.248 requester's (H.248.1
 * Annex D.1.3: first after 0.5 s, doubling up to 4 s, given up after 30 s), so that both systems under test meet the
 * same patience.
 *
 * <p>Thread rule: {@link #request} from any thread (the pending table is concurrent, a datagram channel sends from
 * several threads); replies are read (one selector over every socket) and futures completed on the receiver thread;
 * retransmission state belongs to the sweeper thread alone.
 */
final class NgClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NgClient.class);
    private static final TransactionTimers TIMERS = TransactionTimers.DEFAULT;
    /** How often unanswered requests are looked at: a tenth of the first retransmission interval. */
    private static final Duration SWEEP = TIMERS.initialRetransmission().dividedBy(10);
    /** Largest ng datagram rtpengine sends (a UDP payload's limit). */
    private static final int MAX_DATAGRAM = 65_535;
    private static final int RECEIVE_BUFFER = 1 << 20;
    /** Sockets, as a Kamailio with 16 workers (its children's default in many packaged configurations is 8 to 16). */
    static final int SOURCES = 16;

    private final DatagramChannel[] channels;
    private final java.nio.channels.Selector selector;
    private final AtomicLong nextChannel = new AtomicLong();
    private final String cookiePrefix;
    private final AtomicLong cookies = new AtomicLong();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Thread receiver;
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(runnable -> Thread.ofPlatform().daemon()
            .name("ng-retransmissions").unstarted(runnable));

    /** An unanswered request; {@code nextSend} and {@code interval} are the sweeper's. */
    private static final class Pending {
        final DatagramChannel channel;
        final byte[] datagram;
        final CompletableFuture<NgReply> reply = new CompletableFuture<>();
        final long giveUpAt;
        long nextSend;
        long interval;

        Pending(DatagramChannel channel, byte[] datagram, long now) {
            this.channel = channel;
            this.datagram = datagram;
            this.interval = TIMERS.initialRetransmission().toNanos();
            this.nextSend = now + interval;
            this.giveUpAt = now + TIMERS.longTimer().toNanos();
        }
    }

    NgClient(InetSocketAddress rtpengine) throws IOException {
        this.cookiePrefix = Long.toString(ProcessHandle.current().pid(), 36) + "-" + Long.toString(System.nanoTime() & 0xFFFFFF, 36) + "-";
        this.selector = java.nio.channels.Selector.open();
        this.channels = new DatagramChannel[SOURCES];
        for (int i = 0; i < SOURCES; i++) {
            DatagramChannel channel = DatagramChannel.open();
            channel.setOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER);
            channel.bind(new InetSocketAddress(rtpengine.getAddress(), 0));
            channel.connect(rtpengine);
            channel.configureBlocking(false);
            channel.register(selector, java.nio.channels.SelectionKey.OP_READ);
            channels[i] = channel;
        }
        this.receiver = Thread.ofPlatform().daemon().name("ng-replies").start(this::receive);
        sweeper.scheduleWithFixedDelay(this::sweep, SWEEP.toNanos(), SWEEP.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Sends {@code request}; completes with its reply, or fails with a CallFailure "{command}: no reply". */
    CompletableFuture<NgReply> request(NgRequest request) {
        String cookie = cookiePrefix + cookies.incrementAndGet();
        byte[] datagram = NgFraming.frame(new NgCookie(cookie), BencodeEncoder.encode(NgRequestWriter.write(request)));
        Pending waiting = new Pending(channels[(int) Math.floorMod(nextChannel.getAndIncrement(), (long) SOURCES)], datagram, System.nanoTime());
        pending.put(cookie, waiting);
        send(waiting);
        return waiting.reply.exceptionallyCompose(failure -> CompletableFuture.failedFuture(
                new CallFailure(request.command() + ": no reply", CallFailure.unwrap(failure).getMessage(), failure)));
    }

    /** One command of a call; a reply other than ok is a failed call of kind "{command}: {result} ({reason})". */
    CompletableFuture<NgReply.Ok> ok(NgRequest request) {
        return request(request).thenApply(reply -> switch (reply) {
            case NgReply.Ok ok -> ok;
            case NgReply.Error error -> throw new CallFailure(request.command() + ": error (" + error.reason() + ")", reply.toString());
            case NgReply.LoadLimit limit -> throw new CallFailure(request.command() + ": load limit", reply.toString());
            case NgReply.Pong pong -> throw new CallFailure(request.command() + ": pong", "pong to a " + request.command());
        });
    }

    /** The calls the peer still holds ({@code list}, up to {@code limit} of them). */
    CompletableFuture<Integer> calls(int limit) {
        return ok(new NgRequest.ListCalls(NgParameters.builder().limit(limit).build()))
                .thenApply(ok -> ok.fields().get(NgKeys.CALLS) instanceof NgList calls ? calls.items().size() : 0);
    }

    private void send(Pending waiting) {
        try {
            waiting.channel.write(ByteBuffer.wrap(waiting.datagram));
        } catch (IOException e) {
            // a full socket buffer or a refused port (rtpengine gone): the retransmission timer decides
            LOG.debug("ng send failed: {}", e.toString());
        }
    }

    private void receive() {
        ByteBuffer buffer = ByteBuffer.allocate(MAX_DATAGRAM);
        while (selector.isOpen()) {
            try {
                selector.select();
                for (java.nio.channels.SelectionKey key : selector.selectedKeys()) {
                    DatagramChannel channel = (DatagramChannel) key.channel();
                    while (true) {
                        buffer.clear();
                        try {
                            if (channel.read(buffer) <= 0) {
                                break;
                            }
                        } catch (java.net.PortUnreachableException e) {
                            LOG.debug("ng receive failed: {}", e.toString()); // e.g. ICMP port unreachable while rtpengine restarts
                            continue;
                        }
                        deliver(Arrays.copyOf(buffer.array(), buffer.position()));
                    }
                }
                selector.selectedKeys().clear();
            } catch (ClosedChannelException | java.nio.channels.ClosedSelectorException closed) {
                return;
            } catch (IOException e) {
                LOG.debug("ng receive failed: {}", e.toString());
            }
        }
    }

    private void deliver(byte[] datagram) {
        String cookie;
        NgReply reply;
        try {
            NgFraming.Framed framed = NgFraming.split(datagram);
            cookie = framed.cookie().value();
            reply = NgReplies.read(framed.document(NgLimits.DEFAULT).dictionary());
        } catch (NgParseException | NgMessageException e) {
            LOG.warn("rtpengine sent an ng reply that does not parse ({}): {}", e.getMessage(), new String(datagram, 0,
                    Math.min(datagram.length, 200), java.nio.charset.StandardCharsets.ISO_8859_1));
            return;
        }
        Pending answered = pending.remove(cookie);
        if (answered != null) {
            answered.reply.complete(reply); // a late duplicate finds nothing: its request was answered already
        }
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Iterator<Map.Entry<String, Pending>> entries = pending.entrySet().iterator(); entries.hasNext(); ) {
            Map.Entry<String, Pending> entry = entries.next();
            Pending waiting = entry.getValue();
            if (now - waiting.giveUpAt >= 0) {
                if (pending.remove(entry.getKey(), waiting)) {
                    waiting.reply.completeExceptionally(new IOException("no reply within " + TIMERS.longTimer().toSeconds() + " s"));
                }
            } else if (now - waiting.nextSend >= 0) {
                send(waiting);
                waiting.interval = Math.min(waiting.interval * 2, TIMERS.maxRetransmission().toNanos());
                waiting.nextSend = now + waiting.interval;
            }
        }
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        try {
            for (DatagramChannel channel : channels) {
                channel.close();
            }
            selector.close();
            receiver.join(Duration.ofSeconds(5));
        } catch (IOException e) {
            LOG.debug("closing the ng channel: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pending.values().forEach(waiting -> waiting.reply.completeExceptionally(new IOException("client closed")));
    }
}
