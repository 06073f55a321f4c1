package io.nauta.api.storage;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.output.NestedMultiOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * A Lua script loaded once and called by SHA. If Redis forgot it (a restart or SCRIPT FLUSH), it is
 * loaded again and the call retried once.
 */
public final class RedisScript {

  static String load(String resource) {
    try (InputStream in = RedisScript.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing script " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private final String source;
  private volatile String sha;

  public RedisScript(String resource) {
    this.source = load(resource);
  }

  public Mono<List<Object>> call(
      RedisReactiveCommands<String, String> redis, String[] keys, String... args) {
    return loaded(redis)
        .flatMap(s -> this.<List<Object>>eval(redis, s, keys, args))
        .onErrorResume(
            RedisNoScriptException.class,
            e -> {
              sha = null;
              return loaded(redis).flatMap(s -> eval(redis, s, keys, args));
            });
  }

  /**
   * As {@link #call}, with arguments and reply in {@code codec} instead of the connection's own
   * (object values travel as {@link StoredValues#WIRE} strings, byte for byte).
   */
  public Mono<List<Object>> call(
      RedisReactiveCommands<String, String> redis,
      RedisCodec<String, String> codec,
      String[] keys,
      String... args) {
    return loaded(redis)
        .flatMap(s -> evalIn(redis, codec, s, keys, args))
        .onErrorResume(
            RedisNoScriptException.class,
            e -> {
              sha = null;
              return loaded(redis).flatMap(s -> evalIn(redis, codec, s, keys, args));
            });
  }

  private static Mono<List<Object>> evalIn(
      RedisReactiveCommands<String, String> redis,
      RedisCodec<String, String> codec,
      String s,
      String[] keys,
      String[] args) {
    CommandArgs<String, String> commandArgs =
        new CommandArgs<>(codec).add(s).add(keys.length).addKeys(keys).addValues(args);
    return redis
        .<List<Object>>dispatch(CommandType.EVALSHA, new NestedMultiOutput<>(codec), commandArgs)
        .next();
  }

  private <T> Mono<T> eval(
      RedisReactiveCommands<String, String> redis, String s, String[] keys, String[] args) {
    return redis.<T>evalsha(s, ScriptOutputType.MULTI, keys, args).next();
  }

  private Mono<String> loaded(RedisReactiveCommands<String, String> redis) {
    String known = sha;
    if (known != null) {
      return Mono.just(known);
    }
    return redis.scriptLoad(source).doOnNext(s -> sha = s);
  }
}
