package org.mediasec.gateway.mrfp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mediasec.msrp.MsrpUri;
import org.mediasec.msrp.conference.ConferenceMember;

/**
 * The MSRP focus's rule for a member that does not read (GW-8), as {@link FloorControlFocusTest} has it for BFCP: the
 * connection's queue passing its high-water mark releases the member at once, with nobody else in the conference to
 * write to it again; a queue that drains keeps it. A member released so leaves the conference: it may join again.
 */
class MsrpConferenceFocusTest {

    @Test
    @Tag("GW-8")
    void aMemberWhoseQueueFillsIsReleasedWithoutWaitingForTheConferencesNextWrite() {
        EmbeddedChannel connection = new EmbeddedChannel();
        MsrpConferenceFocus focus = new MsrpConferenceFocus(connection.eventLoop());
        joined(focus, connection, "alice");

        // what the writes to a member that does not read do to its connection: it becomes unwritable
        connection.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        connection.runPendingTasks();

        assertThat(connection.isOpen()).as("released when its queue filled, not at a next write that never comes").isFalse();
        // it left the conference: the same member may join again
        var again = focus.join(member("alice"));
        connection.runPendingTasks();
        assertThat(again).as("joined again").isCompletedWithValueMatching(handler -> handler != null);
        focus.close();
    }

    @Test
    @Tag("GW-8")
    void aQueueThatDrainsKeepsTheMember() {
        EmbeddedChannel connection = new EmbeddedChannel();
        MsrpConferenceFocus focus = new MsrpConferenceFocus(connection.eventLoop());
        joined(focus, connection, "alice");

        // the queue drained below its low-water mark: the change is signalled while the connection is writable
        connection.pipeline().fireChannelWritabilityChanged();
        connection.runPendingTasks();

        assertThat(connection.isOpen()).isTrue();
        focus.close();
    }

    /** {@code name} joined to {@code focus}, its handler active on {@code connection}. */
    private static void joined(MsrpConferenceFocus focus, EmbeddedChannel connection, String name) {
        var joined = focus.join(member(name));
        connection.runPendingTasks();
        Supplier<ChannelHandler> handler = joined.getNow(null);
        assertThat(handler).as("joined").isNotNull();
        connection.pipeline().addLast(handler.get());
        connection.pipeline().fireChannelActive();
        connection.runPendingTasks();
        assertThat(connection.isOpen()).isTrue();
    }

    private static ConferenceMember member(String name) {
        return new ConferenceMember(name, List.of(MsrpUri.of(false, "192.0.2.1", 40001, name)), MsrpUri.of(false, "192.0.2.9", 40009, "focus-" + name),
                List.of("*"), "<sip:" + name + "@example.org>");
    }
}
