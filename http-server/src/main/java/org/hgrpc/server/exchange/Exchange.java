package org.hgrpc.server.exchange;

/**
 * One request's bytes in, one outcome out, with no I/O: the transport reads the body in
 * whatever pieces it arrives in and hands each to {@link #receive}, stops as soon as
 * {@link #wantsInput()} is false (an answer is decided; the rest of the body cannot change
 * it), and then calls {@link #endOfInput()} once; when it has sent the outcome (or given up
 * sending it), {@link #close()}. Not thread-safe.
 */
public interface Exchange {

  /** Whether more input could change the outcome; false once a refusal is decided. */
  boolean wantsInput();

  /**
   * The next bytes of the request body. Bytes after a decision are ignored.
   *
   * @throws IllegalStateException after {@link #endOfInput()}
   */
  void receive(byte[] bytes, int offset, int length);

  /**
   * No more input: the outcome. The transport may call this early, once {@link #wantsInput()}
   * is false.
   *
   * @throws IllegalStateException if called twice
   */
  ExchangeOutcome endOfInput();

  /**
   * The outcome has been sent, or will not be: frees what the exchange holds beyond the heap
   * (its response streams' content encoders) now. A lazy outcome's remaining frames cannot be
   * made after it. Calling it again does nothing.
   */
  void close();
}
