package org.mediasec.it.bench.relay;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * HAProxy (tcp mode, {@code ssl crt … verify required}) or stunnel, set up as our relay is: TLS 1.2/1.3 server with the
 * relay's ECDSA P-256 certificate, the UE's certificate required and trusted as the only CA (the nearest these tools
 * come to a fingerprint check), the clear side to the sink. One process, one port per mode.
 */
final class PeerRelay implements Relay {

    private final String name;
    private final Process process;
    private final int tlsPort;
    private final int tcpPort;

    private PeerRelay(String name, List<String> command, Path log, int tlsPort, int tcpPort) throws Exception {
        this.name = name;
        this.tlsPort = tlsPort;
        this.tcpPort = tcpPort;
        this.process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!listening(tlsPort)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " did not start: " + Files.readString(log));
            }
            Thread.sleep(50);
        }
    }

    private static boolean listening(int port) {
        try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (java.io.IOException notYet) {
            return false;
        }
    }

    static PeerRelay haproxy(Path dir, int sinkPort, int tlsPort, int tcpPort, int maxConnections) throws Exception {
        Path config = dir.resolve("haproxy.cfg");
        Files.writeString(config, """
                global
                  maxconn %d
                  nbthread 2
                  ssl-default-bind-options ssl-min-ver TLSv1.2 no-tls-tickets
                  ssl-default-bind-ciphersuites TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256
                  ssl-default-bind-ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305
                defaults
                  mode tcp
                  maxconn %d
                  timeout connect 5s
                  timeout client 1h
                  timeout server 1h
                frontend tls
                  bind 127.0.0.1:%d ssl crt %s verify required ca-file %s
                  default_backend sink
                frontend tcp
                  bind 127.0.0.1:%d
                  default_backend sink
                backend sink
                  server sink 127.0.0.1:%d
                """.formatted(maxConnections, maxConnections, tlsPort, dir.resolve("relay-combined.pem"), dir.resolve("ue.pem"), tcpPort, sinkPort));
        return new PeerRelay("HAProxy", List.of("haproxy", "-db", "-f", config.toString()), dir.resolve("haproxy.log"), tlsPort, tcpPort);
    }

    static PeerRelay stunnel(Path dir, int sinkPort, int tlsPort) throws Exception {
        Path config = dir.resolve("stunnel.conf");
        Files.writeString(config, """
                foreground = yes
                pid =
                debug = 3
                [tls]
                accept = 127.0.0.1:%d
                connect = 127.0.0.1:%d
                cert = %s
                key = %s
                verifyPeer = yes
                CAfile = %s
                sslVersionMin = TLSv1.2
                options = NO_TICKET
                """.formatted(tlsPort, sinkPort, dir.resolve("relay.pem"), dir.resolve("relay.key"), dir.resolve("ue.pem")));
        return new PeerRelay("stunnel", List.of("stunnel4", config.toString()), dir.resolve("stunnel.log"), tlsPort, -1);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<InetSocketAddress> targets(int count, boolean tls) {
        return Collections.nCopies(count, new InetSocketAddress(InetAddress.getLoopbackAddress(), tls ? tlsPort : tcpPort));
    }

    @Override
    public void releaseAll() {
        // sessions end with their clients
    }

    @Override
    public Memory memory() throws Exception {
        long rss = Relay.rss(process.pid());
        for (ProcessHandle child : process.descendants().toList()) {
            rss += Relay.rss(child.pid());
        }
        return new Memory(rss, -1);
    }

    @Override
    public boolean relaysPlainTcp() {
        return tcpPort > 0;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
