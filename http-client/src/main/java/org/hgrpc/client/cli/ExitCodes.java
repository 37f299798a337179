package org.hgrpc.client.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hgrpc.client.CommandErrorException;
import org.hgrpc.client.HttpStatusException;
import org.hgrpc.client.ProtocolErrorException;
import org.hgrpc.client.ServerErrorException;
import org.hgrpc.client.TruncatedResponseException;
import org.hgrpc.client.UnexpectedContentTypeException;
import org.hgrpc.core.ProtocolException;
import org.hgrpc.core.frame.HumanFrameSyntaxException;
import org.hgrpc.core.literal.LiteralSyntaxException;
import picocli.CommandLine;

/** The exit codes of {@code hgrpc}, shown in every command's help, and which failure gets which. */
public final class ExitCodes {
  private ExitCodes() {}

  /** Success. */
  public static final int OK = 0;
  /** The command failed on the server: a command error or an error frame; or {@code pushkey} answered false. */
  public static final int COMMAND_ERROR = 1;
  /** Bad options or arguments, input that is not valid frame syntax or literals, binary output for a terminal. */
  public static final int USAGE = 2;
  /** An HTTP error status, an unexpected content type, a malformed or truncated response. */
  public static final int PROTOCOL = 3;
  /** Connecting, a timeout, or reading or writing a local file failed. */
  public static final int IO = 4;

  /** The list as picocli shows it under "Exit codes:". */
  static Map<String, String> descriptions() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(Integer.toString(OK), "success");
    m.put(Integer.toString(COMMAND_ERROR), "the command failed on the server (command error or error frame), "
        + "or pushkey answered false");
    m.put(Integer.toString(USAGE), "invalid options or arguments, or invalid frame lines or values; binary output "
        + "refused for a terminal");
    m.put(Integer.toString(PROTOCOL), "HTTP error status, unexpected content type, malformed or truncated response");
    m.put(Integer.toString(IO), "connection failure, timeout, or a local file could not be read or written");
    return m;
  }

  /** The exit code for a failure that ended a command. */
  static int of(Throwable e) {
    if (e instanceof CommandErrorException || e instanceof ServerErrorException) {
      return COMMAND_ERROR;
    }
    if (e instanceof HumanFrameSyntaxException || e instanceof LiteralSyntaxException
        || e instanceof CommandLine.ParameterException || e instanceof IllegalArgumentException) {
      return USAGE;
    }
    if (e instanceof HttpStatusException || e instanceof UnexpectedContentTypeException
        || e instanceof ProtocolErrorException || e instanceof TruncatedResponseException
        || e instanceof ProtocolException || e instanceof DecodeFailure) {
      return PROTOCOL;
    }
    if (e instanceof IOException || e instanceof UncheckedIOException) {
      return IO;
    }
    return IO; // timeouts, transport failures, cancellation: the exchange did not happen
  }

  /**
   * A malformed frame file found by {@code frames decode}, after it printed what it could, or
   * input that is text instead of frames.
   */
  static final class DecodeFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DecodeFailure(String message) {
      super(message);
    }
  }
}
