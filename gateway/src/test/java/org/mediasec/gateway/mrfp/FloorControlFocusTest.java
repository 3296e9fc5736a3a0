package org.mediasec.gateway.mrfp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mediasec.bfcp.server.FloorControlServer;
import org.mediasec.bfcp.server.FloorPolicy;

/**
 * The focus's own rule for a participant that does not read (GW-8), without the race of the wire test in
 * {@code MrfpGatewayTest}: the connection's queue passing its high-water mark releases the participant at once,
 * whether or not it sends anything more (the relay below stops reading a connection that cannot take more).
 */
class FloorControlFocusTest {

    @Test
    @Tag("GW-8")
    void aParticipantWhoseQueueFillsIsReleasedWithoutWaitingForItsNextMessage() throws Exception {
        EmbeddedChannel connection = new EmbeddedChannel();
        FloorControlFocus focus = joined(connection);

        // what the writes to a peer that does not read do to the connection: it becomes unwritable
        connection.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        connection.runPendingTasks();

        assertThat(connection.isOpen()).as("released when its queue filled, not at a next write that never comes").isFalse();
        focus.close();
    }

    @Test
    @Tag("GW-8")
    void aQueueThatDrainsKeepsTheParticipant() throws Exception {
        EmbeddedChannel connection = new EmbeddedChannel();
        FloorControlFocus focus = joined(connection);

        // the queue drained below its low-water mark: the change is signalled while the connection is writable
        connection.pipeline().fireChannelWritabilityChanged();
        connection.runPendingTasks();

        assertThat(connection.isOpen()).isTrue();
        focus.close();
    }

    /** A focus on {@code connection}'s loop with user 33 joined and its handler active on {@code connection}. */
    private static FloorControlFocus joined(EmbeddedChannel connection) {
        FloorControlFocus focus = new FloorControlFocus(connection.eventLoop(), new FloorPolicy(9, Map.of(1, Optional.empty()), 16, 1));
        var joined = focus.join(new FloorControlServer.User(33, "", "t1"));
        connection.runPendingTasks();
        Supplier<ChannelHandler> participant = joined.getNow(null);
        assertThat(participant).isNotNull();
        connection.pipeline().addLast(participant.get());
        connection.pipeline().fireChannelActive();
        assertThat(connection.isOpen()).isTrue();
        return focus;
    }
}
