package org.mediasec.msrp;

import java.util.List;
import java.util.Optional;

/**
 * Everything of an MSRP frame but its body and end-line (RFC 4975 9): the start line, the To-Path and From-Path
 * (parsed, in order), the other headers in the order received, and whether a body follows.
 */
public record MsrpFrameHead(
        MsrpStartLine startLine, List<MsrpUri> toPath, List<MsrpUri> fromPath, List<MsrpHeader> headers, boolean hasBody) {

    public MsrpFrameHead {
        toPath = List.copyOf(toPath);
        fromPath = List.copyOf(fromPath);
        headers = List.copyOf(headers);
        if (toPath.isEmpty() || fromPath.isEmpty()) {
            throw new IllegalArgumentException("To-Path and From-Path need at least one URI each");
        }
    }

    public String transactionId() {
        return startLine.transactionId();
    }

    /** The value of the first header of that name (case-insensitive). */
    public Optional<String> header(String name) {
        for (MsrpHeader header : headers) {
            if (header.is(name)) {
                return Optional.of(header.value());
            }
        }
        return Optional.empty();
    }

    public Optional<String> messageId() {
        return header("Message-ID");
    }

    public Optional<String> contentType() {
        return header("Content-Type");
    }

    /** Byte-Range, validated when the frame was decoded. */
    public Optional<ByteRange> byteRange() {
        return header("Byte-Range").map(value -> {
            try {
                return ByteRange.parse(value, 0);
            } catch (MsrpParseException e) {
                throw new IllegalStateException("Byte-Range was validated at decode time", e);
            }
        });
    }

    /** RFC 4975 7.1.2: Success-Report defaults to no. */
    public boolean successReportRequested() {
        return header("Success-Report").map("yes"::equalsIgnoreCase).orElse(false);
    }

    /** RFC 4975 7.1.2: Failure-Report yes (default), no or partial. */
    public String failureReport() {
        return header("Failure-Report").orElse("yes");
    }

    /** Whether a transaction response with {@code status} is sent for this request (RFC 4975 7.2, Failure-Report). */
    public boolean responseWanted(int status) {
        String failureReport = failureReport();
        return !(failureReport.equalsIgnoreCase("no") || (failureReport.equalsIgnoreCase("partial") && status == 200));
    }

    /**
     * The transaction response to this request (RFC 4975 7.2): To-Path the request's first From-Path URI (the
     * previous hop), From-Path its first To-Path URI (us), the status and its usual comment.
     */
    public MsrpFrameHead response(int status) {
        String comment = switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 413 -> "Stop Sending Message";
            case 481 -> "Session Does Not Exist";
            case 501 -> "Unknown Method";
            default -> "Error";
        };
        return new MsrpFrameHead(new MsrpStartLine.Response(transactionId(), status, Optional.of(comment)), List.of(fromPath.get(0)), List.of(toPath.get(0)),
                List.of(), false);
    }

    /** The same frame head with other paths: what an MSRP-aware relay sends on (GW-6). */
    public MsrpFrameHead withPaths(List<MsrpUri> newToPath, List<MsrpUri> newFromPath) {
        return new MsrpFrameHead(startLine, newToPath, newFromPath, headers, hasBody);
    }
}
