package org.mediasec.h248.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mediasec.h248.message.ActionReply;
import org.mediasec.h248.message.AuditItem;
import org.mediasec.h248.message.Command;
import org.mediasec.h248.message.CommandReply;
import org.mediasec.h248.message.CommandRequest;
import org.mediasec.h248.message.ContextAuditItem;
import org.mediasec.h248.message.ContextId;
import org.mediasec.h248.message.ContextProperty;
import org.mediasec.h248.message.Descriptor;
import org.mediasec.h248.message.ErrorDescriptor;
import org.mediasec.h248.message.Events;
import org.mediasec.h248.message.MediaParameter;
import org.mediasec.h248.message.Message;
import org.mediasec.h248.message.MessageBody;
import org.mediasec.h248.message.MessageId;
import org.mediasec.h248.message.PackageItem;
import org.mediasec.h248.message.PropertyParameter;
import org.mediasec.h248.message.PropertyValue;
import org.mediasec.h248.message.ServiceChangeParameter;
import org.mediasec.h248.message.Signals;
import org.mediasec.h248.message.TerminationId;
import org.mediasec.h248.message.TopologyDescriptor;
import org.mediasec.h248.message.Transaction;

/** Each construct of H.248.1 Annex B, parsed, checked field by field, and written back in both styles. */
class H248TextParserTest {

    private static Message roundTrip(String text) throws Exception {
        Message message = H248TextParser.parse(text);
        assertThat(H248TextParser.parse(H248TextWriter.pretty(message))).isEqualTo(message);
        assertThat(H248TextParser.parse(H248TextWriter.compact(message))).isEqualTo(message);
        return message;
    }

    private static Transaction.TransactionRequest request(String version, String body) throws Exception {
        return (Transaction.TransactionRequest) roundTrip("MEGACO/" + version + " [10.0.0.1]:2944\nTransaction = 7 {" + body + "}").transactions().get(0);
    }

    private static Command command(String version, String body) throws Exception {
        return request(version, "Context = 1 {" + body + "}").actions().get(0).commands().get(0).command();
    }

    @Test
    @Tag("H248-1")
    void messageIdentifiersOfEveryForm() throws Exception {
        assertThat(roundTrip("!/1 [192.0.2.1]:2944 T=1{C=-{N=ROOT{OE=1{g/cause}}}}").mId()).isEqualTo(MessageId.ipv4("192.0.2.1", 2944));
        assertThat(roundTrip("!/2 [2001:db8::1]:2944 T=1{C=-{N=ROOT{OE=1{g/cause}}}}").mId())
                .isEqualTo(new MessageId.Ipv6Address("2001:db8::1", OptionalInt.of(2944)));
        assertThat(roundTrip("!/2 [2001:db8::1] T=1{C=-{N=ROOT{OE=1{g/cause}}}}").mId())
                .isEqualTo(new MessageId.Ipv6Address("2001:db8::1", OptionalInt.empty()));
        assertThat(roundTrip("!/1 <mg1.example.net>:2945 T=1{C=-{N=ROOT{OE=1{g/cause}}}}").mId())
                .isEqualTo(new MessageId.DomainName("mg1.example.net", OptionalInt.of(2945)));
        assertThat(roundTrip("!/1 mg/unit7 T=1{C=-{N=ROOT{OE=1{g/cause}}}}").mId()).isEqualTo(new MessageId.DeviceName("mg/unit7"));
        assertThat(roundTrip("!/1 MTP{0A1B2C} T=1{C=-{N=ROOT{OE=1{g/cause}}}}").mId()).isEqualTo(new MessageId.MtpAddress("0A1B2C"));
    }

    @Test
    @Tag("H248-1")
    void contextIdsAndCommandFlags() throws Exception {
        Transaction.TransactionRequest request = request("1",
                "C=-{N=ROOT{OE=1{g/cause}}}, C=${A=ip/$}, C=*{O-W-S=*}, C=4294967295{W-AV=ip/*{AT{M,E}}, O-MF=ip/1}");
        assertThat(request.actions()).extracting(a -> a.contextId())
                .containsExactly(ContextId.NULL, ContextId.CHOOSE, ContextId.ALL, ContextId.of(4294967295L));
        assertThat(request.actions().get(2).commands().get(0)).isEqualTo(new CommandRequest(true, true, new Command.Subtract(TerminationId.ALL, Optional.empty())));
        CommandRequest audit = request.actions().get(3).commands().get(0);
        assertThat(audit.wildcardResponse()).isTrue();
        assertThat(audit.command()).isEqualTo(new Command.AuditValue(TerminationId.of("ip/*"),
                Optional.of(new Descriptor.AuditDescriptor(List.of(AuditItem.MEDIA, AuditItem.EVENTS)))));
        assertThat(request.actions().get(3).commands().get(1).optional()).isTrue();
    }

    @Test
    @Tag("H248-1")
    void tokensAreCaseInsensitiveAndCommentsAndLineBreaksAreWhiteSpace() throws Exception {
        Message mixed = roundTrip("megaco/1 [10.0.0.1]:2944 ; a comment\n\r\ntRaNsAcTiOn=7{ ; another\n cOnTeXt = - {sErViCeChAnGe=root{services{mEtHoD=ReStArT,rEaSoN=901}}}}");
        Message canonical = H248TextParser.parse("!/1 [10.0.0.1]:2944 T=7{C=-{SC=ROOT{SV{MT=RS,RE=901}}}}");
        assertThat(mixed).isEqualTo(canonical);
    }

    @Test
    @Tag("H248-1")
    void mediaDescriptorWithStreamsStateAndSdp() throws Exception {
        Command.Add add = (Command.Add) command("2", """
                Add = ip/$ { Media { TerminationState { ServiceStates = InService, Buffer = LockStep, nt/jit = 40 },
                  Stream = 1 { LocalControl { Mode = SendOnly, ReservedValue = ON, ReservedGroup = OFF, ds/dscp = 46 },
                               Local { v=0
                                       c=IN IP4 $
                                       m=message $ TCP/MSRP * },
                               Remote { v=0\\}odd } },
                  Stream = 2 { LocalControl { Mode = Loopback } } } }""");
        Descriptor.MediaDescriptor media = (Descriptor.MediaDescriptor) add.descriptors().get(0);
        assertThat(media.parameters().get(0)).isEqualTo(new MediaParameter.TerminationStateDescriptor(List.of(
                new MediaParameter.ServiceStates(MediaParameter.ServiceState.IN_SERVICE), new MediaParameter.EventBufferControl(true),
                new MediaParameter.TerminationStateProperty(PropertyParameter.of("nt/jit", "40")))));
        MediaParameter.StreamDescriptor stream = (MediaParameter.StreamDescriptor) media.parameters().get(1);
        assertThat(stream.streamId()).isEqualTo(1);
        assertThat(stream.parameters().get(1)).isEqualTo(new MediaParameter.LocalDescriptor("v=0\nc=IN IP4 $\nm=message $ TCP/MSRP *"));
        assertThat(stream.parameters().get(2)).isEqualTo(new MediaParameter.RemoteDescriptor("v=0}odd"));
    }

    @Test
    @Tag("H248-1")
    void propertyRelations() throws Exception {
        Command.Modify modify = (Command.Modify) command("1",
                "MF=ip/1{M{O{a/b=1, a/c>2, a/d<3, a/e#4, a/f=[1,2,3], a/g=[1:9], a/h={x,y}, a/i=\"with space\"}}}");
        MediaParameter.LocalControlDescriptor control = (MediaParameter.LocalControlDescriptor)
                ((Descriptor.MediaDescriptor) modify.descriptors().get(0)).parameters().get(0);
        assertThat(control.parameters()).extracting(p -> ((MediaParameter.LocalControlProperty) p).property().value()).containsExactly(
                PropertyValue.Single.equalTo("1"),
                new PropertyValue.Single(PropertyValue.Relation.GREATER, "2"),
                new PropertyValue.Single(PropertyValue.Relation.LESS, "3"),
                new PropertyValue.Single(PropertyValue.Relation.NOT_EQUAL, "4"),
                new PropertyValue.Alternatives(List.of("1", "2", "3")),
                new PropertyValue.Range("1", "9"),
                new PropertyValue.SubList(List.of("x", "y")),
                PropertyValue.Single.equalTo("with space"));
    }

    @Test
    @Tag("H248-1")
    void eventsWithEmbeddedSignalsAndEventsAndDigitMaps() throws Exception {
        Command.Modify modify = (Command.Modify) command("1", """
                Modify = A4444 { Events = 2223 { al/on { strict = state },
                    al/of { Embed { Signals { cg/dt { SignalType = TimeOut, Duration = 3000 } },
                                    Events = 2224 { dd/ce { DigitMap = Dialplan0 }, al/on { KeepActive } } } },
                    dd/ce { DigitMap = { (0|00|[1-7]xxx) }, Stream = 2 } },
                  EventBuffer { al/of { Stream = 1 } },
                  DigitMap = Dialplan0 { (0| 00|[1-7]xxx|8xxxxxxx) } }""");
        Descriptor.EventsDescriptor events = (Descriptor.EventsDescriptor) modify.descriptors().get(0);
        assertThat(events.requestId()).hasValue(2223);
        Events.Embed embed = (Events.Embed) events.events().get(1).parameters().get(0);
        assertThat(embed.signals().orElseThrow().signals()).hasSize(1);
        assertThat(embed.events().orElseThrow().requestId()).hasValue(2224);
        assertThat(events.events().get(2).parameters()).containsExactly(
                new Events.EventDigitMap(new Descriptor.DigitMapDescriptor(Optional.empty(), Optional.of("(0|00|[1-7]xxx)"))),
                new Events.EventStream(2));
        assertThat(modify.descriptors().get(2)).isEqualTo(new Descriptor.DigitMapDescriptor(Optional.of("Dialplan0"), Optional.of("(0|00|[1-7]xxx|8xxxxxxx)")));
    }

    @Test
    @Tag("H248-1")
    void signalsWithListsAndEveryParameter() throws Exception {
        Command.Modify modify = (Command.Modify) command("3", """
                MF = A1 { SG { an/apf { an = 37, SY = BR, DR = 100, NC = { TO, IBE, IBS, OR, IR }, KA, ST = 1,
                                         SPADI = External, RQ = 77, SPAIS = 20 },
                               SL = 5 { cg/rt, cg/bt { DR = 10 } } } }""");
        Descriptor.SignalsDescriptor signals = (Descriptor.SignalsDescriptor) modify.descriptors().get(0);
        Signals.SignalRequest first = (Signals.SignalRequest) signals.signals().get(0);
        assertThat(first.parameters()).contains(new Signals.SignalTypeParameter(Signals.SignalType.BRIEF), new Signals.Duration(100),
                new Signals.SignalKeepActive(), new Signals.SignalStream(1), new Signals.Direction(Signals.SignalDirection.EXTERNAL),
                new Signals.RequestId(77), new Signals.IntersignalDelay(20));
        assertThat(signals.signals().get(1)).isInstanceOf(Signals.SignalList.class);
    }

    @Test
    @Tag("H248-1")
    void notifyWithTimestampsAndParameters() throws Exception {
        Command.Notify notify = (Command.Notify) command("1",
                "N = ip/1 { OE = 5 { 20261124T18110000 : tcptls/fail { reason = \"fingerprint mismatch\", Stream = 1 }, g/cause }, Error = 500 {\"x\"} }");
        assertThat(notify.observedEvents().requestId()).isEqualTo(5);
        assertThat(notify.observedEvents().events().get(0).timestamp()).contains("20261124T18110000");
        assertThat(notify.observedEvents().events().get(0).parameters()).containsExactly(
                new Events.EventOther(PropertyParameter.of("reason", "fingerprint mismatch")), new Events.EventStream(1));
        assertThat(notify.error()).contains(new ErrorDescriptor(500, Optional.of("x")));
    }

    @Test
    @Tag("H248-1")
    void serviceChangeWithEveryParameter() throws Exception {
        Command.ServiceChange change = (Command.ServiceChange) command("3", """
                SC = ROOT { SV { MT = X-mine, RE = "901 Cold Boot", DL = 10, AD = [192.0.2.1]:2944, PF = IMS-AGW/1, V = 3,
                                 MG = <mgc2.example.net>:2944, 20261124T18110000, X-ext = 1, SIC, AT { M } } }""");
        assertThat(change.serviceChange().parameters()).containsExactly(
                new ServiceChangeParameter.Method(ServiceChangeParameter.ServiceChangeMethod.EXTENSION, Optional.of("X-mine")),
                new ServiceChangeParameter.Reason("901 Cold Boot"),
                new ServiceChangeParameter.Delay(10),
                new ServiceChangeParameter.Address(Optional.of(MessageId.ipv4("192.0.2.1", 2944)), Optional.empty()),
                new ServiceChangeParameter.Profile("IMS-AGW", 1),
                new ServiceChangeParameter.Version(3),
                new ServiceChangeParameter.MgcIdToTry(new MessageId.DomainName("mgc2.example.net", OptionalInt.of(2944))),
                new ServiceChangeParameter.TimeStamp("20261124T18110000"),
                new ServiceChangeParameter.Extension(PropertyParameter.of("X-ext", "1")),
                new ServiceChangeParameter.Incomplete(),
                new ServiceChangeParameter.Info(new Descriptor.AuditDescriptor(List.of(AuditItem.MEDIA))));
        assertThat(change.serviceChange().reason().orElseThrow().code()).contains(901);
    }

    @Test
    @Tag("H248-1")
    void contextPropertiesAndContextAudit() throws Exception {
        var action = request("3", """
                C = $ { TP { T1, T2, Isolate, T2, T3, OnewayBoth, Stream = 2 }, PR = 3, EG, IEPS = ON, CT { a/b = 1 },
                        CA { TP, PR, EG, IEPS, a/b }, A = T3 }""").actions().get(0);
        assertThat(action.contextProperties()).containsExactly(
                new ContextProperty.Topology(new TopologyDescriptor(List.of(
                        new TopologyDescriptor.Triple(TerminationId.of("T1"), TerminationId.of("T2"), TopologyDescriptor.Direction.ISOLATE, OptionalInt.empty()),
                        new TopologyDescriptor.Triple(TerminationId.of("T2"), TerminationId.of("T3"), TopologyDescriptor.Direction.ONEWAY_BOTH, OptionalInt.of(2))))),
                new ContextProperty.Priority(3), new ContextProperty.Emergency(true), new ContextProperty.Ieps(true),
                new ContextProperty.ContextAttributes(List.of(PropertyParameter.of("a/b", "1"))));
        assertThat(action.contextAudit()).hasSize(5).last().isEqualTo(new ContextAuditItem(ContextAuditItem.Kind.PROPERTY, Optional.of(PackageItem.of("a", "b"))));
    }

    @Test
    @Tag("H248-1")
    void repliesPendingAndAcks() throws Exception {
        Message message = roundTrip("""
                MEGACO/2 [10.0.0.2]:2944
                Reply = 10 { ImmAckRequired, Context = 2 { Add = ip/1 { Media { Stream = 1 { Local { v=0 } } } },
                    AuditValue = ip/2 { Media, Statistics { nt/os = 5, nt/or = [1, 2] }, Packages { nt-1, ip-2 }, Error = 432 { "no port" } },
                    AuditCapability = Context { ip/1, ip/2 }, AuditValue = Context { Error = 431 { } },
                    Notify = ip/3 { Error = 451 { } }, ServiceChange = ROOT { Services { MgcIdToTry = [10.0.0.9]:2944 } },
                    ServiceChange = ip/4, Subtract = ip/5, Move = ip/6, Modify = ip/7,
                    Error = 510 { "Insufficient resources" } } }
                Pending = 11 { }
                TransactionResponseAck { 1, 3-7 }
                Reply = 12 { Error = 403 { "Syntax error in TransactionRequest" } }
                """);
        assertThat(message.transactions()).hasSize(4);
        Transaction.TransactionReply reply = (Transaction.TransactionReply) message.transactions().get(0);
        assertThat(reply.immAckRequired()).isTrue();
        ActionReply action = reply.actions().get(0);
        assertThat(action.error()).contains(new ErrorDescriptor(510, Optional.of("Insufficient resources")));
        assertThat(action.replies()).hasSize(10);
        assertThat(action.replies().get(2)).isEqualTo(new CommandReply.ContextTerminationAudit(true,
                List.of(TerminationId.of("ip/1"), TerminationId.of("ip/2")), Optional.empty()));
        CommandReply.AuditValueReply audit = (CommandReply.AuditValueReply) action.replies().get(1);
        assertThat(audit.descriptors().get(0)).isEqualTo(new Descriptor.AuditReturnItem(AuditItem.MEDIA));
        assertThat(message.transactions().get(1)).isEqualTo(new Transaction.TransactionPending(11));
        assertThat(message.transactions().get(2)).isEqualTo(new Transaction.TransactionResponseAck(List.of(
                Transaction.AckRange.of(1), new Transaction.AckRange(3, 7))));
    }

    @Test
    @Tag("H248-1")
    void messageLevelError() throws Exception {
        Message message = roundTrip("MEGACO/1 [10.0.0.2]:2944 Error = 402 { \"Unauthorized\" }");
        assertThat(message.body()).isEqualTo(new MessageBody.MessageError(new ErrorDescriptor(402, Optional.of("Unauthorized"))));
        assertThat(message.transactions()).isEmpty();
    }

    @Test
    @Tag("H248-1")
    void modemMuxAndEmptyDescriptors() throws Exception {
        Command.Add add = (Command.Add) command("1", "A = T1 { MD [V18, V34] { a/b = 1 }, MX = H221 { T2, T3 }, E, SG, EB, AT { } }");
        assertThat(add.descriptors()).containsExactly(
                new Descriptor.ModemDescriptor(List.of("V18", "V34"), List.of(PropertyParameter.of("a/b", "1"))),
                new Descriptor.MuxDescriptor("H221", List.of(TerminationId.of("T2"), TerminationId.of("T3"))),
                new Descriptor.EventsDescriptor(OptionalLong.empty(), List.of()),
                new Descriptor.SignalsDescriptor(List.of()),
                new Descriptor.EventBufferDescriptor(List.of()),
                new Descriptor.AuditDescriptor(List.of()));
    }

    @Test
    @Tag("H248-1")
    void rootIsUpperCaseWhateverTheInput() throws Exception {
        assertThat(command("1", "AV = root").terminationId()).isEqualTo(TerminationId.ROOT);
    }
}
