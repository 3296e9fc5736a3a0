package org.mediasec.kms.admin;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.mediasec.kms.KmsUser;

/**
 * The admin socket's wire form (docs/kms.md): one request per connection, one UTF-8 line of words separated by
 * single spaces and ended by LF; the reply is a status line ({@code ok|refused|bad-request} and a message) and data
 * lines, each ended by LF, and then the KMS closes. Identities never contain spaces or control characters
 * ({@link KmsUser}), so a word is never quoted.
 *
 * <pre>
 * user-add UID PSK-HEX *( SP resolve=UID / SP conference=UID )
 * user-remove UID
 * user-list
 * rotate-master-key ISO-8601-DURATION
 * rotate-kek
 * </pre>
 *
 * {@code parseRequest(request(r))} equals {@code r}, {@code parseReply(reply(a))} equals {@code a}; anything else is
 * an {@link AdminProtocolException} with its byte offset. Stateless.
 */
public final class AdminCodec {

    /** One request: a user with about a thousand rules of the longest identities fits. */
    public static final int MAX_REQUEST_BYTES = 1 << 20;
    /** One reply: the user list of a large KMS fits. */
    public static final int MAX_REPLY_BYTES = 64 << 20;

    private static final String ADD = "user-add";
    private static final String REMOVE = "user-remove";
    private static final String LIST = "user-list";
    private static final String ROTATE_MASTER_KEY = "rotate-master-key";
    private static final String ROTATE_KEK = "rotate-kek";
    private static final String RESOLVE = "resolve=";
    private static final String CONFERENCE = "conference=";
    private static final HexFormat HEX = HexFormat.of();

    private record Word(String text, int offset) {}

    private AdminCodec() {}

    public static byte[] request(AdminRequest request) {
        List<String> words = switch (request) {
            case AdminRequest.AddUser add -> {
                List<String> all = new ArrayList<>(List.of(ADD, add.user().uid(), HEX.formatHex(add.user().preSharedKey())));
                add.user().mayResolveFor().stream().sorted().forEach(uid -> all.add(RESOLVE + uid));
                add.user().conferences().stream().sorted().forEach(uid -> all.add(CONFERENCE + uid));
                yield all;
            }
            case AdminRequest.RemoveUser remove -> List.of(REMOVE, remove.uid());
            case AdminRequest.ListUsers list -> List.of(LIST);
            case AdminRequest.RotateMasterKey rotate -> List.of(ROTATE_MASTER_KEY, rotate.maxTicketLifetime().toString());
            case AdminRequest.RotateKek rotate -> List.of(ROTATE_KEK);
        };
        return (String.join(" ", words) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    public static AdminRequest parseRequest(byte[] bytes) throws AdminProtocolException {
        String line = line(bytes, MAX_REQUEST_BYTES, "request");
        int end = bytes.length - 1;
        List<Word> words = words(line);
        Word command = words.get(0);
        return switch (command.text()) {
            case ADD -> addUser(words, end);
            case REMOVE -> {
                arguments(words, 1, end);
                yield new AdminRequest.RemoveUser(identity(words.get(1)));
            }
            case LIST -> {
                arguments(words, 0, end);
                yield new AdminRequest.ListUsers();
            }
            case ROTATE_MASTER_KEY -> {
                arguments(words, 1, end);
                yield rotateMasterKey(words.get(1));
            }
            case ROTATE_KEK -> {
                arguments(words, 0, end);
                yield new AdminRequest.RotateKek();
            }
            default -> throw new AdminProtocolException(command.offset(), "unknown command '" + printable(command.text()) + "'");
        };
    }

    private static AdminRequest addUser(List<Word> words, int end) throws AdminProtocolException {
        if (words.size() < 3) {
            throw new AdminProtocolException(end, ADD + " needs a UID and a key");
        }
        String uid = identity(words.get(1));
        Word key = words.get(2);
        byte[] psk;
        try {
            psk = HEX.parseHex(key.text());
        } catch (IllegalArgumentException e) {
            throw new AdminProtocolException(key.offset(), "the key is not hex digits");
        }
        if (psk.length < KmsUser.MIN_KEY_BYTES || psk.length > KmsUser.MAX_KEY_BYTES) {
            throw new AdminProtocolException(key.offset(), "a key has " + KmsUser.MIN_KEY_BYTES + " to " + KmsUser.MAX_KEY_BYTES + " bytes");
        }
        Set<String> resolve = new LinkedHashSet<>();
        Set<String> conferences = new LinkedHashSet<>();
        for (Word rule : words.subList(3, words.size())) {
            if (rule.text().startsWith(RESOLVE)) {
                resolve.add(identity(new Word(rule.text().substring(RESOLVE.length()), rule.offset() + RESOLVE.length())));
            } else if (rule.text().startsWith(CONFERENCE)) {
                conferences.add(identity(new Word(rule.text().substring(CONFERENCE.length()), rule.offset() + CONFERENCE.length())));
            } else {
                throw new AdminProtocolException(rule.offset(), "a rule is " + RESOLVE + "UID or " + CONFERENCE + "UID");
            }
        }
        return new AdminRequest.AddUser(new KmsUser(uid, psk, resolve, conferences));
    }

    private static AdminRequest rotateMasterKey(Word lifetime) throws AdminProtocolException {
        try {
            return new AdminRequest.RotateMasterKey(Duration.parse(lifetime.text()));
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw new AdminProtocolException(lifetime.offset(), "the maximum ticket lifetime is a positive ISO-8601 duration, such as PT24H");
        }
    }

    private static String identity(Word word) throws AdminProtocolException {
        try {
            KmsUser.requireIdentity(word.text(), "identity");
        } catch (IllegalArgumentException e) {
            throw new AdminProtocolException(word.offset(), e.getMessage());
        }
        return word.text();
    }

    private static void arguments(List<Word> words, int expected, int end) throws AdminProtocolException {
        if (words.size() != expected + 1) {
            int offset = words.size() > expected + 1 ? words.get(expected + 1).offset() : end;
            throw new AdminProtocolException(offset, words.get(0).text() + " takes " + expected + " argument" + (expected == 1 ? "" : "s") + ", not "
                    + (words.size() - 1));
        }
    }

    /** The words of a line (its bytes without the LF, already checked to be UTF-8 without control characters). */
    private static List<Word> words(String line) throws AdminProtocolException {
        List<Word> words = new ArrayList<>();
        int offset = 0;
        int start = 0;
        for (int i = 0; i <= line.length(); i++) {
            if (i == line.length() || line.charAt(i) == ' ') {
                if (i == start) {
                    throw new AdminProtocolException(offset, "words are separated by one space, with none at either end");
                }
                words.add(new Word(line.substring(start, i), offset));
                offset += line.substring(start, i).getBytes(StandardCharsets.UTF_8).length + 1;
                start = i + 1;
            }
        }
        return words;
    }

    public static byte[] reply(AdminReply reply) {
        StringBuilder text = new StringBuilder(reply.status().token()).append(' ').append(reply.message()).append('\n');
        reply.lines().forEach(line -> text.append(line).append('\n'));
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static AdminReply parseReply(byte[] bytes) throws AdminProtocolException {
        String text = text(bytes, MAX_REPLY_BYTES, "reply", true);
        if (text.isEmpty() || text.charAt(text.length() - 1) != '\n') {
            throw new AdminProtocolException(bytes.length, "a reply ends with a line feed (the KMS closed early?)");
        }
        List<String> lines = new ArrayList<>(List.of(text.substring(0, text.length() - 1).split("\n", -1)));
        String status = lines.remove(0);
        int space = status.indexOf(' ');
        String token = space < 0 ? status : status.substring(0, space);
        for (AdminReply.Status candidate : AdminReply.Status.values()) {
            if (candidate.token().equals(token) && space > 0) {
                return new AdminReply(candidate, status.substring(space + 1), lines);
            }
        }
        throw new AdminProtocolException(0, "a reply starts with ok, refused or bad-request and a space");
    }

    /** The line of a request: UTF-8, one LF at its end and no other control character. */
    private static String line(byte[] bytes, int limit, String what) throws AdminProtocolException {
        String text = text(bytes, limit, what, false);
        if (text.isEmpty() || text.charAt(text.length() - 1) != '\n') {
            throw new AdminProtocolException(bytes.length, "a " + what + " is one line ended by a line feed");
        }
        return text.substring(0, text.length() - 1);
    }

    /** Strict UTF-8, within {@code limit}, without control characters (line feeds only where {@code multiline}, else last). */
    private static String text(byte[] bytes, int limit, String what, boolean multiline) throws AdminProtocolException {
        if (bytes.length > limit) {
            throw new AdminProtocolException(limit, "a " + what + " has at most " + limit + " bytes");
        }
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            boolean lineFeed = b == '\n' && (multiline || i == bytes.length - 1);
            if ((b < 0x20 && !lineFeed) || b == 0x7f) {
                throw new AdminProtocolException(i, "control character 0x" + Integer.toHexString(b) + " in a " + what);
            }
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer input = ByteBuffer.wrap(bytes);
        CharBuffer output = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(input, output, true);
        if (result.isError()) {
            throw new AdminProtocolException(input.position(), "a " + what + " is UTF-8");
        }
        return output.flip().toString();
    }

    /** {@code text} with every control character replaced, so that it stays on its line. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> out.appendCodePoint(c < 0x20 || c == 0x7f ? '?' : c));
        return out.toString();
    }
}
