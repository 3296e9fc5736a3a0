#!/usr/bin/env escript
%%! -noshell
%% Times Erlang/OTP megaco's text codec on the given message files, the peer figure for CodecBench.
%% Usage: megaco_bench.escript ITERATIONS FILE...
%% Prints per file and codec: "NAME pretty|compact decode_us encode_us" (microseconds per message).
main([Iterations | Files]) ->
    ok = application:load(megaco),
    N = list_to_integer(Iterations),
    lists:foreach(fun(File) -> bench(N, File) end, Files),
    halt(0).

bench(N, File) ->
    {ok, Bin} = file:read_file(File),
    {ok, Msg} = megaco_pretty_text_encoder:decode_message([], dynamic, Bin),
    {'MegacoMessage', _, Mess} = Msg,
    Version = element(2, Mess),
    lists:foreach(
      fun({Style, Module}) ->
              {ok, Encoded} = Module:encode_message([], Version, Msg),
              loop(N div 10, fun() -> Module:decode_message([], dynamic, Encoded) end),
              {DecodeUs, _} = timer:tc(fun() -> loop(N, fun() -> {ok, _} = Module:decode_message([], dynamic, Encoded) end) end),
              {EncodeUs, _} = timer:tc(fun() -> loop(N, fun() -> {ok, _} = Module:encode_message([], Version, Msg) end) end),
              io:format("~s ~s ~.3f ~.3f~n", [filename:basename(File, ".txt"), Style, DecodeUs / N, EncodeUs / N])
      end,
      [{compact, megaco_compact_text_encoder}, {pretty, megaco_pretty_text_encoder}]).

loop(0, _) -> ok;
loop(N, F) -> F(), loop(N - 1, F).
