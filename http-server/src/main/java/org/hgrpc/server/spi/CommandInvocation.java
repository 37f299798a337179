package org.hgrpc.server.spi;

import java.util.Map;
import java.util.Optional;
import org.hgrpc.core.ByteString;
import org.hgrpc.server.exchange.ExchangeApi;

/**
 * One run of a command: its validated arguments and the context of the request.
 *
 * @param requestId the protocol request id
 * @param args the arguments, keys the names of the command's {@link ArgumentSpec}s; optional
 *     arguments the client left out are absent
 * @param data the command data sent with the request, or {@code null}
 * @param remoteUser the authenticated user, or {@code null} for anonymous requests
 * @param secure whether the request came over TLS
 * @param api the API the request came through (the {@code capabilities} command describes it)
 */
public record CommandInvocation(int requestId, Map<ByteString, Object> args, ByteString data, String remoteUser,
    boolean secure, ExchangeApi api) {

  /** Copies the arguments; requires an API. */
  public CommandInvocation {
    args = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(args));
    java.util.Objects.requireNonNull(api, "api");
  }

  /** An invocation through API {@code exp-http-v2-0001}. */
  public CommandInvocation(int requestId, Map<ByteString, Object> args, ByteString data, String remoteUser,
      boolean secure) {
    this(requestId, args, data, remoteUser, secure, ExchangeApi.HTTP_V2_0001);
  }

  /** The argument named {@code name}, if given. */
  public Optional<Object> arg(String name) {
    return Optional.ofNullable(args.get(ByteString.utf8(name)));
  }

  /**
   * The argument named {@code name} as a {@code type}, or {@code defaultValue} when absent.
   *
   * @throws org.hgrpc.core.reactor.CommandError if it is present with another type
   */
  public <T> T arg(String name, Class<T> type, T defaultValue) {
    Object v = args.get(ByteString.utf8(name));
    if (v == null) {
      return defaultValue;
    }
    if (!type.isInstance(v)) {
      throw new org.hgrpc.core.reactor.CommandError(
          "argument " + name + " must be " + describe(type) + ", not " + describe(v.getClass()));
    }
    return type.cast(v);
  }

  private static String describe(Class<?> type) {
    if (ByteString.class.isAssignableFrom(type)) {
      return "bytes";
    } else if (Map.class.isAssignableFrom(type)) {
      return "a map";
    } else if (java.util.List.class.isAssignableFrom(type)) {
      return "a list";
    } else if (Boolean.class.isAssignableFrom(type)) {
      return "a boolean";
    } else if (Long.class.isAssignableFrom(type) || Number.class.isAssignableFrom(type)) {
      return "an integer";
    }
    return type.getSimpleName();
  }
}
