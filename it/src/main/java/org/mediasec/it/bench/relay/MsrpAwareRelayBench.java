package org.mediasec.it.bench.relay;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.mediasec.bearer.BearerConfig;
import org.mediasec.bearer.BearerPlane;
import org.mediasec.bearer.LegSpec;
import org.mediasec.bearer.RelayPair;
import org.mediasec.bearer.Side;
import org.mediasec.msrp.MsrpUri;
import org.mediasec.msrp.relay.MsrpPathRewrite;

/**
 * MSRP-aware against application-agnostic relaying (GW-6; run on demand, not in CI): one file as SEND chunks from a
 * UE socket through a relay pair of our bearer plane to a core socket, once with legs that only copy bytes and once
 * with legs that parse every frame and rewrite its To-Path and From-Path ({@code LegSpec.withMsrp}), in 2 KiB and
 * 64 KiB chunks. Both modes run in the same JVM, on the same pair code, in the same run: the ratio aware ÷ agnostic
 * is the cost of parsing and rewriting (target of issue 21: at least 0.5 at 64 KiB chunks). The frames are encoded
 * before the clock starts; the core counts bytes until the last chunk's end-line. Prints a Markdown table, the best
 * of {@code --rounds} rounds per figure.
 *
 * <p>{@code --megabytes N} the file (100), {@code --rounds N} (3).
 */
public final class MsrpAwareRelayBench {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int[] CHUNKS = {2048, 65536};

    private MsrpAwareRelayBench() {}

    public static void main(String[] args) throws Exception {
        int megabytes = 100;
        int rounds = 3;
        for (int i = 0; i < args.length - 1; i += 2) {
            switch (args[i]) {
                case "--megabytes" -> megabytes = Integer.parseInt(args[i + 1]);
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (--megabytes N, --rounds N)");
            }
        }
        byte[] file = new byte[megabytes << 20];
        new Random(1).nextBytes(file);
        StringBuilder table = new StringBuilder("| chunk | agnostic (MB/s) | MSRP-aware (MB/s) | aware ÷ agnostic |\n|---|---|---|---|\n");
        try (BearerPlane plane = new BearerPlane(BearerConfig.DEFAULT)) {
            for (int chunk : CHUNKS) {
                double agnostic = 0;
                double aware = 0;
                for (int round = 0; round < rounds; round++) {
                    agnostic = Math.max(agnostic, run(plane, file, chunk, false));
                    aware = Math.max(aware, run(plane, file, chunk, true));
                }
                table.append(String.format("| %d KiB | %.0f | %.0f | **%.2f×** |%n", chunk / 1024, agnostic, aware, aware / agnostic));
            }
        }
        System.out.print(table);
    }

    /** One transfer of {@code file} in chunks through a fresh pair: MB/s of message bytes, first write to last end-line. */
    private static double run(BearerPlane plane, byte[] file, int chunk, boolean aware) throws Exception {
        try (ServerSocket coreListener = new ServerSocket(0, 1, LOOPBACK)) {
            int uePort;
            try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK)) {
                uePort = probe.getLocalPort();
            }
            // session-ids padded so that every URI has the same length: the bytes on the core side equal the UE's
            MsrpUri ue = MsrpUri.of(false, "127.0.0.1", 40000, "ue00000000");
            MsrpUri gatewayToUe = MsrpUri.of(false, "127.0.0.1", uePort, "gwue000000");
            MsrpUri gatewayToCore = MsrpUri.of(false, "127.0.0.1", 40001, "gwcore0000");
            MsrpUri core = MsrpUri.of(false, "127.0.0.1", coreListener.getLocalPort(), "core000000");
            LegSpec legA = LegSpec.passive(new InetSocketAddress(LOOPBACK, uePort), Optional.of(new InetSocketAddress(LOOPBACK, 0)));
            LegSpec legB = LegSpec.active(new InetSocketAddress(LOOPBACK, 0), (InetSocketAddress) coreListener.getLocalSocketAddress());
            if (aware) {
                legA = legA.withMsrp(new MsrpPathRewrite(gatewayToUe, List.of(core), List.of(gatewayToCore)));
                legB = legB.withMsrp(new MsrpPathRewrite(gatewayToCore, List.of(ue), List.of(gatewayToUe)));
            }
            RelayPair pair = plane.open(legA, legB, event -> { }).get(10, TimeUnit.SECONDS);
            byte[] frames = frames(file, chunk, gatewayToUe, ue);
            byte[] lastEndLine = endLine(file.length / chunk + (file.length % chunk == 0 ? 0 : 1));
            try (Socket atUe = new Socket(LOOPBACK, pair.localAddress(Side.A).getPort()); Socket atCore = coreListener.accept()) {
                CompletableFuture<Long> received = CompletableFuture.supplyAsync(() -> readUntil(atCore, lastEndLine));
                long start = System.nanoTime();
                OutputStream out = atUe.getOutputStream();
                for (int offset = 0; offset < frames.length; offset += 1 << 20) {
                    out.write(frames, offset, Math.min(1 << 20, frames.length - offset));
                }
                long bytes = received.get(5, TimeUnit.MINUTES);
                double seconds = (System.nanoTime() - start) / 1e9;
                if (bytes != frames.length) {
                    throw new IllegalStateException("the core got " + bytes + " bytes, the UE sent " + frames.length);
                }
                return file.length / 1e6 / seconds;
            } finally {
                pair.release("bench round done");
                pair.released().get(10, TimeUnit.SECONDS);
            }
        }
    }

    /** The file as SEND chunks of one message (RFC 4975 7.1.1), from the UE to the gateway's URI on its leg. */
    private static byte[] frames(byte[] file, int chunk, MsrpUri to, MsrpUri from) {
        ByteArrayOutputStream all = new ByteArrayOutputStream(file.length + file.length / chunk * 256 + 1024);
        int index = 0;
        for (int offset = 0; offset < file.length; offset += chunk) {
            index++;
            int end = Math.min(file.length, offset + chunk);
            String head = "MSRP t" + index + "xxxx SEND\r\nTo-Path: " + to + "\r\nFrom-Path: " + from + "\r\nMessage-ID: bench0001\r\nByte-Range: "
                    + (offset + 1) + "-" + end + "/" + file.length + "\r\nFailure-Report: no\r\nContent-Type: application/octet-stream\r\n\r\n";
            all.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
            all.write(file, offset, end - offset);
            all.writeBytes(endLine(index));
        }
        return all.toByteArray();
    }

    private static byte[] endLine(int index) {
        return ("\r\n-------t" + index + "xxxx$\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Bytes read until the stream ends with {@code last}. */
    private static long readUntil(Socket socket, byte[] last) {
        byte[] buffer = new byte[1 << 16];
        byte[] tail = new byte[last.length];
        long total = 0;
        try {
            InputStream in = socket.getInputStream();
            while (true) {
                int read = in.read(buffer);
                if (read < 0) {
                    throw new IllegalStateException("the core's connection ended after " + total + " bytes");
                }
                total += read;
                if (read >= tail.length) {
                    System.arraycopy(buffer, read - tail.length, tail, 0, tail.length);
                } else {
                    System.arraycopy(tail, read, tail, 0, tail.length - read);
                    System.arraycopy(buffer, 0, tail, tail.length - read, read);
                }
                if (Arrays.equals(tail, last)) {
                    return total;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
