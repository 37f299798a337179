package org.hgrpc.server;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.hgrpc.core.ByteString;
import org.hgrpc.server.exchange.ExchangeApi;
import org.hgrpc.server.spi.Command;
import org.hgrpc.server.spi.CommandProvider;
import org.hgrpc.server.spi.ServerContext;

/**
 * The commands a server offers, by name, and the extra capabilities their providers
 * advertise. Immutable; build one with {@link #builder()}. The {@code capabilities} command is
 * always present (a registered command of that name replaces it).
 */
public final class CommandRegistry {
  /** A source of extra capability entries for an API, asked at each request. */
  @FunctionalInterface
  interface CapabilitySource {
    Map<ByteString, Object> get(ExchangeApi api) throws Exception;
  }

  private final Map<ByteString, Command> commands;
  private final List<CapabilitySource> capabilitySources;

  private CommandRegistry(Map<ByteString, Command> commands, List<CapabilitySource> capabilitySources) {
    this.commands = Collections.unmodifiableMap(commands);
    this.capabilitySources = List.copyOf(capabilitySources);
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The command named {@code name}, if offered. */
  public Optional<Command> get(ByteString name) {
    return Optional.ofNullable(commands.get(name));
  }

  /** The command named {@code name}, if offered under {@code api} (see {@link Command#apis()}). */
  public Optional<Command> get(ExchangeApi api, ByteString name) {
    return get(name).filter(c -> c.apis().contains(api));
  }

  /** Every command, sorted by name, whatever its APIs. */
  public Collection<Command> commands() {
    return commands.values();
  }

  /** The commands offered under {@code api}, sorted by name. */
  public List<Command> commands(ExchangeApi api) {
    return commands.values().stream().filter(c -> c.apis().contains(api)).toList();
  }

  /**
   * Extra capabilities of API {@code exp-http-v2-0001} contributed by providers and the
   * builder, as they are now.
   *
   * @throws Exception if a provider fails to say
   */
  public Map<ByteString, Object> extraCapabilities() throws Exception {
    return extraCapabilities(ExchangeApi.HTTP_V2_0001);
  }

  /**
   * Extra capabilities of {@code api} contributed by providers and the builder, as they are now.
   *
   * @throws Exception if a provider fails to say
   */
  public Map<ByteString, Object> extraCapabilities(ExchangeApi api) throws Exception {
    Map<ByteString, Object> all = new LinkedHashMap<>();
    for (CapabilitySource source : capabilitySources) {
      all.putAll(source.get(api));
    }
    return all;
  }

  /** Builds a {@link CommandRegistry}. */
  public static final class Builder {
    private final Map<ByteString, Command> commands = new TreeMap<>();
    private final Map<ByteString, Object> capabilities = new LinkedHashMap<>();
    private final List<CapabilitySource> sources = new ArrayList<>();

    private Builder() {}

    /** Adds a command, replacing one of the same name. */
    public Builder add(Command command) {
      commands.put(command.name(), command);
      return this;
    }

    /** Adds commands. */
    public Builder addAll(Collection<? extends Command> list) {
      list.forEach(this::add);
      return this;
    }

    /** Adds a provider's commands and capabilities for {@code context}. */
    public Builder addProvider(CommandProvider provider, ServerContext context) throws Exception {
      addAll(provider.commands(context));
      for (ExchangeApi api : ExchangeApi.values()) {
        provider.capabilities(context, api); // fail at start-up, not at the first request, if it cannot answer
      }
      sources.add(api -> provider.capabilities(context, api));
      return this;
    }

    /**
     * Adds the commands of every {@link CommandProvider} on the class path of {@code loader}
     * ({@link ServiceLoader}).
     */
    public Builder loadProviders(ServerContext context, ClassLoader loader) throws Exception {
      List<CommandProvider> providers = new ArrayList<>();
      ServiceLoader.load(CommandProvider.class, loader).forEach(providers::add);
      for (CommandProvider p : providers) {
        addProvider(p, context);
      }
      return this;
    }

    /** Adds an extra capability entry. */
    public Builder capability(ByteString key, Object value) {
      capabilities.put(key, value);
      return this;
    }

    /** The registry, with the built-in {@code capabilities} command unless one was added. */
    public CommandRegistry build() {
      Map<ByteString, Command> all = new TreeMap<>(commands);
      CommandRegistry[] self = new CommandRegistry[1];
      all.putIfAbsent(CapabilitiesCommand.NAME, new CapabilitiesCommand(() -> self[0]));
      Map<ByteString, Object> fixed = new LinkedHashMap<>(capabilities);
      List<CapabilitySource> allSources = new ArrayList<>(sources);
      allSources.add(api -> fixed);
      self[0] = new CommandRegistry(all, allSources);
      return self[0];
    }
  }
}
