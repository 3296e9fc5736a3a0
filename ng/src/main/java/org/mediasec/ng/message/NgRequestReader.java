package org.mediasec.ng.message;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.mediasec.ng.NgDictionary;
import org.mediasec.ng.NgInteger;
import org.mediasec.ng.NgList;
import org.mediasec.ng.NgString;
import org.mediasec.ng.NgValue;

/**
 * Reads an ng request dictionary into an {@link NgRequest}, or fails with an {@link NgMessageException} whose
 * reason is the error reply's text. Keys are compared normalised ({@link NgKeys#normalise}); two spellings of one
 * key are a duplicate, refused rather than guessed between. A typed key with a value of the wrong type is refused
 * with its name (rtpengine would treat it as missing). Keys that are not typed are kept as they came. Stateless.
 */
public final class NgRequestReader {

    /** rtpengine's reason when {@code command} is missing. */
    public static final String NO_COMMAND = "Dictionary contains no key \"command\"";

    private final Map<String, Map.Entry<String, NgValue>> byNormalisedKey;

    private NgRequestReader(Map<String, Map.Entry<String, NgValue>> byNormalisedKey) {
        this.byNormalisedKey = byNormalisedKey;
    }

    public static NgRequest read(NgDictionary dictionary) throws NgMessageException {
        NgRequestReader reader = new NgRequestReader(index(dictionary));
        String command = reader.string(NgKeys.COMMAND).orElseThrow(() -> new NgMessageException(NO_COMMAND));
        NgParameters parameters = reader.parameters();
        try {
            return NgCommands.typed(command)
                    .map(constructor -> constructor.apply(parameters))
                    .orElseGet(() -> new NgRequest.Unknown(command, parameters));
        } catch (IllegalArgumentException missingKey) {
            throw new NgMessageException(missingKey.getMessage());
        }
    }

    private static Map<String, Map.Entry<String, NgValue>> index(NgDictionary dictionary) throws NgMessageException {
        Map<String, Map.Entry<String, NgValue>> index = new LinkedHashMap<>();
        for (Map.Entry<NgString, NgValue> entry : dictionary.entries().entrySet()) {
            String key = entry.getKey().utf8().orElseThrow(() -> new NgMessageException("Dictionary key is not UTF-8 text"));
            Map.Entry<String, NgValue> earlier = index.putIfAbsent(NgKeys.normalise(key), Map.entry(key, entry.getValue()));
            if (earlier != null) {
                throw new NgMessageException("Duplicate key " + Printable.quoted(key) + " (also given as " + Printable.quoted(earlier.getKey()) + ")");
            }
        }
        return index;
    }

    private NgParameters parameters() throws NgMessageException {
        Optional<ReceivedFrom> receivedFrom = receivedFrom();
        Optional<SipMessageType> sipMessageType = sipMessageType();
        try {
            return new NgParameters(string(NgKeys.CALL_ID), string(NgKeys.FROM_TAG), string(NgKeys.TO_TAG), string(NgKeys.VIA_BRANCH),
                    string(NgKeys.SDP), strings(NgKeys.FLAGS), strings(NgKeys.REPLACE), strings(NgKeys.DIRECTION), receivedFrom,
                    string(NgKeys.TRANSPORT_PROTOCOL), sipMessageType, string(NgKeys.RTPP_FLAGS), count(NgKeys.DELETE_DELAY),
                    count(NgKeys.LIMIT), strings(NgKeys.SUPPORTS), extra());
        } catch (IllegalArgumentException badValue) {
            throw new NgMessageException(badValue.getMessage());
        }
    }

    private Map<String, NgValue> extra() {
        Map<String, NgValue> extra = new LinkedHashMap<>();
        byNormalisedKey.forEach((normalised, entry) -> {
            if (!NgKeys.TYPED.contains(normalised)) {
                extra.put(entry.getKey(), entry.getValue());
            }
        });
        return extra;
    }

    private Optional<String> string(String key) throws NgMessageException {
        Optional<Map.Entry<String, NgValue>> entry = entry(key);
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(text(entry.get().getKey(), entry.get().getValue()));
    }

    private List<String> strings(String key) throws NgMessageException {
        Optional<Map.Entry<String, NgValue>> entry = entry(key);
        if (entry.isEmpty()) {
            return List.of();
        }
        if (!(entry.get().getValue() instanceof NgList list)) {
            throw wrongType(entry.get().getKey(), "a list of strings", entry.get().getValue());
        }
        List<String> texts = new ArrayList<>(list.items().size());
        for (NgValue item : list.items()) {
            texts.add(text(entry.get().getKey(), item));
        }
        return texts;
    }

    private Optional<ReceivedFrom> receivedFrom() throws NgMessageException {
        List<String> pair = strings(NgKeys.RECEIVED_FROM);
        if (pair.isEmpty()) {
            return Optional.empty();
        }
        if (pair.size() != 2) {
            throw new NgMessageException("received-from: a list of an address family and an address, not " + pair.size() + " strings");
        }
        try {
            return Optional.of(new ReceivedFrom(pair.get(0), pair.get(1)));
        } catch (IllegalArgumentException badAddress) {
            throw new NgMessageException(badAddress.getMessage());
        }
    }

    private Optional<SipMessageType> sipMessageType() throws NgMessageException {
        Optional<String> text = string(NgKeys.SIP_MESSAGE_TYPE);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(SipMessageType.parse(text.get())
                .orElseThrow(() -> new NgMessageException("Unknown sip-message-type (neither a request nor a reply)")));
    }

    /** A count of seconds or items: an integer, or a decimal string (Kamailio's flags give {@code delete-delay=5}). */
    private OptionalInt count(String key) throws NgMessageException {
        Optional<Map.Entry<String, NgValue>> entry = entry(key);
        if (entry.isEmpty()) {
            return OptionalInt.empty();
        }
        String name = entry.get().getKey();
        long value = switch (entry.get().getValue()) {
            case NgInteger integer -> integer.value();
            case NgString string -> decimal(name, string);
            default -> throw wrongType(name, "an integer", entry.get().getValue());
        };
        if (value < 0) {
            throw new NgMessageException(key.equals(NgKeys.LIMIT) ? "invalid limit, must be >= 0" : "Invalid " + Printable.quoted(name) + ": must be >= 0");
        }
        if (value > Integer.MAX_VALUE) {
            throw new NgMessageException("Invalid " + Printable.quoted(name) + ": too large");
        }
        return OptionalInt.of((int) value);
    }

    private static long decimal(String name, NgString string) throws NgMessageException {
        String text = string.utf8().orElse("");
        // at most 10 digits: any int, and never a long overflow
        if (!text.matches("-?[0-9]{1,10}")) {
            throw new NgMessageException("Invalid " + Printable.quoted(name) + ": not a decimal integer");
        }
        return Long.parseLong(text);
    }

    private Optional<Map.Entry<String, NgValue>> entry(String normalisedKey) {
        return Optional.ofNullable(byNormalisedKey.get(normalisedKey));
    }

    private static String text(String key, NgValue value) throws NgMessageException {
        if (!(value instanceof NgString string)) {
            throw wrongType(key, "a string", value);
        }
        return string.utf8().orElseThrow(() -> new NgMessageException("Value of " + Printable.quoted(key) + " is not UTF-8 text"));
    }

    private static NgMessageException wrongType(String key, String expected, NgValue value) {
        return new NgMessageException("Wrong type for " + Printable.quoted(key) + ": " + expected + " is expected, not " + value.kind());
    }
}
