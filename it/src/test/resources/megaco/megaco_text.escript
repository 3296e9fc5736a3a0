#!/usr/bin/env escript
%%! -noshell
%% mediasec interop peer: Erlang/OTP megaco's own text codec.
%% Usage: megaco_text.escript DIR
%% For every DIR/*.txt (one H.248 text message each) it decodes the message with megaco's text decoder
%% (version detected from the header) and writes megaco's re-encodings next to it:
%%   NAME.pretty and NAME.compact, or NAME.error with the decoder's reason.
%% It prints one line per message: "ok NAME" or "error NAME".
main([Dir]) ->
    ok = application:load(megaco),
    Files = lists:sort(filelib:wildcard(filename:join(Dir, "*.txt"))),
    lists:foreach(fun(File) -> convert(File) end, Files),
    halt(0);
main(_) ->
    io:format(standard_error, "usage: megaco_text.escript DIR~n", []),
    halt(2).

convert(File) ->
    Base = filename:rootname(File),
    Name = filename:basename(Base),
    {ok, Bin} = file:read_file(File),
    case decode(Bin) of
        {ok, Msg} ->
            Version = megaco_version(Msg),
            Pretty = encode(megaco_pretty_text_encoder, Version, Msg),
            Compact = encode(megaco_compact_text_encoder, Version, Msg),
            case {Pretty, Compact} of
                {{ok, P}, {ok, C}} ->
                    ok = file:write_file(Base ++ ".pretty", P),
                    ok = file:write_file(Base ++ ".compact", C),
                    io:format("ok ~s~n", [Name]);
                Other ->
                    ok = file:write_file(Base ++ ".error", io_lib:format("encode: ~p~n", [Other])),
                    io:format("error ~s~n", [Name])
            end;
        {error, Reason} ->
            ok = file:write_file(Base ++ ".error", io_lib:format("decode: ~p~n", [Reason])),
            io:format("error ~s~n", [Name])
    end.

decode(Bin) ->
    try megaco_pretty_text_encoder:decode_message([], dynamic, Bin) of
        {ok, Msg} -> {ok, Msg};
        Error -> {error, Error}
    catch
        Class:Reason -> {error, {Class, Reason}}
    end.

encode(Module, Version, Msg) ->
    try Module:encode_message([], Version, Msg)
    catch
        Class:Reason -> {error, {Class, Reason}}
    end.

%% the version field of the MegacoMessage record: {'MegacoMessage', AuthHeader, {'Message', Version, ...}}
megaco_version({'MegacoMessage', _Auth, Mess}) -> element(2, Mess).
