package org.mediasec.it.bench.relay;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;

/** {@link SpliceRelay} in a JVM of its own: TCP↔TCP only. */
final class SpliceRelayProcess implements Relay {

    private final Process process;
    private final int port;

    SpliceRelayProcess(int sinkPort) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        process = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-classpath", System.getProperty("java.class.path"),
                SpliceRelay.class.getName(), String.valueOf(sinkPort)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String ready = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        if (ready == null || !ready.startsWith("ready ")) {
            throw new IllegalStateException("splice relay did not start: " + ready);
        }
        port = Integer.parseInt(ready.substring(6).trim());
    }

    @Override
    public String name() {
        return "splice experiment";
    }

    @Override
    public List<InetSocketAddress> targets(int count, boolean tls) {
        if (tls) {
            throw new UnsupportedOperationException("the splice experiment relays plain TCP only");
        }
        return Collections.nCopies(count, new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    @Override
    public void releaseAll() {}

    @Override
    public Memory memory() throws Exception {
        return new Memory(Relay.rss(process.pid()), -1);
    }

    @Override
    public boolean relaysPlainTcp() {
        return true;
    }

    @Override
    public void close() {
        process.destroy();
    }
}
