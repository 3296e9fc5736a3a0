package org.mediasec.it.megaco;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mediasec.it.megaco.MegacoCallText.add;
import static org.mediasec.it.megaco.MegacoCallText.firstPort;
import static org.mediasec.it.megaco.MegacoCallText.relays;
import static org.mediasec.it.megaco.MegacoCallText.reply;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mediasec.testsupport.RequiresPeer;
import org.mediasec.testsupport.WireTest;

/**
 * The primary MGC (an Erlang/OTP megaco escript) stopped with SIGSTOP in the middle of a call for longer than the
 * gateway's transaction timers, then continued with SIGCONT. Stopped, it answers nothing but keeps its socket, so the
 * gateway's Notifies go unanswered: after LONG-TIMER the gateway declares it lost (H.248.1 11.5) and registers with
 * the secondary (ServiceChange Failover, 909), the call's context and bearer kept. Continued, the primary works
 * through what waited in its socket (it answers the gateway's stale Notifies) and sends a command: the gateway,
 * now the secondary's, refuses it with 402 (SEC-1) and does not move back. The outcome is consistent: one loss, one
 * fail-over registration, no registration with the primary again, the bearer relaying throughout, and the secondary
 * owning the context (its Subtract releases it). Over UDP and over TCP (the gateway connects to each MGC; a stopped
 * MGC's kernel still takes the bytes into its socket, so no transport error comes: only LONG-TIMER, which holds over
 * TCP too, although nothing is retransmitted there, H.248.1 D.2).
 */
@RequiresPeer(command = "escript", debianPackage = "erlang-base")
@RequiresPeer(command = "erl", debianPackage = "erlang-megaco")
@RequiresPeer(command = "kill", debianPackage = "procps")
@Timeout(120)
class MgcStoppedTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Pattern CONTEXT = Pattern.compile("Context = (\\d+)");
    /** The gateway's LONG-TIMER (H.248.1 D.1.2) and provisioned inactivity timer (H.248.14 mit): loss found in about 3 s. */
    private static final Duration LONG_TIMER = Duration.ofSeconds(2);
    private static final Duration INACTIVITY = Duration.ofSeconds(1);
    /** The fail-over registration is seen within this of the stop (3 s of timers; the rest is a loaded machine). */
    private static final Duration FAILOVER_BOUND = Duration.ofSeconds(15);
    /** How long nothing more may happen once the primary runs again (no second loss, no registration): an inactivity Notify and its LONG-TIMER. */
    private static final Duration QUIET = LONG_TIMER.plus(INACTIVITY);
    private static final Duration PEER = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private Process gateway;

    @AfterEach
    void stop() throws InterruptedException {
        if (gateway != null) {
            gateway.destroy();
            if (!gateway.waitFor(20, TimeUnit.SECONDS)) {
                gateway.destroyForcibly();
            }
        }
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"udp", "tcp"})
    @Tag("H248-4")
    @WireTest
    void aPrimaryMgcStoppedBeyondTheTransactionTimersIsFailedOverOnceAndRefusedWhenItComesBack(String transport) throws Exception {
        int primaryPort = MegacoPeer.freePort();
        int secondaryPort = MegacoPeer.freePort();
        int bearer = 26000 + (int) (ProcessHandle.current().pid() % 500) * 10;
        try (MegacoPeer primary = MegacoPeer.start(dir, "mgc-driven", transport, Integer.toString(primaryPort));
                MegacoPeer secondary = MegacoPeer.start(Files.createDirectories(dir.resolve("secondary")), "mgc-driven", transport,
                        Integer.toString(secondaryPort));
                ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
            primary.await("ready", PEER);
            secondary.await("ready", PEER);
            gateway = gateway("""
                    control: { address: 127.0.0.1, port: %d, transport: %s, version: 1, longTimerMs: %d, inactivityTimeoutMs: %d }
                    mgcs: ["127.0.0.1:%d", "127.0.0.1:%d"]
                    realms: [ { name: access, address: 127.0.0.1, ports: %d-%d } ]
                    metrics: { port: 0 }
                    """.formatted(MegacoPeer.freePort(), transport, LONG_TIMER.toMillis(), INACTIVITY.toMillis(), primaryPort, secondaryPort, bearer, bearer + 9));
            assertThat(primary.await("registered", PEER)).contains("method=restart");
            // the escript says "registered" before it sends its reply: a command sent at once may reach the gateway
            // first, over TCP's one connection certainly, and be refused (402: not registered yet)
            Awaitility.await("the gateway registered").atMost(PEER).until(() -> gatewayLog().contains("registered with"));

            primary.send(line("Context = $ { " + add("TCP/MSRP", "active", 9, "") + ", " + add("TCP/MSRP", "passive", core.getLocalPort(), "") + " }"));
            String added = reply(primary.await("reply", PEER));
            Matcher context = CONTEXT.matcher(added);
            assertThat(context.find()).as("a context in %s", added).isTrue();
            try (Socket ue = new Socket(LOOPBACK, firstPort(added)); Socket coreSide = core.accept()) {
                ue.setSoTimeout(10_000);
                coreSide.setSoTimeout(10_000);
                relays(ue, coreSide, "before");

                long stoppedAt = System.nanoTime();
                primary.signal("STOP");
                int answeredBeforeTheStop = primary.lines("request").size();
                relays(ue, coreSide, "stopped"); // the bearer does not depend on the control link
                String failover = secondary.await("registered", FAILOVER_BOUND);
                Duration failedOverAfter = Duration.ofNanos(System.nanoTime() - stoppedAt);
                assertThat(failover).as("after %s ms", failedOverAfter.toMillis()).contains("method=failover").contains("reason=909");
                assertThat(failedOverAfter).as("the primary stayed stopped beyond the transaction timers").isGreaterThan(LONG_TIMER);
                relays(ue, coreSide, "failed-over");

                primary.signal("CONT");
                // the primary answers what waited in its socket: the Notify the gateway gave up on
                Awaitility.await("the primary's late answers").atMost(PEER)
                        .until(() -> primary.lines("request").stream().skip(answeredBeforeTheStop).anyMatch(request -> request.contains("notifyReq")));
                int replies = primary.lines("reply").size();
                primary.send(line("Context = " + context.group(1) + " { Subtract = * }"));
                Awaitility.await("the primary's Subtract answered").atMost(PEER)
                        .until(() -> primary.lines("reply").size() > replies || !primary.lines("reply-error").isEmpty());
                assertThat(primary.lines("reply")).as("SEC-1: not the MGC the gateway is registered with").hasSize(replies);
                assertThat(primary.lines("reply-error")).singleElement().asString().contains("402");
                relays(ue, coreSide, "continued");

                // nothing more: no second loss, no registration with either MGC
                Awaitility.await("no registration and no second loss for " + QUIET)
                        .failFast("a registration or a second loss", () -> primary.lines("registered").size() > 1 || secondary.lines("registered").size() > 1
                                || mgcLosses() > 1)
                        .during(QUIET).atMost(QUIET.plusSeconds(10)).until(() -> mgcLosses() == 1);

                // the secondary owns the call: its Subtract releases the context and with it the bearer
                secondary.send(line("Context = " + context.group(1) + " { Subtract = * }"));
                String subtracted = reply(secondary.await("reply", PEER));
                assertThat(subtracted).doesNotContain("Error").contains("Subtract = ip/1").contains("Subtract = ip/2");
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> endOfStream(ue.getInputStream()) && endOfStream(coreSide.getInputStream()));
            }
        }
    }

    private long mgcLosses() throws IOException {
        return gatewayLog().lines().filter(line -> line.contains("MGC lost")).count();
    }

    private String gatewayLog() throws IOException {
        return Files.readString(dir.resolve("gateway.out"));
    }

    private Process gateway(String yaml) throws IOException {
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, yaml);
        return new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "org.mediasec.app.Main", "gateway", "--config", config.toString(),
                "--data-dir", dir.resolve("data").toString()).redirectErrorStream(true).redirectOutput(dir.resolve("gateway.out").toFile()).start();
    }

    /** One line for the mgc-driven escript: line breaks inside SDP written as a backslash and n. */
    private static String line(String text) {
        return text.strip().replace("\n", "\\n");
    }

    private static boolean endOfStream(InputStream in) {
        try {
            return in.read() < 0;
        } catch (IOException reset) {
            return true;
        }
    }
}
