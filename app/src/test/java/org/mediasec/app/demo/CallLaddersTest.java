package org.mediasec.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Calls run at once, each drawn on its own ladder: the H.248 that creates a context belongs to the call that holds the
 * set-up, and everything that names that context afterwards to the same call, whatever the order of the messages.
 */
class CallLaddersTest {

    private static final InetSocketAddress GATEWAY = new InetSocketAddress("127.0.0.1", 2945);
    private static final InetSocketAddress OTHER_GATEWAY = new InetSocketAddress("127.0.0.1", 2946);
    private static final List<String> LIFELINES = List.of(DemoNetwork.UE_A, DemoNetwork.ALG, DemoNetwork.AGW, DemoNetwork.UE_B);

    private final CallLadders ladders = new CallLadders();
    private final Ladder first = new Ladder(LIFELINES);
    private final Ladder second = new Ladder(LIFELINES);

    @Test
    void eachCallsContextAndEverythingThatNamesItAfterwardsIsDrawnOnItsOwnLadder() {
        try (CallLadders.SetUp setUp = ladders.setUp("call-1", first)) {
            sent(GATEWAY, add(10));
            received(GATEWAY, addReply(10, 7));
        }
        try (CallLadders.SetUp setUp = ladders.setUp("call-2", second)) {
            sent(GATEWAY, add(11));
            received(GATEWAY, addReply(11, 8));
        }
        // from here the two calls interleave: neither holds the set-up
        sent(GATEWAY, modify(12, 8));
        sent(GATEWAY, modify(13, 7));
        received(GATEWAY, notify(900, 7));
        received(GATEWAY, reply(12, 8, "Modify"));
        received(GATEWAY, notify(901, 8));
        received(GATEWAY, reply(13, 7, "Modify"));
        sent(GATEWAY, reply(900, 7, "Notify"));
        sent(GATEWAY, reply(901, 8, "Notify"));
        sent(GATEWAY, subtract(14, 8));
        received(GATEWAY, reply(14, 8, "Subtract"));

        assertThat(first.labels(DemoNetwork.ALG, DemoNetwork.AGW)).containsExactly("Add ip/$ [C=$]", "Modify ip/1 [C=7]", "Reply Notify ip/1 [C=7]");
        assertThat(first.labels(DemoNetwork.AGW, DemoNetwork.ALG)).containsExactly("Reply Add ip/1 [C=7]", "Notify ip/1 tcpbcc/estab [C=7]",
                "Reply Modify ip/1 [C=7]");
        assertThat(second.labels(DemoNetwork.ALG, DemoNetwork.AGW)).containsExactly("Add ip/$ [C=$]", "Modify ip/1 [C=8]", "Reply Notify ip/1 [C=8]",
                "Subtract ip/1 [C=8]");
        assertThat(second.labels(DemoNetwork.AGW, DemoNetwork.ALG)).containsExactly("Reply Add ip/1 [C=8]", "Reply Modify ip/1 [C=8]",
                "Notify ip/1 tcpbcc/estab [C=8]", "Reply Subtract ip/1 [C=8]");
    }

    @Test
    void aReplyToAnAddFindsItsCallByTransactionEvenAfterTheSetUpEndedAndPerGateway() {
        CallLadders.SetUp setUp = ladders.setUp("call-1", first);
        sent(GATEWAY, add(20));
        setUp.close();
        try (CallLadders.SetUp other = ladders.setUp("call-2", second)) {
            sent(OTHER_GATEWAY, add(20)); // the same transaction ID towards another gateway
            received(GATEWAY, addReply(20, 3));
            received(OTHER_GATEWAY, addReply(20, 3)); // and the same context ID there
        }
        assertThat(first.labels(DemoNetwork.AGW, DemoNetwork.ALG)).containsExactly("Reply Add ip/1 [C=3]");
        assertThat(second.labels(DemoNetwork.AGW, DemoNetwork.ALG)).containsExactly("Reply Add ip/1 [C=3]");
    }

    @Test
    void aMessageCarryingTwoCallsTransactionsIsSplitAndBookkeepingIsDrawnNowhere() {
        try (CallLadders.SetUp setUp = ladders.setUp("call-1", first)) {
            sent(GATEWAY, add(30));
            received(GATEWAY, addReply(30, 5));
        }
        try (CallLadders.SetUp setUp = ladders.setUp("call-2", second)) {
            sent(GATEWAY, add(31));
            received(GATEWAY, addReply(31, 6));
        }
        received(GATEWAY, """
                MEGACO/3 [127.0.0.1]:2945
                Reply = 32 { Context = 5 { Modify = ip/1 } }
                Reply = 33 { Context = 6 { Modify = ip/1 } }
                Reply = 34 { Context = 5 { Subtract = ip/1 } }
                """);
        received(GATEWAY, "MEGACO/3 [127.0.0.1]:2945\nTransaction = 901 { Context = - { ServiceChange = ROOT { Services { Method = Restart } } } }\n");
        received(GATEWAY, "MEGACO/3 [127.0.0.1]:2945\nPending = 31 { }\n");
        sent(GATEWAY, "MEGACO/3 [127.0.0.1]:2944\nTransactionResponseAck { 30-31 }\n");
        assertThat(first.labels(DemoNetwork.AGW, DemoNetwork.ALG)).containsExactly("Reply Add ip/1 [C=5]", "Reply Modify ip/1 [C=5] | Reply Subtract ip/1 [C=5]");
        assertThat(second.labels(DemoNetwork.AGW, DemoNetwork.ALG)).containsExactly("Reply Add ip/1 [C=6]", "Reply Modify ip/1 [C=6]");
        assertThat(first.labels(DemoNetwork.ALG, DemoNetwork.AGW)).containsExactly("Add ip/$ [C=$]");
        assertThat(second.labels(DemoNetwork.ALG, DemoNetwork.AGW)).containsExactly("Add ip/$ [C=$]");
    }

    @Test
    void anAddOutsideAnySetUpIsClaimedByNoCall() {
        sent(GATEWAY, add(40));
        received(GATEWAY, addReply(40, 9));
        received(GATEWAY, notify(902, 9));
        assertThat(first.labels(DemoNetwork.ALG, DemoNetwork.AGW)).isEmpty();
        assertThat(first.labels(DemoNetwork.AGW, DemoNetwork.ALG)).isEmpty();
    }

    @Test
    void theSetUpIsOneCallsAtATimeAndClosingItTwiceIsClosingItOnce() throws Exception {
        CallLadders.SetUp held = ladders.setUp("call-1", first);
        CompletableFuture<Thread> waiting = new CompletableFuture<>();
        CompletableFuture<Void> entered = new CompletableFuture<>();
        Thread other = Thread.ofPlatform().start(() -> {
            waiting.complete(Thread.currentThread());
            try (CallLadders.SetUp setUp = ladders.setUp("call-2", second)) {
                entered.complete(null);
            }
        });
        Thread thread = waiting.get(10, TimeUnit.SECONDS);
        // wait for the event (the other set-up parked on the gate), then show it did not get in
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (thread.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(thread.getState()).isEqualTo(Thread.State.WAITING);
        assertThat(entered).isNotDone();
        sent(GATEWAY, add(50));
        held.close();
        held.close();
        entered.get(10, TimeUnit.SECONDS);
        other.join(10_000);
        received(GATEWAY, addReply(50, 4));
        assertThat(first.labels(DemoNetwork.AGW, DemoNetwork.ALG)).containsExactly("Reply Add ip/1 [C=4]");
        // the gate is free again, for this thread too
        try (CallLadders.SetUp again = ladders.setUp("call-3", second)) {
            sent(GATEWAY, add(51));
        }
        assertThat(second.labels(DemoNetwork.ALG, DemoNetwork.AGW)).containsExactly("Add ip/$ [C=$]");
    }

    private void sent(InetSocketAddress gateway, String text) {
        ladders.draw(true, gateway, text.getBytes(StandardCharsets.UTF_8), DemoNetwork.ALG, DemoNetwork.AGW);
    }

    private void received(InetSocketAddress gateway, String text) {
        ladders.draw(false, gateway, text.getBytes(StandardCharsets.UTF_8), DemoNetwork.ALG, DemoNetwork.AGW);
    }

    private static String add(long transaction) {
        return "MEGACO/3 [127.0.0.1]:2944\nTransaction = " + transaction + " { Context = $ { Add = ip/$ } }\n";
    }

    private static String addReply(long transaction, long context) {
        return reply(transaction, context, "Add");
    }

    private static String reply(long transaction, long context, String command) {
        return "MEGACO/3 [127.0.0.1]:2945\nReply = " + transaction + " { Context = " + context + " { " + command + " = ip/1 } }\n";
    }

    private static String modify(long transaction, long context) {
        return "MEGACO/3 [127.0.0.1]:2944\nTransaction = " + transaction + " { Context = " + context + " { Modify = ip/1 } }\n";
    }

    private static String subtract(long transaction, long context) {
        return "MEGACO/3 [127.0.0.1]:2944\nTransaction = " + transaction + " { Context = " + context + " { Subtract = ip/1 } }\n";
    }

    private static String notify(long transaction, long context) {
        return "MEGACO/3 [127.0.0.1]:2945\nTransaction = " + transaction + " { Context = " + context
                + " { Notify = ip/1 { ObservedEvents = 1 { tcpbcc/estab } } } }\n";
    }
}
