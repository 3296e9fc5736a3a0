package org.mediasec.msrp;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes MSRP frames (RFC 4975 9): a head (start line, To-Path, From-Path, other headers, and the blank line
 * when a body follows), then the caller's body bytes, then {@link #endLine}.
 */
public final class MsrpEncoder {

    private MsrpEncoder() {}

    public static void writeHead(MsrpFrameHead head, StringBuilder out) {
        out.append("MSRP ").append(head.transactionId()).append(' ');
        switch (head.startLine()) {
            case MsrpStartLine.Request request -> out.append(request.method());
            case MsrpStartLine.Response response -> {
                out.append(String.format("%03d", response.statusCode()));
                response.comment().ifPresent(comment -> out.append(' ').append(comment));
            }
        }
        out.append("\r\n");
        path(out, "To-Path: ", head.toPath());
        path(out, "From-Path: ", head.fromPath());
        for (MsrpHeader header : head.headers()) {
            out.append(header.name()).append(": ").append(header.value()).append("\r\n");
        }
        if (head.hasBody()) {
            out.append("\r\n");
        }
    }

    public static byte[] head(MsrpFrameHead head) {
        StringBuilder out = new StringBuilder(256);
        writeHead(head, out);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The end-line; after a body it is preceded by the CRLF that ends the body ("data CRLF end-line").
     */
    public static byte[] endLine(String transactionId, ContinuationFlag flag, boolean afterBody) {
        String line = (afterBody ? "\r\n" : "") + "-------" + transactionId + flag.character() + "\r\n";
        return line.getBytes(StandardCharsets.US_ASCII);
    }

    /** A whole frame with a body held in memory: for small messages, reports and tests. */
    public static byte[] frame(MsrpFrameHead head, byte[] body, ContinuationFlag flag) {
        byte[] start = head(head);
        byte[] end = endLine(head.transactionId(), flag, head.hasBody());
        byte[] frame = new byte[start.length + (head.hasBody() ? body.length : 0) + end.length];
        System.arraycopy(start, 0, frame, 0, start.length);
        int at = start.length;
        if (head.hasBody()) {
            System.arraycopy(body, 0, frame, at, body.length);
            at += body.length;
        }
        System.arraycopy(end, 0, frame, at, end.length);
        return frame;
    }

    private static void path(StringBuilder out, String name, List<MsrpUri> uris) {
        out.append(name);
        for (int i = 0; i < uris.size(); i++) {
            if (i > 0) {
                out.append(' ');
            }
            out.append(uris.get(i));
        }
        out.append("\r\n");
    }
}
