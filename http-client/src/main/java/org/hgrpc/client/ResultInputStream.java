package org.hgrpc.client;

import org.hgrpc.core.ByteString;

/**
 * {@link CommandResult#bytes()}: the byte strings of a response as one stream, read as the
 * frames arrive. Holds one value (or one chunk of an indefinite byte string) at a time.
 */
final class ResultInputStream extends ByteStringsInputStream {
  private final CommandResult result;

  ResultInputStream(CommandResult result) {
    this.result = result;
  }

  @Override
  protected ByteString nextPiece() {
    return result.takeBytes();
  }

  @Override
  public void close() {
    result.close();
  }
}
