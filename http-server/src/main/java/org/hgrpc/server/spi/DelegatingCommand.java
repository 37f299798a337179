package org.hgrpc.server.spi;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Permission;
import org.hgrpc.server.exchange.ExchangeApi;

/** A command that behaves as another, for the {@code with...} methods of {@link Command} to override one trait. */
abstract class DelegatingCommand implements Command {
  private final Command delegate;

  DelegatingCommand(Command delegate) {
    this.delegate = delegate;
  }

  @Override
  public ByteString name() {
    return delegate.name();
  }

  @Override
  public Permission permission() {
    return delegate.permission();
  }

  @Override
  public List<ArgumentSpec> arguments() {
    return delegate.arguments();
  }

  @Override
  public CommandResponse execute(CommandInvocation invocation) throws Exception {
    return delegate.execute(invocation);
  }

  @Override
  public Set<ExchangeApi> apis() {
    return delegate.apis();
  }

  @Override
  public boolean advertised() {
    return delegate.advertised();
  }

  @Override
  public Map<ByteString, Object> capabilityExtras() {
    return delegate.capabilityExtras();
  }

  @Override
  public String toString() {
    return delegate.toString();
  }

  @Override
  public boolean takesData() {
    return delegate.takesData();
  }
}
