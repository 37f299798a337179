package org.hgrpc.server;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Permission;
import org.hgrpc.server.spi.ArgumentSpec;
import org.hgrpc.server.spi.Command;
import org.hgrpc.server.spi.CommandInvocation;
import org.hgrpc.server.spi.CommandResponse;

/**
 * The built-in {@code capabilities} command, as the reference's {@code _capabilitiesv2}: the
 * registered commands with their arguments (name to example value) and permissions, the
 * compression engines and the framing media type, plus whatever providers add.
 */
final class CapabilitiesCommand implements Command {
  static final ByteString NAME = ByteString.latin1("capabilities");
  static final String FRAMING_MEDIA_TYPE = org.hgrpc.server.exchange.ExchangeApi.HTTP_V2_0001.framingMediaType();

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
    return CommandResponse.object(describe(registry.get()));
  }

  /** The capabilities map of {@code registry}, with the providers' entries as they are now. */
  static Map<Object, Object> describe(CommandRegistry registry) throws Exception {
    Map<Object, Object> commands = new LinkedHashMap<>();
    for (Command c : registry.commands()) {
      Map<Object, Object> args = new LinkedHashMap<>();
      for (ArgumentSpec a : c.arguments()) {
        args.put(a.name(), a.example());
      }
      Map<Object, Object> entry = new LinkedHashMap<>();
      entry.put(b("args"), args);
      entry.put(b("permissions"), List.of(b(c.permission().wireName())));
      commands.put(c.name(), entry);
    }
    Map<Object, Object> caps = new LinkedHashMap<>();
    caps.put(b("commands"), commands);
    // The engines Mercurial advertises; frames themselves are never compressed by either side.
    caps.put(b("compression"), List.of(Map.of(b("name"), b("zlib"))));
    caps.put(b("framingmediatypes"), List.of(b(FRAMING_MEDIA_TYPE)));
    caps.putAll(registry.extraCapabilities());
    return caps;
  }

  private static ByteString b(String s) {
    return ByteString.latin1(s);
  }
}
