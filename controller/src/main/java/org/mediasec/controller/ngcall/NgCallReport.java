package org.mediasec.controller.ngcall;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mediasec.controller.alg.PartyEndpoint;
import org.mediasec.ng.NgDictionary;
import org.mediasec.ng.NgInteger;
import org.mediasec.ng.NgList;
import org.mediasec.ng.NgString;
import org.mediasec.ng.NgValue;
import org.mediasec.ng.message.NgReply;
import org.mediasec.sdp.MediaDescription;

/**
 * The {@code query} and {@code statistics} replies, with rtpengine's key names where they mean the same
 * ({@code created}, {@code last signal}, {@code tags}, {@code in dialogue with}, {@code medias}, {@code totals};
 * {@code currentstatistics}, {@code totalstatistics}), so that a proxy reading rtpengine's finds its keys. mediasec
 * relays no RTP: the RTP and RTCP totals are 0. Pure.
 */
final class NgCallReport {

    private NgCallReport() {}

    /** @param ends each tag's ends on the anchored m-lines (none for a tag the procedures hold nothing for yet) */
    static NgReply query(NgCall call, Map<String, List<PartyEndpoint>> ends, long now) {
        NgDictionary.Builder tags = NgDictionary.builder();
        String firstDialog = call.branches.keySet().stream().findFirst().orElse("");
        tags.put(call.callerTag, tag(call.callerTag, call.created, firstDialog, medias(call, ends.getOrDefault(call.callerTag, List.of()))));
        for (NgCall.Branch branch : call.branches.values()) {
            tags.put(branch.tag, tag(branch.tag, call.created, call.callerTag, medias(call, ends.getOrDefault(branch.tag, List.of()))));
        }
        NgDictionary none = NgDictionary.builder().put("packets", 0).put("bytes", 0).put("errors", 0).build();
        return NgReply.ok().with("created", new NgInteger(call.created)).with("last signal", new NgInteger(call.lastSignal))
                .with("tags", tags.build()).with("totals", NgDictionary.builder().put("RTP", none).put("RTCP", none).build())
                .with("dialogues", new NgInteger(call.branches.size())).with("offers waiting", new NgInteger(call.pending.size()));
    }

    private static NgDictionary tag(String tag, long created, String inDialogueWith, NgList medias) {
        NgDictionary.Builder entry = NgDictionary.builder().put("tag", tag).put("created", created).put("medias", medias);
        if (!inDialogueWith.isEmpty()) {
            entry.put("in dialogue with", inDialogueWith);
        }
        return entry.build();
    }

    /**
     * The first offer's m-lines (rtpengine numbers them from 1), whether mediasec anchors each, and for an anchored
     * one the party's end as rtpengine reports a stream's: {@code local port} (the gateway's, towards the party),
     * {@code endpoint} (where the party's media is: the latched source once the gateway reported it, TCP-6, else the
     * SDP's), {@code advertised endpoint} (the SDP's), {@code local address}, and the flag {@code confirmed} once the
     * gateway latched onto the endpoint. One stream per m-line: a TCP connection has no RTCP port.
     */
    private static NgList medias(NgCall call, List<PartyEndpoint> ends) {
        List<NgValue> medias = new ArrayList<>();
        List<MediaDescription> lines = call.firstOffer.media();
        List<String> unanchored = Unanchored.of(call.firstOffer);
        for (int i = 0; i < lines.size(); i++) {
            MediaDescription media = lines.get(i);
            String described = i + " " + media.mediaLine().media() + " " + media.transport().token();
            NgDictionary.Builder entry = NgDictionary.builder().put("index", i + 1).put("type", media.mediaLine().media())
                    .put("protocol", media.transport().token()).put("flags", NgList.of(NgString.of(unanchored.contains(described) ? "passthrough" : "anchored")));
            int index = i;
            ends.stream().filter(end -> end.mediaIndex() == index).findFirst().ifPresent(end -> entry.put("streams", NgList.of(stream(end))));
            medias.add(entry.build());
        }
        return new NgList(medias);
    }

    private static NgDictionary stream(PartyEndpoint end) {
        NgList flags = end.latched().isPresent() ? NgList.of(NgString.of("confirmed")) : NgList.of();
        return NgDictionary.builder().put("local address", end.localAddress()).put("local port", end.localPort())
                .put("endpoint", address(end.endpoint())).put("advertised endpoint", address(end.advertised())).put("flags", flags).build();
    }

    /** rtpengine's endpoint dictionary ({@code family}, {@code address}, {@code port}); empty when unknown. */
    private static NgDictionary address(Optional<InetSocketAddress> address) {
        return address.map(known -> NgDictionary.builder().put("family", known.getHostString().contains(":") ? "IPv6" : "IPv4")
                .put("address", known.getHostString()).put("port", known.getPort()).build()).orElse(NgDictionary.EMPTY);
    }

    static NgReply statistics(Collection<NgCall> calls, int released, NgCallMetrics metrics) {
        long dialogues = calls.stream().mapToLong(call -> call.branches.size()).sum();
        NgDictionary current = NgDictionary.builder().put("sessionsown", calls.size()).put("sessionsforeign", 0).put("sessionstotal", calls.size())
                .put("dialogues", dialogues).put("releasedbymediaplane", released).build();
        NgDictionary total = NgDictionary.builder().put("managedsessions", metrics.callsStarted()).put("refusedexchanges", metrics.refusals())
                .build();
        return NgReply.ok().with("statistics", NgDictionary.builder().put("currentstatistics", current).put("totalstatistics", total).build());
    }
}
