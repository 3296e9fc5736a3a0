package org.mediasec.msrp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Turns the lines of a frame head into an {@link MsrpFrameHead} (RFC 4975 9). One instance per frame. */
final class MsrpHeadParser {

    private final MsrpLimits limits;
    private MsrpStartLine startLine;
    private List<MsrpUri> toPath;
    private List<MsrpUri> fromPath;
    private final List<MsrpHeader> headers = new ArrayList<>();
    private int lines;

    MsrpHeadParser(MsrpLimits limits) {
        this.limits = limits;
    }

    MsrpStartLine startLine() {
        return startLine;
    }

    /** One line without its CRLF; offset is where it starts in the stream. */
    void line(byte[] bytes, int from, int to, long offset) throws MsrpParseException {
        String line = ascii(bytes, from, to, offset);
        if (lines++ == 0) {
            startLine = startLine(line, offset);
            return;
        }
        if (lines > limits.maxHeaders() + 1) {
            throw new MsrpParseException(offset, 413, "more than " + limits.maxHeaders() + " headers");
        }
        int colon = line.indexOf(':');
        if (colon <= 0 || colon + 1 >= line.length() || line.charAt(colon + 1) != ' ') {
            throw new MsrpParseException(offset, "header is not 'Name: value': " + Texts.printable(line));
        }
        String name = line.substring(0, colon);
        String value = line.substring(colon + 2);
        if (!name.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != ':')) {
            throw new MsrpParseException(offset, "bad header name: " + Texts.printable(name));
        }
        // RFC 4975 9: headers = To-Path CRLF From-Path CRLF 1*( header CRLF )
        if (lines == 2) {
            if (!name.equalsIgnoreCase("To-Path")) {
                throw new MsrpParseException(offset, "first header must be To-Path, found " + Texts.printable(name));
            }
            toPath = paths(value, offset + colon + 2);
        } else if (lines == 3) {
            if (!name.equalsIgnoreCase("From-Path")) {
                throw new MsrpParseException(offset, "second header must be From-Path, found " + Texts.printable(name));
            }
            fromPath = paths(value, offset + colon + 2);
        } else {
            if (name.equalsIgnoreCase("To-Path") || name.equalsIgnoreCase("From-Path")) {
                throw new MsrpParseException(offset, name + " appears twice");
            }
            if (name.equalsIgnoreCase("Byte-Range")) {
                ByteRange.parse(value, offset + colon + 2);
            }
            headers.add(new MsrpHeader(name, value));
        }
    }

    /** The head is complete (blank line or end-line reached). */
    MsrpFrameHead finish(boolean hasBody, long offset) throws MsrpParseException {
        if (toPath == null || fromPath == null) {
            throw new MsrpParseException(offset, "frame without To-Path and From-Path");
        }
        if (hasBody && startLine instanceof MsrpStartLine.Response) {
            throw new MsrpParseException(offset, "a response carries no body");
        }
        if (hasBody && headers.stream().noneMatch(header -> header.is("Content-Type"))) {
            // RFC 4975 9: content-stuff = *(Other-Mime-header CRLF) Content-Type 2CRLF data CRLF
            throw new MsrpParseException(offset, "a body without Content-Type");
        }
        return new MsrpFrameHead(startLine, toPath, fromPath, headers, hasBody);
    }

    private static MsrpStartLine startLine(String line, long offset) throws MsrpParseException {
        if (!line.startsWith("MSRP ")) {
            throw new MsrpParseException(offset, "frame does not start with 'MSRP ': " + Texts.printable(line));
        }
        int space = line.indexOf(' ', 5);
        if (space < 0) {
            throw new MsrpParseException(offset, "start line without method or status: " + Texts.printable(line));
        }
        String transactionId = line.substring(5, space);
        if (!Texts.isIdent(transactionId)) {
            throw new MsrpParseException(offset + 5, "bad transaction ID: " + Texts.printable(transactionId));
        }
        String rest = line.substring(space + 1);
        if (rest.length() >= 3 && Character.isDigit(rest.charAt(0))) {
            if (!(Character.isDigit(rest.charAt(1)) && Character.isDigit(rest.charAt(2)))
                    || (rest.length() > 3 && rest.charAt(3) != ' ')) {
                throw new MsrpParseException(offset + space + 1, "bad status code: " + Texts.printable(rest));
            }
            int status = Integer.parseInt(rest.substring(0, 3));
            Optional<String> comment = rest.length() > 4 ? Optional.of(rest.substring(4)) : Optional.empty();
            return new MsrpStartLine.Response(transactionId, status, comment);
        }
        if (rest.isEmpty() || !rest.chars().allMatch(c -> c >= 'A' && c <= 'Z')) {
            throw new MsrpParseException(offset + space + 1, "bad method: " + Texts.printable(rest));
        }
        return new MsrpStartLine.Request(transactionId, rest);
    }

    private static List<MsrpUri> paths(String value, long offset) throws MsrpParseException {
        List<MsrpUri> uris = new ArrayList<>();
        int at = 0;
        for (String part : value.split(" ", -1)) {
            if (part.isEmpty()) {
                throw new MsrpParseException(offset + at, "empty URI in path");
            }
            uris.add(MsrpUri.parse(part, offset + at));
            at += part.length() + 1;
        }
        return uris;
    }

    /** Head lines are UTF-8 in RFC 4975 (utf8text in comments); control characters are refused. */
    private static String ascii(byte[] bytes, int from, int to, long offset) throws MsrpParseException {
        for (int i = from; i < to; i++) {
            int b = bytes[i] & 0xff;
            if (b < 0x20 && b != '\t' || b == 0x7f) {
                throw new MsrpParseException(offset + i - from, String.format("control character 0x%02x in frame head", b));
            }
        }
        return new String(bytes, from, to - from, StandardCharsets.UTF_8);
    }
}
