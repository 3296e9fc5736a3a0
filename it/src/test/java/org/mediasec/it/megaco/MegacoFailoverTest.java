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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.testsupport.RequiresPeer;
import org.mediasec.testsupport.WireTest;

/**
 * A {@code mediasec gateway} process controlled by Erlang/OTP megaco MGCs (escripts, H.248 version 1 over UDP):
 * fail-over from a primary killed with SIGKILL in the middle of a call to the secondary, the call's bearer relaying
 * throughout; and a 10 KiB Add (an e2ae pair with two rich SDPs) answered whole.
 */
@RequiresPeer(command = "escript", debianPackage = "erlang-base")
@RequiresPeer(command = "erl", debianPackage = "erlang-megaco")
@Timeout(180)
class MegacoFailoverTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Pattern CONTEXT = Pattern.compile("Context = (\\d+)");

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

    private Process gateway(String yaml) throws IOException {
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, yaml);
        return new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "org.mediasec.app.Main", "gateway", "--config", config.toString(),
                "--data-dir", dir.resolve("data").toString()).redirectErrorStream(true).redirectOutput(dir.resolve("gateway.out").toFile()).start();
    }

    /**
     * Waits until the gateway itself says it is registered with the MGC at {@code port}. megaco's script prints
     * "registered" in its user callback, before its stack sends the ServiceChange reply: an Add sent at once can reach
     * the gateway before that reply, and the gateway rightly refuses it (402: not yet registered with that MGC).
     */
    private void awaitGatewayRegisteredWith(int port) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(dir.resolve("gateway.out"))
                && Files.readString(dir.resolve("gateway.out")).contains("registered with 127.0.0.1:" + port));
    }

    /** One line for the mgc-driven escript: line breaks inside SDP written as a backslash and n. */
    private static String line(String text) {
        return text.strip().replace("\n", "\\n");
    }

    @Test
    @Tag("H248-4")
    @WireTest
    void whenThePrimaryMgcIsKilledMidCallTheGatewayFailsOverKeepingTheCall() throws Exception {
        int primaryPort = MegacoPeer.freePort();
        int secondaryPort = MegacoPeer.freePort();
        int bearer = 24000 + (int) (ProcessHandle.current().pid() % 500) * 10;
        try (MegacoPeer primary = MegacoPeer.start(dir, "mgc-driven", "udp", Integer.toString(primaryPort));
                MegacoPeer secondary = MegacoPeer.start(Files.createDirectories(dir.resolve("secondary")), "mgc-driven", "udp",
                        Integer.toString(secondaryPort));
                ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
            primary.await("ready", Duration.ofSeconds(30));
            secondary.await("ready", Duration.ofSeconds(30));
            // LONG-TIMER 2 s, and a provisioned inactivity timer of 1 s: a silent MGC is found lost within about 3 s
            gateway = gateway("""
                    control: { address: 127.0.0.1, port: %d, version: 1, longTimerMs: 2000, inactivityTimeoutMs: 1000 }
                    mgcs: ["127.0.0.1:%d", "127.0.0.1:%d"]
                    realms: [ { name: access, address: 127.0.0.1, ports: %d-%d } ]
                    metrics: { port: 0 }
                    """.formatted(MegacoPeer.freePort(), primaryPort, secondaryPort, bearer, bearer + 9));
            assertThat(primary.await("registered", Duration.ofSeconds(30))).contains("method=restart").contains("reason=901");
            awaitGatewayRegisteredWith(primaryPort);

            // the call: the UE connects to the gateway's access leg, the gateway connects to the core
            primary.send(line("Context = $ { " + add("TCP/MSRP", "active", 9, "") + ", " + add("TCP/MSRP", "passive", core.getLocalPort(), "") + " }"));
            String added = reply(primary.await("reply", Duration.ofSeconds(30)));
            Matcher context = CONTEXT.matcher(added);
            assertThat(context.find()).as("a context in %s", added).isTrue();
            try (Socket ue = new Socket(LOOPBACK, firstPort(added)); Socket coreSide = core.accept()) {
                ue.setSoTimeout(10_000);
                coreSide.setSoTimeout(10_000);
                relays(ue, coreSide, "before");

                primary.kill(); // kill -9: the primary says nothing more, ever
                relays(ue, coreSide, "during"); // the bearer does not depend on the control link

                String registered = secondary.await("registered", Duration.ofSeconds(30));
                assertThat(registered).contains("method=failover").contains("reason=909");
                relays(ue, coreSide, "after");

                // the context survived the fail-over: the secondary, which never saw it, subtracts it by its ID
                secondary.send(line("Context = " + context.group(1) + " { Subtract = * }"));
                String subtracted = reply(secondary.await("reply", Duration.ofSeconds(30)));
                assertThat(subtracted).doesNotContain("Error").contains("Subtract = ip/1").contains("Subtract = ip/2");
                // and with it the bearer: both sockets see the end
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> endOfStream(ue.getInputStream()));
            }
        }
    }

    private static boolean endOfStream(InputStream in) {
        try {
            return in.read() < 0;
        } catch (IOException reset) {
            return true;
        }
    }

    @Test
    @Tag("H248-2")
    @WireTest
    void aTenKibAddFromMegacoIsAnsweredWhole() throws Exception {
        int mgcPort = MegacoPeer.freePort();
        int bearer = 25000 + (int) (ProcessHandle.current().pid() % 500) * 10;
        try (MegacoPeer mgc = MegacoPeer.start(dir, "mgc-driven", "udp", Integer.toString(mgcPort));
                ServerSocket core = new ServerSocket(0, 1, LOOPBACK)) {
            mgc.await("ready", Duration.ofSeconds(30));
            gateway = gateway("""
                    control: { address: 127.0.0.1, port: %d, version: 1 }
                    mgcs: ["127.0.0.1:%d"]
                    realms: [ { name: access, address: 127.0.0.1, ports: %d-%d } ]
                    metrics: { port: 0 }
                    """.formatted(MegacoPeer.freePort(), mgcPort, bearer, bearer + 9));
            mgc.await("registered", Duration.ofSeconds(30));
            awaitGatewayRegisteredWith(mgcPort);

            // an e2ae pair whose SDPs carry long media type lists, as a rich MSRP client offers them
            String types = String.join(" ", java.util.stream.IntStream.range(0, 100).mapToObj(i -> "application/vnd.example-" + i + "+xml").toList());
            String rich = "a=accept-types:message/cpim text/plain " + types + "\na=accept-wrapped-types:* " + types + "\na=max-size:1048576\n";
            String ue = "sha-256 " + "4A:".repeat(31) + "4A";
            mgc.send(line("Context = $ { " + add("TCP/TLS/MSRP", "active", 9, "a=fingerprint:" + ue + "\n" + rich) + ", "
                    + add("TCP/MSRP", "passive", core.getLocalPort(), rich) + " }"));

            String sending = mgc.await("sending", Duration.ofSeconds(30));
            int bytes = Integer.parseInt(sending.substring(sending.indexOf("bytes=") + 6).strip());
            assertThat(bytes).as("the Add as megaco encodes it").isGreaterThan(10 * 1024);
            String added = reply(mgc.await("reply", Duration.ofSeconds(30)));
            assertThat(added).doesNotContain("Error").contains("Add = ip/1").contains("Add = ip/2").contains("TCP/TLS/MSRP");
            assertThat(firstPort(added)).isBetween(bearer, bearer + 9);
        }
    }
}
