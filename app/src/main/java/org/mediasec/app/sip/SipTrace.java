package org.mediasec.app.sip;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The SIP messages in a SIPp message trace ({@code -trace_msg}): each entry is a dashed line with a time, a line
 * saying whether the message was sent or received, a blank line and the message. Read whole each time: SIPp flushes
 * each entry as it writes it, so a test can read while SIPp runs.
 */
public record SipTrace(List<Message> messages) {

    /** One message: sent or received, its start line, its headers and body as text. */
    public record Message(boolean received, String startLine, String text) {

        /** The body after the blank line that ends the headers (empty without one). */
        public String body() {
            int end = text.indexOf("\n\n");
            int crlf = text.indexOf("\r\n\r\n");
            if (crlf >= 0 && (end < 0 || crlf < end)) {
                return text.substring(crlf + 4);
            }
            return end < 0 ? "" : text.substring(end + 2);
        }

        /** A header's first value, e.g. {@code header("To")}. */
        public Optional<String> header(String name) {
            return text.lines().takeWhile(line -> !line.isEmpty()).filter(line -> line.regionMatches(true, 0, name + ":", 0, name.length() + 1))
                    .map(line -> line.substring(name.length() + 1).trim()).findFirst();
        }

        /** A response's status code, 0 for a request. */
        public int status() {
            return startLine.startsWith("SIP/2.0 ") ? Integer.parseInt(startLine.substring(8, 11)) : 0;
        }
    }

    private static final String SEPARATOR = "-----------------------------------------------";

    public static SipTrace read(Path file) throws IOException {
        List<Message> messages = new ArrayList<>();
        if (!Files.exists(file)) {
            return new SipTrace(messages);
        }
        String all = Files.readString(file, StandardCharsets.ISO_8859_1);
        for (String entry : all.split(SEPARATOR + "[^\n]*\n")) {
            int blank = entry.indexOf("\n\n");
            if (blank < 0 || !(entry.startsWith("UDP message") || entry.contains(" message received") || entry.contains(" message sent"))) {
                continue;
            }
            boolean received = entry.substring(0, blank).contains("received");
            String text = entry.substring(blank + 2).replaceAll("[\r\n]+$", "");
            String start = text.lines().findFirst().orElse("");
            messages.add(new Message(received, start, text));
        }
        return new SipTrace(List.copyOf(messages));
    }

    /** The received messages whose start line starts with {@code prefix} ({@code "INVITE"}, {@code "SIP/2.0 200"}). */
    public List<Message> received(String prefix) {
        return messages.stream().filter(Message::received).filter(message -> message.startLine().startsWith(prefix)).toList();
    }

    /** The SDP of the last received message that starts with {@code prefix} and carries a body. */
    public Optional<String> lastReceivedSdp(String prefix) {
        List<Message> matching = received(prefix).stream().filter(message -> message.body().startsWith("v=0")).toList();
        return matching.isEmpty() ? Optional.empty() : Optional.of(matching.get(matching.size() - 1).body());
    }
}
