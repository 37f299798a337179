package org.hgrpc.server.exchange;

import java.util.Objects;
import org.hgrpc.core.ByteString;

/**
 * What a transport knows about a request before its frames arrive: which API, whether it may
 * write ({@code rw}) or only read ({@code ro}), which command it names (or
 * {@code multirequest}), and who sent it.
 *
 * @param api the API generation (and framing)
 * @param readWrite whether the request may run {@code push} commands ({@code /rw/} URLs)
 * @param command the command the URL names, or {@link #MULTIREQUEST} for any number of commands
 * @param remoteUser the authenticated user, or {@code null}
 * @param secure whether the request came over TLS
 */
public record ExchangeRequest(ExchangeApi api, boolean readWrite, ByteString command, String remoteUser,
    boolean secure) {
  /** The name that admits several commands in one request. */
  public static final ByteString MULTIREQUEST = ByteString.latin1("multirequest");

  /** Requires api and command. */
  public ExchangeRequest {
    Objects.requireNonNull(api, "api");
    Objects.requireNonNull(command, "command");
  }

  /** Whether the request may carry several commands, of any name. */
  public boolean isMultirequest() {
    return command.equals(MULTIREQUEST);
  }
}
