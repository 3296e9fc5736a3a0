package org.mediasec.it.bench.relay;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mediasec.bearer.tls.TlsProvider;

/** Our relay ({@link OurRelay}) in a JVM of its own, as HAProxy and stunnel are processes of their own. */
final class OurRelayProcess implements Relay {

    private final TlsProvider provider;
    private final Process process;
    private final PrintWriter commands;
    private final BufferedReader answers;

    OurRelayProcess(Path certificates, TlsProvider provider, List<Integer> sinkPorts) throws Exception {
        this.provider = provider;
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx2g", "-XX:+UseParallelGC", "--enable-native-access=ALL-UNNAMED",
                "-Dio.netty.leakDetection.level=disabled",
                System.getProperty("relay.jvm", "-Dunused=1"),
                "-classpath", System.getProperty("java.class.path"), OurRelay.class.getName(), certificates.toString(), provider.name(),
                String.join(",", sinkPorts.stream().map(String::valueOf).toList())));
        process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.US_ASCII);
        answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
        String ready = answers.readLine();
        while (ready != null && !ready.startsWith("ready") && !ready.startsWith("error")) {
            ready = answers.readLine(); // what the JVM itself prints (e.g. JFR) comes first
        }
        if (ready == null || !ready.startsWith("ready")) {
            throw new IllegalStateException("our relay did not start: " + ready);
        }
    }

    private String ask(String command) throws Exception {
        commands.println(command);
        String answer = answers.readLine();
        if (answer == null || answer.startsWith("error")) {
            throw new IllegalStateException("our relay: " + command + " -> " + answer);
        }
        return answer;
    }

    @Override
    public String name() {
        return "mediasec (" + provider.name().toLowerCase() + ")";
    }

    @Override
    public List<InetSocketAddress> targets(int count, boolean tls) throws Exception {
        InetAddress legs = InetAddress.getByName("127.0.1.1");
        List<InetSocketAddress> targets = new ArrayList<>(count);
        String[] words = ask("open " + count + (tls ? " tls" : " tcp")).split(" ");
        for (int i = 1; i < words.length; i++) {
            targets.add(new InetSocketAddress(legs, Integer.parseInt(words[i])));
        }
        return targets;
    }

    @Override
    public void releaseAll() throws Exception {
        ask("release");
    }

    @Override
    public Memory memory() throws Exception {
        String[] words = ask("memory").split(" ");
        return new Memory(Long.parseLong(words[1]), Long.parseLong(words[2]));
    }

    @Override
    public boolean relaysPlainTcp() {
        return true;
    }

    @Override
    public void close() {
        commands.println("quit");
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
