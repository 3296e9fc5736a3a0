package org.mediasec.msrp.conference;

import java.util.List;
import org.mediasec.msrp.MsrpUri;

/**
 * A participant of an MSRP conference as the focus sees it (RFC 7701 3): its MSRP path (the UE's a=path), the
 * focus's own URI towards it (our a=path in its session: the To-Path of what it sends us), the media types it
 * accepts (a=accept-types; message/cpim there means its messages from others come CPIM-wrapped, RFC 7701 7.1), and
 * the identity its messages are attributed with in CPIM (RFC 3862 From).
 */
public record ConferenceMember(String key, List<MsrpUri> path, MsrpUri focusUri, List<String> acceptTypes, String identity) {

    public ConferenceMember {
        path = List.copyOf(path);
        acceptTypes = List.copyOf(acceptTypes);
        if (path.isEmpty()) {
            throw new IllegalArgumentException("a member needs its MSRP path");
        }
    }

    boolean acceptsCpim() {
        return acceptTypes.stream().anyMatch(type -> type.equalsIgnoreCase("message/cpim"));
    }

    boolean accepts(String contentType) {
        String bare = contentType.split(";", 2)[0].strip();
        String major = bare.contains("/") ? bare.substring(0, bare.indexOf('/')) : bare;
        return acceptTypes.isEmpty() || acceptTypes.stream().anyMatch(type -> type.equals("*") || type.equalsIgnoreCase(bare)
                || type.equalsIgnoreCase(major + "/*"));
    }
}
