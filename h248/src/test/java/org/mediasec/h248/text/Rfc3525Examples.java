package org.mediasec.h248.text;

import java.util.List;

/**
 * Messages in the style of the RFC 3525 Appendix A call flows (residential gateway), typed here from the RFC
 * with its known errata fixed (stray commas). RFC text: IETF Trust, used as test data.
 */
final class Rfc3525Examples {

    private Rfc3525Examples() {}

    static final String SERVICE_CHANGE = """
            MEGACO/1 [124.124.124.222]:55555
            Transaction = 9998 {
                Context = - {
                    ServiceChange = ROOT {Services {
                        Method=Restart,
                        ServiceChangeAddress=55555, Profile=ResGW/1}
                    }
                }
            }
            """;

    static final String SERVICE_CHANGE_REPLY = """
            MEGACO/1 [123.123.123.4]:55555
            Reply = 9998 {
               Context = - {ServiceChange = ROOT {
                  Services {ServiceChangeAddress=55555, Profile=ResGW/1} } }
            }
            """;

    static final String MODIFY_WITH_EVENTS = """
            MEGACO/1 [123.123.123.4]:55555
            Transaction = 9999 {
                Context = - {
                    Modify = 11111111 {
                        Media { Stream = 1 {
                                 LocalControl {
                                     Mode = SendReceive,
                                     tdmc/gain=2,  ; in dB,
                                     tdmc/ec=on
                                 }
                             }
                        },
                        Events = 2222 {al/of {strict=state}}
                    }
                }
            }
            """;

    static final String NOTIFY = """
            MEGACO/1 [124.124.124.222]:55555
            Transaction = 10000 {
               Context = - {
                   Notify = 11111111 {ObservedEvents =2222 {
                    19990729T22000000:al/of{init=false}}}
               }
            }
            """;

    static final String MODIFY_DIGIT_MAP = """
            MEGACO/1 [123.123.123.4]:55555
            Transaction = 10001 {
                Context = - {
                    Modify = 11111111 {
                        Signals {cg/dt},
                        DigitMap= Dialplan0 {
                            (0| 00|[1-7]xxx|8xxxxxxx|Fxxxxxxx|Exx|91xxxxxxxxxx|9011x.)},
                        Events = 2223 {
                            al/on{strict=state}, dd/ce {DigitMap=Dialplan0}
                        }
                    }
                }
            }
            """;

    static final String ADD_WITH_SDP = """
            MEGACO/1 [123.123.123.4]:55555
            Transaction = 10003 {
                Context = $ {
                   Add = A4444,
                   Add = $ {
                       Media {
                         Stream = 1 {
                             LocalControl {
                                 Mode = ReceiveOnly,
                                 nt/jit=40 ; in ms
                             },
                             Local {
            v=0
            c=IN IP4 $
            m=audio $ RTP/AVP 4
            a=ptime:30
            v=0
            c=IN IP4 $
            m=audio $ RTP/AVP 0
                             }
                         }
                     }
                   }
                }
            }
            """;

    static final String ADD_REPLY_WITH_SDP = """
            MEGACO/1 [124.124.124.222]:55555
            Reply = 10003 {
               Context = 2000 {
                  Add = A4444,
                  Add=A4445{
                     Media {
                         Stream = 1 {
                             Local {
            v=0
            o=- 2890844526 2890842807 IN IP4 124.124.124.222
            s=-
            t= 0 0
            c=IN IP4 124.124.124.222
            m=audio 2222 RTP/AVP 4
            a=ptime:30
            a=recvonly
                             } ; RTP profile for G.723.1 is 4
                         }
                     }
                  }
               }
            }
            """;

    static final String SUBTRACT = """
            MEGACO/1 [123.123.123.4]:55555
            Transaction = 50008 {
                Context = 5000 {
                    Subtract = A4445 {Audit{Statistics}},
                    Subtract = A5556 {Audit{Statistics}}
                }
            }
            """;

    static final String SUBTRACT_REPLY = """
            MEGACO/1 [125.125.125.111]:55555
            Reply = 50008 {
               Context = 5000 {
                   Subtract = A4445 {
                       Statistics {
                           rtp/ps=1245,   ; packets sent
                           nt/os=62345,   ; octets sent
                           rtp/pr=780,    ; packets received
                           nt/or=45123,   ; octets received
                           rtp/pl=10,     ; % packets lost
                           rtp/jit=27,
                           rtp/delay=48   ; average latency
                       }
                   },
                   Subtract = A5556 {
                       Statistics {
                           rtp/ps=790, nt/os=45123, rtp/pr=1230, nt/or=61267,
                           rtp/pl=15, rtp/jit=27, rtp/delay=48
                       }
                   }
               }
            }
            """;

    static final String MODIFY_RING = """
            MEGACO/1 [123.123.123.4]:55555
            Transaction = 50005 {
                Context = 5000 {
                    Modify = A5555 { Signals {al/ri},
                        Events = 1235 {al/of{strict=state}}
                    },
                    Modify = A5556 {Media {Remote {
            v=0
            o=- 2890844527 2890842808 IN IP4 125.125.125.111
            s=-
            t= 0 0
            c=IN IP4 125.125.125.111
            m=audio 1111 RTP/AVP 4
                    }}}
                }
            }
            """;

    static List<String> all() {
        return List.of(SERVICE_CHANGE, SERVICE_CHANGE_REPLY, MODIFY_WITH_EVENTS, NOTIFY, MODIFY_DIGIT_MAP, ADD_WITH_SDP,
                ADD_REPLY_WITH_SDP, SUBTRACT, SUBTRACT_REPLY, MODIFY_RING);
    }
}
