package org.mediasec.it.nat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A network of its own for a NAT test, made of Linux network namespaces that the test creates and deletes: nothing
 * leaves the machine, and only these private addresses exist in it.
 *
 * <pre>
 *   [ue 10.1.0.2] --- [10.1.0.1 router 10.2.0.1] --- [gw 10.2.0.2, core 10.2.0.3]
 *                      nftables masquerade out of the           |
 *                      router's 10.2 side                      10.9.0.2
 *                                                                |
 *                                                 [this JVM's namespace 10.9.0.1] (H.248)
 * </pre>
 *
 * The UE sits behind a NAT (its packets reach the gateway's network from 10.2.0.1); the core does not. The router
 * rewrites source ports too when asked ({@link Nat#PORTS_REWRITTEN}), as carrier-grade NATs do, and drops what is
 * not an answer to the UE when asked ({@link #onlyOutgoing}). {@link #capture} records either side of the router for
 * tshark. Peers inside a namespace are socat processes the test talks through ({@link Bridge}).
 */
final class NatTopology implements AutoCloseable {

    static final String UE_ADDRESS = "10.1.0.2";
    static final String ROUTER_OUTSIDE = "10.2.0.1";
    static final String GATEWAY_ADDRESS = "10.2.0.2";
    static final String CORE_ADDRESS = "10.2.0.3";
    static final String MANAGEMENT_HERE = "10.9.0.1";
    static final String MANAGEMENT_GATEWAY = "10.9.0.2";

    /** How the router translates. */
    enum Nat {
        /** Masquerade keeping source ports where it can (a home NAT). */
        PORTS_KEPT,
        /** Masquerade to random source ports (a carrier-grade NAT): only the address survives. */
        PORTS_REWRITTEN
    }

    private final String prefix;
    private final List<Process> processes = new ArrayList<>();

    private NatTopology(String prefix) {
        this.prefix = prefix;
    }

    String ue() {
        return prefix + "-ue";
    }

    String router() {
        return prefix + "-rt";
    }

    String gateway() {
        return prefix + "-gw";
    }

    /** Why namespaces cannot be made here, or empty when they can (root, iproute2 and nftables present). */
    static java.util.Optional<String> unavailable() {
        try {
            Process probe = new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            if (!probe.waitFor(10, TimeUnit.SECONDS) || probe.exitValue() != 0) {
                return java.util.Optional.of("ip netns does not work here (package iproute2, and root)");
            }
            Process nft = new ProcessBuilder("nft", "--version").redirectErrorStream(true).start();
            nft.getInputStream().readAllBytes();
            if (!nft.waitFor(10, TimeUnit.SECONDS) || nft.exitValue() != 0) {
                return java.util.Optional.of("nft is missing (package nftables)");
            }
            if (!"root".equals(System.getProperty("user.name"))) {
                return java.util.Optional.of("network namespaces need root");
            }
            return java.util.Optional.empty();
        } catch (IOException | InterruptedException e) {
            return java.util.Optional.of("ip or nft cannot run: " + e.getMessage() + " (packages iproute2, nftables)");
        }
    }

    static NatTopology create(Nat nat) throws IOException, InterruptedException {
        // interface names are at most 15 characters: a short prefix unique to this test run
        String prefix = "ms" + Long.toString(ProcessHandle.current().pid() % 10000, 36) + Long.toString(System.nanoTime() % 1296, 36);
        NatTopology topology = new NatTopology(prefix);
        try {
            topology.build(nat);
        } catch (IOException | InterruptedException | RuntimeException e) {
            topology.close();
            throw e;
        }
        return topology;
    }

    private void build(Nat nat) throws IOException, InterruptedException {
        for (String namespace : List.of(ue(), router(), gateway())) {
            run("ip", "netns", "add", namespace);
            run("ip", "-n", namespace, "link", "set", "lo", "up");
        }
        link(ue(), prefix + "a", UE_ADDRESS + "/24", router(), prefix + "b", "10.1.0.1/24");
        link(router(), prefix + "c", ROUTER_OUTSIDE + "/24", gateway(), prefix + "d", GATEWAY_ADDRESS + "/24");
        run("ip", "-n", gateway(), "addr", "add", CORE_ADDRESS + "/24", "dev", prefix + "d");
        // the management link from this JVM's namespace to the gateway's (H.248 only)
        run("ip", "link", "add", prefix + "m", "type", "veth", "peer", "name", prefix + "n");
        run("ip", "link", "set", prefix + "n", "netns", gateway());
        run("ip", "addr", "add", MANAGEMENT_HERE + "/30", "dev", prefix + "m");
        run("ip", "link", "set", prefix + "m", "up");
        run("ip", "-n", gateway(), "addr", "add", MANAGEMENT_GATEWAY + "/30", "dev", prefix + "n");
        run("ip", "-n", gateway(), "link", "set", prefix + "n", "up");
        run("ip", "-n", ue(), "route", "add", "default", "via", "10.1.0.1");
        run("ip", "netns", "exec", router(), "sysctl", "-qw", "net.ipv4.ip_forward=1");
        // a port range is a transport mapping: nft takes it only after a match on the transport protocol
        String out = "oifname \"" + prefix + "c\" ";
        String masquerade = nat == Nat.PORTS_REWRITTEN ? out + "meta l4proto { tcp, udp } masquerade to :40000-49999 random\n  " + out + "masquerade"
                : out + "masquerade";
        String rules = "table ip nat {\n chain post {\n  type nat hook postrouting priority 100;\n  " + masquerade + "\n }\n}\n";
        Process nft = new ProcessBuilder("ip", "netns", "exec", router(), "nft", "-f", "-").redirectErrorStream(true).start();
        nft.getOutputStream().write(rules.getBytes(StandardCharsets.US_ASCII));
        nft.getOutputStream().close();
        String output = new String(nft.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!nft.waitFor(10, TimeUnit.SECONDS) || nft.exitValue() != 0) {
            throw new IOException("nft refused the NAT rules: " + output);
        }
    }

    private void link(String left, String leftName, String leftAddress, String right, String rightName, String rightAddress)
            throws IOException, InterruptedException {
        run("ip", "link", "add", leftName, "type", "veth", "peer", "name", rightName);
        run("ip", "link", "set", leftName, "netns", left);
        run("ip", "link", "set", rightName, "netns", right);
        run("ip", "-n", left, "addr", "add", leftAddress, "dev", leftName);
        run("ip", "-n", right, "addr", "add", rightAddress, "dev", rightName);
        run("ip", "-n", left, "link", "set", leftName, "up");
        run("ip", "-n", right, "link", "set", rightName, "up");
    }

    /**
     * The router drops every new TCP connection that reaches it from the gateway's side (its input chain: no
     * mapping, so the SYN was for the router itself), as a NAT with a firewall does: the UE behind it can only
     * connect out. A SYN from the outside is dropped, not answered with RST, and leaves no conntrack entry.
     */
    void onlyOutgoing() throws IOException, InterruptedException {
        String rules = "table ip filter {\n chain in {\n  type filter hook input priority 0;\n  iifname \"" + prefix
                + "c\" meta l4proto tcp ct state new drop\n }\n}\n";
        Process nft = new ProcessBuilder("ip", "netns", "exec", router(), "nft", "-f", "-").redirectErrorStream(true).start();
        nft.getOutputStream().write(rules.getBytes(StandardCharsets.US_ASCII));
        nft.getOutputStream().close();
        String output = new String(nft.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!nft.waitFor(10, TimeUnit.SECONDS) || nft.exitValue() != 0) {
            throw new IOException("nft refused the filter rules: " + output);
        }
    }

    /** Starts {@code command} inside {@code namespace}; it is killed when the topology closes. */
    Process start(String namespace, List<String> command, Path output) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(command);
        Process process = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        processes.add(process);
        return process;
    }

    /**
     * dumpcap (Wireshark's capture tool) on one of the router's two sides, written to {@code pcap} for tshark; stops
     * when the topology closes.
     */
    Process capture(boolean insideNat, Path pcap) throws IOException {
        String device = insideNat ? prefix + "b" : prefix + "c";
        return start(router(), List.of("dumpcap", "-q", "-i", device, "-f", "tcp", "-P", "-w", pcap.toString()),
                pcap.resolveSibling(pcap.getFileName() + ".log"));
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(20, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }

    @Override
    public void close() {
        for (Process process : processes) {
            process.destroy();
        }
        for (Process process : processes) {
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (String namespace : List.of(ue(), router(), gateway())) {
            try {
                run("ip", "netns", "del", namespace);
            } catch (IOException | InterruptedException e) {
                // not made, or already gone
            }
        }
        try {
            run("ip", "link", "del", prefix + "m");
        } catch (IOException | InterruptedException e) {
            // went with the gateway's namespace
        }
    }
}
