package org.mediasec.it.megaco;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mediasec.bearer.tls.CertificateFingerprint;
import org.mediasec.bearer.tls.SelfSignedCertificate;
import org.mediasec.testsupport.RequiresPeer;
import org.mediasec.testsupport.WireTest;

/**
 * An independent controller drives {@code mediasec gateway}: Erlang/OTP megaco's MGC (escript, H.248 version 1, text)
 * accepts the gateway's registration, sends one action with an e2ae Add pair (TCP/TLS/MSRP with the UE's fingerprint,
 * TCP/MSRP towards the core) and a Subtract of both; the reply's Local SDP carries the gateway's certificate fingerprint.
 */
@RequiresPeer(command = "escript", debianPackage = "erlang-base")
@RequiresPeer(command = "erl", debianPackage = "erlang-megaco")
@Timeout(120)
class MegacoGatewayInteropTest {

    @TempDir
    Path dir;

    @Test
    @Tag("H248-5")
    @Tag("GW-9")
    @Tag("TLS-3")
    @WireTest
    void megacoRegistersTheGatewayAddsAnE2aePairAndSubtractsIt() throws Exception {
        int mgcPort = MegacoPeer.freePort();
        int gatewayPort = MegacoPeer.freePort();
        int bearerPort = 21000 + (int) (ProcessHandle.current().pid() % 500) * 10;
        CertificateFingerprint ue = CertificateFingerprint.of("sha-256", SelfSignedCertificate.generate("ue", Duration.ofDays(1)).certificate());
        try (MegacoPeer mgc = MegacoPeer.start(dir, "mgc-e2ae", "udp", Integer.toString(mgcPort), ue.hashFunction(), ue.value())) {
            mgc.await("ready", Duration.ofSeconds(30));
            Path config = dir.resolve("gateway.yaml");
            Files.writeString(config, """
                    control: { address: 127.0.0.1, port: %d, version: 1 }
                    mgcs: ["127.0.0.1:%d"]
                    realms: [ { name: access, address: 127.0.0.1, ports: %d-%d } ]
                    metrics: { port: 0 }
                    """.formatted(gatewayPort, mgcPort, bearerPort, bearerPort + 9));
            Path out = dir.resolve("gateway.out");
            Process gateway = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"), "org.mediasec.app.Main", "gateway", "--config", config.toString(),
                    "--data-dir", dir.resolve("data").toString()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            try {
                String added = mgc.await("add-reply", Duration.ofSeconds(30));
                String startup = Files.readString(out);
                String fingerprint = startup.substring(startup.indexOf("certificate fingerprint sha-256 ") + "certificate fingerprint sha-256 ".length()).lines()
                        .findFirst().orElseThrow().strip();
                assertThat(added).contains("fingerprint:sha-256 " + fingerprint).contains("TCP/TLS/MSRP").contains("setup:passive");
                assertThat(mgc.await("subtract-reply", Duration.ofSeconds(30))).contains("replies=2");
                mgc.await("done", Duration.ofSeconds(10));
            } finally {
                gateway.destroy();
                gateway.waitFor(20, TimeUnit.SECONDS);
            }
        }
    }
}
