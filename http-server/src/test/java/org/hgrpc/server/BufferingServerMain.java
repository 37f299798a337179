package org.hgrpc.server;

import java.util.List;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.Permission;
import org.hgrpc.server.config.HgrcConfig;
import org.hgrpc.server.config.ServerSettings;
import org.hgrpc.server.spi.Command;
import org.hgrpc.server.spi.CommandResponse;

/**
 * A server for {@link BufferingMemoryTest}, run in its own JVM ({@code -Xmx256m}) with the
 * default limits: {@code nodata}, a command taking no command data (as every repository command),
 * and {@link AdmissionTest#DATA_SIZE}, which buffers it. Prints {@code listening at URL} and
 * serves until its standard input ends.
 */
public final class BufferingServerMain {
  private BufferingServerMain() {}

  public static void main(String[] args) throws Exception {
    Command nodata = Command.of("nodata", Permission.PULL, List.of(),
        call -> CommandResponse.object(ByteString.latin1("no data")));
    ServerSettings settings = ServerSettings.from(HgrcConfig.empty()
        .withOverride("experimental.web.apiserver=true")
        .withOverride("experimental.web.api.http-v2=true"));
    HgrpcServer server = HgrpcServer.builder().address("127.0.0.1").port(0).settings(settings)
        .registry(CommandRegistry.builder().add(nodata).add(AdmissionTest.DATA_SIZE).build())
        .errorLog(System.out).build().start();
    System.out.println("listening at " + server.uri());
    System.out.flush();
    while (System.in.read() >= 0) {
      // serve until the parent closes our standard input
    }
    server.close();
    System.out.println("stopped; max heap " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB");
  }
}
