package org.hgrpc.server.spi;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hgrpc.core.ByteString;
import org.hgrpc.server.exchange.ExchangeApi;

/**
 * A source of commands found with {@link java.util.ServiceLoader}: list the implementation in
 * {@code META-INF/services/org.hgrpc.server.spi.CommandProvider} of your jar and put the jar
 * on the server's class path.
 */
public interface CommandProvider {

  /** The commands to serve in {@code context}; may be empty (for example without a repository). */
  List<Command> commands(ServerContext context) throws Exception;

  /**
   * Extra entries for the {@code capabilities} response (Mercurial's repository commands add
   * {@code rawrepoformats}, say). Keys are byte strings; values CBOR-encodable. Asked again for
   * every {@code capabilities} request and handshake, because the answer may depend on the
   * repository's current state.
   */
  default Map<ByteString, Object> capabilities(ServerContext context) throws Exception {
    return Map.of();
  }

  /**
   * The extra capability entries for API {@code api}: by default {@link #capabilities(ServerContext)}
   * for every API. The APIs describe a server differently (Mercurial 4.8 adds {@code
   * pathfilterprefixes} and always lists {@code rawrepoformats}), so a provider may answer per API.
   */
  default Map<ByteString, Object> capabilities(ServerContext context, ExchangeApi api) throws Exception {
    return capabilities(context);
  }

  /**
   * For {@code serve --demo}: unpacks a small example repository under {@code target} and
   * returns its root, or returns empty when this provider has none.
   */
  default Optional<Path> unpackDemoRepository(Path target) throws Exception {
    return Optional.empty();
  }
}
