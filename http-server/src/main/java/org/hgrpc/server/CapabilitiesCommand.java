package org.hgrpc.server;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Permission;
import org.hgrpc.server.exchange.ExchangeApi;
import org.hgrpc.server.spi.ArgumentSpec;
import org.hgrpc.server.spi.Command;
import org.hgrpc.server.spi.CommandInvocation;
import org.hgrpc.server.spi.CommandResponse;

/**
 * The built-in {@code capabilities} command, as the reference's {@code _capabilitiesv2}: the
 * commands the API offers with their arguments and permissions, the framing media type, plus
 * whatever providers add. Each API has its own form:
 *
 * <ul>
 *   <li>{@code exp-http-v2-0001} (4.7): per argument an example value; {@code compression}
 *       ({@code zlib}, which Mercurial advertised though frames are never compressed);
 *   <li>{@code exp-http-v2-0003} (4.8): per argument {@code {type, required, default (optional
 *       ones), validvalues (where set)}}, each command's {@link Command#capabilityExtras()
 *       extras}; no {@code compression} (content encoding is negotiated per stream); commands
 *       that are not {@link Command#advertised() advertised} now are left out.
 * </ul>
 */
final class CapabilitiesCommand implements Command {
  static final ByteString NAME = ByteString.latin1("capabilities");

  private final Supplier<CommandRegistry> registry;

  CapabilitiesCommand(Supplier<CommandRegistry> registry) {
    this.registry = registry;
  }

  @Override
  public ByteString name() {
    return NAME;
  }

  @Override
  public Permission permission() {
    return Permission.PULL;
  }

  @Override
  public List<ArgumentSpec> arguments() {
    return List.of();
  }

  @Override
  public CommandResponse execute(CommandInvocation invocation) throws Exception {
    return CommandResponse.object(describe(registry.get(), invocation.api()));
  }

  /** The capabilities map of {@code registry} under API {@code exp-http-v2-0001}. */
  static Map<Object, Object> describe(CommandRegistry registry) throws Exception {
    return describe(registry, ExchangeApi.HTTP_V2_0001);
  }

  /** The capabilities map of {@code registry} under {@code api}, with the providers' entries as they are now. */
  static Map<Object, Object> describe(CommandRegistry registry, ExchangeApi api) throws Exception {
    boolean typed = api != ExchangeApi.HTTP_V2_0001;
    Map<Object, Object> commands = new LinkedHashMap<>();
    for (Command c : registry.commands(api)) {
      if (!c.advertised()) {
        continue;
      }
      Map<Object, Object> args = new LinkedHashMap<>();
      for (ArgumentSpec a : c.arguments()) {
        args.put(a.name(), typed ? typedArgument(a) : a.example());
      }
      Map<Object, Object> entry = new LinkedHashMap<>();
      entry.put(b("args"), args);
      entry.put(b("permissions"), List.of(b(c.permission().wireName())));
      if (typed) {
        entry.putAll(c.capabilityExtras());
      }
      commands.put(c.name(), entry);
    }
    Map<Object, Object> caps = new LinkedHashMap<>();
    caps.put(b("commands"), commands);
    if (!typed) {
      // The engines Mercurial 4.7 advertises; frames themselves are never compressed by either side.
      caps.put(b("compression"), List.of(Map.of(b("name"), b("zlib"))));
    }
    caps.put(b("framingmediatypes"), List.of(b(api.framingMediaType())));
    caps.putAll(registry.extraCapabilities(api));
    return caps;
  }

  /** 4.8's description of an argument. */
  private static Map<Object, Object> typedArgument(ArgumentSpec a) {
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(b("type"), b(a.effectiveType()));
    m.put(b("required"), a.required());
    if (!a.required()) {
      m.put(b("default"), a.defaultValue());
    }
    if (a.validValues() != null) {
      m.put(b("validvalues"), a.validValues());
    }
    return m;
  }

  private static ByteString b(String s) {
    return ByteString.latin1(s);
  }
}
