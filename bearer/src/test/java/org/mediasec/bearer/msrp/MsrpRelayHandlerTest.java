package org.mediasec.bearer.msrp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mediasec.msrp.MsrpLimits;
import org.mediasec.msrp.MsrpUri;
import org.mediasec.msrp.relay.MsrpPathRewrite;

/**
 * The two hooks of an aware pair, each on a channel of its own, driven read by read so that the order of events is
 * exact: where a 481 for one leg's peer lands in the other direction's output (GW-6; RFC 4975 7.3). A unit test: the
 * socket-level proof is {@code MsrpAwareRelayTest}.
 */
class MsrpRelayHandlerTest {

    private static final MsrpUri GATEWAY_TOWARDS_UE = MsrpUri.of(false, "192.0.2.1", 5000, "gw-ue");
    private static final MsrpUri GATEWAY_TOWARDS_CORE = MsrpUri.of(false, "198.51.100.1", 6000, "gw-core");
    private static final MsrpUri UE = MsrpUri.of(false, "203.0.113.5", 8000, "ue");
    private static final MsrpUri CORE = MsrpUri.of(false, "198.51.100.9", 7000, "core");
    private static final MsrpLimits LIMITS = new MsrpLimits(4096, 64, 1 << 20);

    private MsrpRelayHandler atUe;
    private MsrpRelayHandler atCore;
    /** The UE's leg: what its hook passes on is what the core receives. */
    private final EmbeddedChannel ueLeg = new EmbeddedChannel();
    /** The core's leg: what its hook passes on is what the UE receives. */
    private final EmbeddedChannel coreLeg = new EmbeddedChannel();

    MsrpRelayHandlerTest() {
        atUe = new MsrpRelayHandler(new MsrpPathRewrite(GATEWAY_TOWARDS_UE, List.of(CORE), List.of(GATEWAY_TOWARDS_CORE)), LIMITS,
                () -> Optional.of(atCore));
        atCore = new MsrpRelayHandler(new MsrpPathRewrite(GATEWAY_TOWARDS_CORE, List.of(UE), List.of(GATEWAY_TOWARDS_UE)), LIMITS,
                () -> Optional.of(atUe));
        ueLeg.pipeline().addLast(atUe);
        coreLeg.pipeline().addLast(atCore);
    }

    @AfterEach
    void close() {
        ueLeg.finishAndReleaseAll();
        coreLeg.finishAndReleaseAll();
    }

    @Test
    @Tag("GW-6")
    void a481WaitsWhileTheOtherDirectionIsInsideAFrameAndFollowsItsEndLine() {
        // the core's chunk arrives in two reads: after the first, its head and half its body have gone to the UE
        String chunk = "MSRP core1 SEND\r\nTo-Path: " + GATEWAY_TOWARDS_CORE + "\r\nFrom-Path: " + CORE
                + "\r\nMessage-ID: m1\r\nByte-Range: 1-10/10\r\nContent-Type: text/plain\r\n\r\n0123456789\r\n-------core1$\r\n";
        int middleOfBody = chunk.indexOf("01234") + 5;
        coreLeg.writeInbound(bytes(chunk.substring(0, middleOfBody)));
        // between the core's two reads the UE sends for a session that is not ours: its 481 must not split the chunk
        ueLeg.writeInbound(bytes("MSRP wrong1 SEND\r\nTo-Path: " + MsrpUri.of(false, "192.0.2.1", 5000, "stranger") + "\r\nFrom-Path: " + UE
                + "\r\nMessage-ID: x1\r\nByte-Range: 1-3/3\r\nContent-Type: text/plain\r\n\r\nabc\r\n-------wrong1$\r\n"));
        coreLeg.writeInbound(bytes(chunk.substring(middleOfBody)));

        String towardsUe = drain(coreLeg);
        String rewritten = chunk.replace(GATEWAY_TOWARDS_CORE.toString(), UE.toString()).replace(CORE.toString(), GATEWAY_TOWARDS_UE.toString());
        assertThat(towardsUe).startsWith(rewritten);
        assertThat(towardsUe.substring(rewritten.length())).startsWith("MSRP wrong1 481").endsWith("-------wrong1$\r\n");
        assertThat(drain(ueLeg)).as("nothing of the stray request reaches the core").isEmpty();
    }

    @Test
    @Tag("GW-6")
    void a481GoesAtOnceWhenTheOtherDirectionIsBetweenFrames() {
        ueLeg.writeInbound(bytes("MSRP wrong2 SEND\r\nTo-Path: " + MsrpUri.of(false, "192.0.2.1", 5000, "stranger") + "\r\nFrom-Path: " + UE
                + "\r\nMessage-ID: x2\r\nByte-Range: 1-3/3\r\nContent-Type: text/plain\r\n\r\nabc\r\n-------wrong2$\r\n"));
        assertThat(drain(coreLeg)).startsWith("MSRP wrong2 481").endsWith("-------wrong2$\r\n");
    }

    private static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    }

    /** What the leg's hook passed on to the relay handler, in order. */
    private static String drain(EmbeddedChannel leg) {
        StringBuilder passed = new StringBuilder();
        for (ByteBuf read = leg.readInbound(); read != null; read = leg.readInbound()) {
            passed.append(read.toString(StandardCharsets.US_ASCII));
            read.release();
        }
        return passed.toString();
    }
}
