package org.hgrpc.core.literal;

/**
 * Text that is not a Python literal of the supported subset, or a byte-string escape
 * sequence that Python would reject. The message names the position (a char index into the
 * text, counting from 0) and what was expected there.
 */
public class LiteralSyntaxException extends IllegalArgumentException {

  private final int position;

  /** An error at char index {@code position}; {@code detail} says what was wrong. */
  public LiteralSyntaxException(int position, String detail) {
    super("at position " + position + ": " + detail);
    this.position = position;
  }

  /** The char index into the parsed text where the error was found. */
  public int position() {
    return position;
  }
}
