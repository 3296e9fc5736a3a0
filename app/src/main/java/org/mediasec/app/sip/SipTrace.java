package org.mediasec.app.sip;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SIP messages in a SIPp message trace ({@code -trace_msg}): each entry is a dashed line with a time, a line
 * saying whether the message was sent or received, a blank line and the message. Read whole each time: SIPp flushes
 * each entry as it writes it, so a test can read while SIPp runs.
 */
public record SipTrace(List<Message> messages) {

    /** One message: when SIPp logged it ({@code 2026-12-04 10:12:02.638254}: sortable), sent or received, its start line, its text. */
    public record Message(String at, boolean received, String startLine, String text) {

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

    /** An entry's first line: 47 dashes and SIPp's time stamp. */
    private static final Pattern ENTRY = Pattern.compile("-{47} ([0-9-]+ [0-9:.]+)\n");

    public static SipTrace read(Path file) throws IOException {
        List<Message> messages = new ArrayList<>();
        if (!Files.exists(file)) {
            return new SipTrace(messages);
        }
        String all = Files.readString(file, StandardCharsets.ISO_8859_1);
        Matcher entry = ENTRY.matcher(all);
        List<int[]> starts = new ArrayList<>();
        List<String> times = new ArrayList<>();
        while (entry.find()) {
            starts.add(new int[] {entry.start(), entry.end()});
            times.add(entry.group(1));
        }
        for (int i = 0; i < starts.size(); i++) {
            String body = all.substring(starts.get(i)[1], i + 1 < starts.size() ? starts.get(i + 1)[0] : all.length());
            int blank = body.indexOf("\n\n");
            if (blank < 0 || !body.contains(" message ")) {
                continue;
            }
            boolean received = body.substring(0, blank).contains("received");
            String text = body.substring(blank + 2).replaceAll("[\r\n]+$", "");
            messages.add(new Message(times.get(i), received, text.lines().findFirst().orElse(""), text));
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
