package org.mediasec.ng.message;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.mediasec.ng.NgDictionary;
import org.mediasec.ng.NgString;
import org.mediasec.ng.NgValue;

/**
 * Replies to and from ng dictionaries, with rtpengine's field names: {@code result} ({@code ok}, {@code pong},
 * {@code error}, {@code load limit}), {@code sdp}, {@code warning}, {@code error-reason}, {@code message}. Reply
 * keys are written and read exactly (not normalised): they are rtpengine's, and Kamailio looks them up exactly.
 * Stateless.
 */
public final class NgReplies {

    public static final String OK = "ok";
    public static final String PONG = "pong";
    public static final String ERROR = "error";
    public static final String LOAD_LIMIT = "load limit";

    /**
     * rtpengine's error reason for a session limit, which is also how it answers a proxy that does not support
     * {@code load limit}; Kamailio recognises this text and tries the next node.
     */
    public static final String SESSION_LIMIT_REACHED = "Parallel session limit reached";

    /** rtpengine's message for its load limit ({@code magic_load_limit_strings[LOAD_LIMIT_LOAD]} in its control_ng.c). */
    public static final String LOAD_LIMIT_EXCEEDED = "Load limit exceeded";

    private NgReplies() {}

    public static NgDictionary write(NgReply reply) {
        NgDictionary.Builder dictionary = NgDictionary.builder();
        switch (reply) {
            case NgReply.Ok ok -> {
                dictionary.put(NgKeys.RESULT, OK);
                ok.sdp().ifPresent(sdp -> dictionary.put(NgKeys.SDP, sdp));
                ok.warning().ifPresent(warning -> dictionary.put(NgKeys.WARNING, warning));
                ok.fields().forEach(dictionary::put);
            }
            case NgReply.Pong pong -> dictionary.put(NgKeys.RESULT, PONG);
            case NgReply.Error error -> dictionary.put(NgKeys.RESULT, ERROR).put(NgKeys.ERROR_REASON, error.reason());
            case NgReply.LoadLimit limit -> {
                dictionary.put(NgKeys.RESULT, LOAD_LIMIT);
                limit.message().ifPresent(message -> dictionary.put(NgKeys.MESSAGE, message));
            }
        }
        return dictionary.build();
    }

    /** Reads a reply (from an rtpengine, or ours in tests); other keys of pong, error and load limit are ignored. */
    public static NgReply read(NgDictionary dictionary) throws NgMessageException {
        String result = text(dictionary, NgKeys.RESULT).orElseThrow(() -> new NgMessageException("No 'result' in reply"));
        return switch (result) {
            case OK -> ok(dictionary);
            case PONG -> new NgReply.Pong();
            case ERROR -> new NgReply.Error(text(dictionary, NgKeys.ERROR_REASON)
                    .orElseThrow(() -> new NgMessageException("error reply without error-reason")));
            case LOAD_LIMIT -> new NgReply.LoadLimit(text(dictionary, NgKeys.MESSAGE));
            default -> throw new NgMessageException("Unknown result " + Printable.quoted(result));
        };
    }

    /**
     * The reply as the request may receive it: {@code load limit} goes only to a proxy that said
     * {@code supports: ["load limit"]}; any other gets rtpengine's error instead (ng protocol, {@code supports}).
     */
    public static NgReply forRequest(NgRequest request, NgReply reply) {
        if (reply instanceof NgReply.LoadLimit limit && !request.parameters().supportsLoadLimit()) {
            return new NgReply.Error(limit.message().orElse(SESSION_LIMIT_REACHED));
        }
        return reply;
    }

    private static NgReply.Ok ok(NgDictionary dictionary) throws NgMessageException {
        Map<String, NgValue> fields = new LinkedHashMap<>();
        for (Map.Entry<NgString, NgValue> entry : dictionary.entries().entrySet()) {
            String key = entry.getKey().utf8().orElseThrow(() -> new NgMessageException("reply key is not UTF-8 text"));
            if (!NgReply.Ok.TYPED.contains(key)) {
                fields.put(key, entry.getValue());
            }
        }
        return new NgReply.Ok(text(dictionary, NgKeys.SDP), text(dictionary, NgKeys.WARNING), fields);
    }

    private static Optional<String> text(NgDictionary dictionary, String key) throws NgMessageException {
        Optional<NgValue> value = dictionary.get(key);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (!(value.get() instanceof NgString string)) {
            throw new NgMessageException("reply '" + key + "' is " + value.get().kind() + ", not a string");
        }
        return Optional.of(string.utf8().orElseThrow(() -> new NgMessageException("reply '" + key + "' is not UTF-8 text")));
    }
}
