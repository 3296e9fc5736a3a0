package org.mediasec.it.bench.relay;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.mediasec.bearer.BearerConfig;
import org.mediasec.bearer.BearerPlane;
import org.mediasec.bearer.LegSpec;
import org.mediasec.bearer.PortAllocator;
import org.mediasec.bearer.RelayPair;
import org.mediasec.bearer.Side;
import org.mediasec.bearer.tls.CertificateFingerprint;
import org.mediasec.bearer.tls.SelfSignedCertificate;
import org.mediasec.bearer.tls.TlsDomain;
import org.mediasec.bearer.tls.TlsEngines;
import org.mediasec.bearer.tls.TlsProvider;

/**
 * Our bearer plane as a relay process for the benchmark, driven over stdin: {@code open N tls|tcp} opens N pairs (a
 * passive leg for the load generator, TLS server checking the UE's fingerprint for {@code tls}, and an active TCP leg to
 * the sink) and answers {@code ports p1 p2 …}; {@code memory} answers {@code memory <rss> <heap>} after a GC;
 * {@code release} releases every pair; {@code quit} ends. Arguments: certificate directory, TLS provider, sink ports.
 */
public final class OurRelay {

    public static void main(String[] args) throws Exception {
        Path certificates = Path.of(args[0]);
        TlsProvider provider = TlsProvider.parse(args[1]);
        List<InetSocketAddress> sinks = new ArrayList<>();
        for (String port : args[2].split(",")) {
            sinks.add(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(port)));
        }
        SelfSignedCertificate ue = SelfSignedCertificate.read(certificates.resolve("ue.pem"), certificates.resolve("ue.key"));
        SelfSignedCertificate relay = SelfSignedCertificate.read(certificates.resolve("relay.pem"), certificates.resolve("relay.key"));
        TlsEngines engines = new TlsEngines(TlsDomain.defaults("bench", relay).withProvider(provider));
        List<CertificateFingerprint> expected = List.of(CertificateFingerprint.of("sha-256", ue.certificate()));
        // passive legs on 127.0.1.1 below the ephemeral range, so that 10k of them leave the kernel's ports alone
        InetAddress legs = InetAddress.getByName("127.0.1.1");
        PortAllocator ports = new PortAllocator(List.of(new PortAllocator.Realm("bench", legs, 10000, 30000)));
        List<RelayPair> pairs = new ArrayList<>();
        List<PortAllocator.Allocation> allocations = new ArrayList<>();
        int sink = 0;
        try (BearerPlane plane = new BearerPlane(new BearerConfig(256 * 1024, 64 * 1024, java.time.Duration.ZERO, java.time.Duration.ofSeconds(10), Integer.getInteger("relay.threads", 0)));
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII))) {
            System.out.println("ready " + plane.transport() + " " + provider);
            for (String line; (line = in.readLine()) != null; ) {
                String[] words = line.trim().split(" ");
                switch (words[0]) {
                    case "open" -> {
                        int count = Integer.parseInt(words[1]);
                        boolean tls = words[2].equals("tls");
                        List<CompletableFuture<RelayPair>> opening = new ArrayList<>();
                        for (int i = 0; i < count; i++) {
                            PortAllocator.Allocation allocation = ports.allocate("bench");
                            allocations.add(allocation);
                            LegSpec access = LegSpec.passive(new InetSocketAddress(legs, allocation.port()),
                                    Optional.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
                            if (tls) {
                                access = access.withTls(new LegSpec.Tls(engines, false, expected));
                            }
                            LegSpec core = LegSpec.active(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), sinks.get(sink++ % sinks.size()));
                            opening.add(plane.open(access, core, event -> {}));
                        }
                        StringBuilder answer = new StringBuilder("ports");
                        for (CompletableFuture<RelayPair> future : opening) {
                            RelayPair pair = future.get(30, TimeUnit.SECONDS);
                            pairs.add(pair);
                            answer.append(' ').append(pair.localAddress(Side.A).getPort());
                        }
                        System.out.println(answer);
                    }
                    case "memory" -> {
                        for (int i = 0; i < 3; i++) {
                            System.gc();
                            Thread.sleep(200);
                        }
                        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                        System.out.println("memory " + Relay.rss(ProcessHandle.current().pid()) + " " + heap);
                    }
                    case "release" -> {
                        for (RelayPair pair : pairs) {
                            pair.release("bench");
                        }
                        for (RelayPair pair : pairs) {
                            pair.released().get(30, TimeUnit.SECONDS);
                        }
                        pairs.clear();
                        allocations.forEach(ports::release);
                        allocations.clear();
                        System.out.println("released");
                    }
                    case "quit" -> {
                        return;
                    }
                    default -> System.out.println("error unknown command " + line);
                }
            }
        }
    }
}
