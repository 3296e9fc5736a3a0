package org.mediasec.it.bench.relay;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.mediasec.bearer.BearerConfig;
import org.mediasec.bearer.BearerPlane;
import org.mediasec.bearer.Side;
import org.mediasec.bearer.datagram.DatagramLegSpec;
import org.mediasec.bearer.datagram.DatagramPair;
import org.mediasec.bearer.tls.CertificateFingerprint;
import org.mediasec.bearer.tls.SelfSignedCertificate;
import org.mediasec.bearer.tls.TlsDomain;
import org.mediasec.bearer.tls.TlsEngines;
import org.mediasec.t38.FaxSessionGenerator;
import org.mediasec.t38.RedundancyEncoder;

/**
 * DTLS → UDP datagram relay rate (GW-7, run on demand, not in CI): our datagram pair (JDK DTLS 1.2 server leg, plain
 * UDP core leg) against socat's {@code OPENSSL-DTLS-SERVER} → {@code UDP}, measured in the same run with the same
 * load. The UE is socat's {@code OPENSSL-DTLS-CLIENT} fed plain UDPTL datagrams (the generated fax, redundancy 3,
 * 40 to 210 octets) by this JVM; a window of datagrams in flight (the sink acknowledges by counting) keeps every
 * socket buffer on the way from overflowing, so nothing is lost and the rate is the pipeline's. Prints a Markdown
 * table with the ratio ours ÷ socat.
 *
 * <p>{@code --seconds N} per relay (10), {@code --window N} datagrams in flight (32). Needs {@code socat}.
 */
public final class DtlsRelayBench {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private DtlsRelayBench() {}

    /** A relay under test: the port the UE's DTLS client talks to, and how to stop it. */
    private interface RelayUnderTest extends AutoCloseable {
        int port();

        @Override
        void close() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int seconds = 10;
        int window = 32;
        for (int i = 0; i < args.length - 1; i += 2) {
            switch (args[i]) {
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                case "--window" -> window = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (--seconds N, --window N)");
            }
        }
        Path dir = Files.createTempDirectory("dtls-bench");
        SelfSignedCertificate ue = SelfSignedCertificate.generate("ue", Duration.ofDays(1));
        SelfSignedCertificate mgCertificate = SelfSignedCertificate.generate("mediasec access", Duration.ofDays(1));
        ue.write(dir.resolve("ue.pem"), dir.resolve("ue.key"));
        mgCertificate.write(dir.resolve("mg.pem"), dir.resolve("mg.key"));
        List<byte[]> fax = new RedundancyEncoder(3, 0).datagrams(FaxSessionGenerator.session(1, "+4930111", "+4940222").calling());

        double ours;
        double socat;
        try (DatagramSocket sink = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
                BearerPlane plane = new BearerPlane(BearerConfig.DEFAULT)) {
            TlsEngines mg = new TlsEngines(TlsDomain.defaults("access", mgCertificate));
            try (RelayUnderTest relay = ourRelay(plane, mg, ue, (InetSocketAddress) sink.getLocalSocketAddress())) {
                ours = measure("ours", relay.port(), dir, sink, fax, seconds, window);
            }
            try (RelayUnderTest relay = socatRelay(dir, sink.getLocalPort())) {
                socat = measure("socat", relay.port(), dir, sink, fax, seconds, window);
            }
        }
        System.out.println();
        System.out.println("| DTLS → UDP relay (UDPTL datagrams, window " + window + ", " + seconds + " s) | datagrams/s |");
        System.out.println("|---|---:|");
        System.out.printf("| mediasec datagram pair (JDK DTLS 1.2) | %,.0f |%n", ours);
        System.out.printf("| socat OPENSSL-DTLS-SERVER → UDP | %,.0f |%n", socat);
        System.out.printf("| ratio ours ÷ socat | %.2f |%n", ours / socat);
    }

    private static RelayUnderTest ourRelay(BearerPlane plane, TlsEngines mg, SelfSignedCertificate ue, InetSocketAddress sink) throws Exception {
        DatagramPair pair = plane.openDatagram(
                new DatagramLegSpec(new InetSocketAddress(LOOPBACK, 0), Optional.of(new InetSocketAddress(LOOPBACK, 0)), DatagramLegSpec.MAX_UDP_PAYLOAD - 64,
                        Optional.empty(), Optional.empty())
                        .withDtls(new DatagramLegSpec.Dtls(mg, false, List.of(CertificateFingerprint.of("sha-256", ue.certificate())))),
                DatagramLegSpec.udp(new InetSocketAddress(LOOPBACK, 0), Optional.of(sink), DatagramLegSpec.MAX_UDP_PAYLOAD - 64),
                event -> {}).get(5, TimeUnit.SECONDS);
        return new RelayUnderTest() {
            @Override
            public int port() {
                return pair.localAddress(Side.A).getPort();
            }

            @Override
            public void close() throws Exception {
                pair.release("bench done");
                pair.released().get(5, TimeUnit.SECONDS);
            }
        };
    }

    private static RelayUnderTest socatRelay(Path dir, int sink) throws IOException {
        int port = freePort();
        Process process = new ProcessBuilder("socat", "-b", "65536",
                "OPENSSL-DTLS-SERVER:" + port + ",bind=127.0.0.1,cert=" + dir.resolve("mg.pem") + ",key=" + dir.resolve("mg.key") + ",verify=0",
                "UDP:127.0.0.1:" + sink).redirectErrorStream(true).redirectOutput(dir.resolve("socat-server.log").toFile()).start();
        return new RelayUnderTest() {
            @Override
            public int port() {
                return port;
            }

            @Override
            public void close() {
                process.destroyForcibly();
            }
        };
    }

    /** Feeds the UE's socat DTLS client for {@code seconds} with at most {@code window} datagrams in flight. */
    private static double measure(String name, int relayPort, Path dir, DatagramSocket sink, List<byte[]> fax, int seconds, int window) throws Exception {
        int uePort = freePort();
        Process ueClient = new ProcessBuilder("socat", "-b", "65536", "UDP-LISTEN:" + uePort + ",bind=127.0.0.1",
                "OPENSSL-DTLS-CLIENT:127.0.0.1:" + relayPort + ",cert=" + dir.resolve("ue.pem") + ",key=" + dir.resolve("ue.key") + ",verify=0,bind=127.0.0.1")
                .redirectErrorStream(true).redirectOutput(dir.resolve("socat-ue-" + name + ".log").toFile()).start();
        try (DatagramSocket sender = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            InetSocketAddress ue = new InetSocketAddress(LOOPBACK, uePort);
            byte[] buffer = new byte[65_536];
            DatagramPacket received = new DatagramPacket(buffer, buffer.length);
            sink.setSoTimeout(200);
            // until the association is up: one datagram at a time
            while (true) {
                sender.send(new DatagramPacket(fax.get(0), fax.get(0).length, ue));
                try {
                    sink.receive(received);
                    break;
                } catch (SocketTimeoutException notYet) {
                    // the handshake is still running
                }
            }
            sink.setSoTimeout(2000);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            long start = System.nanoTime();
            long sent = 0;
            long arrived = 0;
            long lost = 0;
            while (System.nanoTime() < end) {
                while (sent - arrived - lost < window) {
                    byte[] datagram = fax.get((int) (sent % fax.size()));
                    sender.send(new DatagramPacket(datagram, datagram.length, ue));
                    sent++;
                }
                try {
                    sink.receive(received);
                    arrived++;
                } catch (SocketTimeoutException e) {
                    lost = sent - arrived; // refill the window after a loss
                }
            }
            double rate = arrived / ((System.nanoTime() - start) / 1e9);
            System.out.printf("%s: %,d datagrams in %d s, %,.0f/s, %d lost%n", name, arrived, seconds, rate, lost);
            return rate;
        } finally {
            ueClient.destroyForcibly();
        }
    }

    private static int freePort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            return socket.getLocalPort();
        }
    }
}
