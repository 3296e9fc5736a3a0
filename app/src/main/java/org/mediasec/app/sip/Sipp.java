package org.mediasec.app.sip;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One SIPp (Debian {@code sip-tester}) playing a UE for one call: a shipped scenario
 * ({@code examples/kamailio/sipp/*.xml}) run in the foreground in a working directory of its own, where the SDP it
 * sends waits in files ({@code offer.sdp}, {@code answer.sdp}, ...: the scenarios insert them) and where its message
 * trace is written ({@link #trace()}: the SDP it received). Exit code 0: the scenario ran to its end.
 */
public final class Sipp implements AutoCloseable {

    public static final String COMMAND = "sipp";
    public static final String DEBIAN_PACKAGE = "sip-tester";

    private final String name;
    private final Process process;
    private final Path directory;
    private final int port;
    private final String callId;

    private Sipp(String name, Process process, Path directory, int port, String callId) {
        this.name = name;
        this.process = process;
        this.directory = directory;
        this.port = port;
        this.callId = callId;
    }

    /**
     * Runs {@code scenario} (a shipped file name, e.g. {@code ue-a-call.xml}) as {@code name} on 127.0.0.1:{@code port},
     * towards {@code remote} (a UAC: the P-CSCF) or waiting for a call (a UAS), with the SIPp keys {@code keys}
     * ({@code peer}, ...), {@code pause} for its {@code <pause/>}, and Call-ID {@code callId} (a UAC's).
     */
    public static Sipp start(String name, String scenario, Path directory, int port, Optional<InetSocketAddress> remote, Map<String, String> keys,
            String callId, Duration pause) throws IOException {
        Files.createDirectories(directory);
        Path file = directory.resolve(scenario);
        try (InputStream in = Sipp.class.getResourceAsStream("sipp/" + scenario)) {
            if (in == null) {
                throw new IOException("no SIPp scenario " + scenario + " on the class path");
            }
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> command = new ArrayList<>(List.of(COMMAND, "-sf", file.toString(), "-i", "127.0.0.1", "-p", Integer.toString(port), "-m", "1",
                "-d", Long.toString(pause.toMillis()), "-nostdin", "-trace_msg", "-message_file", directory.resolve(name + ".msg").toString(),
                "-trace_err", "-error_file", directory.resolve(name + ".err").toString(), "-cid_str", callId, "-timeout", "120s",
                "-timeout_error"));
        keys.forEach((key, value) -> command.addAll(List.of("-key", key, value)));
        remote.ifPresent(address -> command.add(address.getAddress().getHostAddress() + ":" + address.getPort()));
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(directory.resolve(name + ".out").toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        return new Sipp(name, process, directory, port, callId);
    }

    /** What this UE received and sent so far. */
    public SipTrace trace() throws IOException {
        return SipTrace.read(directory.resolve(name + ".msg"));
    }

    /** Waits until a received message starting with {@code prefix} carried SDP, and returns that SDP. */
    public String awaitSdp(String prefix, Duration timeout) throws IOException, InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<String> sdp = trace().lastReceivedSdp(prefix);
            if (sdp.isPresent()) {
                return sdp.get();
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new TimeoutException(name + " received no " + prefix + " with SDP (exit " + (process.isAlive() ? "none yet" : process.exitValue())
                        + "; " + directory.resolve(name + ".msg") + ")");
            }
            Thread.sleep(20);
        }
    }

    /**
     * The go signal of the shipped scenarios ({@code <recv request="INFO">}): an INFO in the UE's call, sent straight
     * to its port, so that the scenario moves on when the test is done with the media (no waiting by the clock).
     */
    public void go() throws IOException {
        String info = "INFO sip:ue@127.0.0.1:" + port + " SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK-go-" + System.nanoTime()
                + "\r\nFrom: <sip:test@127.0.0.1>;tag=go\r\nTo: <sip:ue@127.0.0.1>\r\nCall-ID: " + actualCallId() + "\r\nCSeq: 1 INFO\r\n"
                + "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
        byte[] bytes = info.getBytes(StandardCharsets.US_ASCII);
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            socket.send(new DatagramPacket(bytes, bytes.length, new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
        }
    }

    /** The Call-ID SIPp gives the first call for {@code -cid_str} (its {@code %u} is the call number, 1). */
    public String actualCallId() {
        return callId.replace("%u", "1");
    }

    /** Waits for SIPp to end; its exit code (0: the scenario ran to its end). */
    public int awaitExit(Duration timeout) throws InterruptedException, TimeoutException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new TimeoutException(name + " (SIPp) still running after " + timeout.toSeconds() + " s");
        }
        return process.exitValue();
    }

    public Path directory() {
        return directory;
    }

    /** The SDP files the scenarios insert, written into the working directory. */
    public static void writeSdp(Path directory, String file, String sdp) throws IOException {
        Files.createDirectories(directory);
        Files.writeString(directory.resolve(file), sdp.replace("\r\n", "\n").replace("\n", "\r\n").stripTrailing(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

    @Override
    public String toString() {
        return name + " (SIPp on 127.0.0.1:" + port + ")";
    }

    /** Keys as SIPp takes them. */
    public static Map<String, String> keys(String... pairs) {
        Map<String, String> keys = new java.util.LinkedHashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            keys.put(pairs[i], pairs[i + 1]);
        }
        return keys;
    }
}
