package org.hgrpc.client;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.Flow;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.cbor.ByteStringChunk;

/**
 * The output of one command whose status was {@code ok}: the CBOR values that followed the
 * status map, decoded while the response body arrives.
 *
 * <p>Consume it once, in one of these ways:
 *
 * <ul>
 *   <li>{@link #iterator()} / {@link #stream()}: value by value, blocking for each;
 *   <li>{@link #publisher()}: as a {@link Flow.Publisher}, with back-pressure;
 *   <li>{@link #bytes()}: the concatenated byte strings as an {@link InputStream}, for
 *       bytes-like responses of any size;
 *   <li>{@link #toList()} / {@link #single()}: everything at once, for small responses.
 * </ul>
 *
 * <p>The iterator and publisher hand out an indefinite-length byte string as its
 * {@link ByteStringChunk}s, as they arrive, so a value of any size never has to fit in memory;
 * {@link #toList()} and {@link #single()} join them.
 *
 * <p>Only a bounded amount of decoded data waits for the consumer (the client's buffer size);
 * beyond it the client stops reading the body. A wait for the next value that sees no progress
 * of the exchange for the idle timeout fails with {@link HgrpcTimeoutException}. Failures after
 * the status (an error frame, a truncated body) surface from the reading methods as
 * {@link HgrpcException}s, after the values that arrived before them. {@link #close()} a result
 * you stop reading early: it drops the rest and, when no other result of the exchange wants it,
 * the connection.
 */
public final class CommandResult implements Iterable<Object>, AutoCloseable {
  private final ResultStream stream;
  private boolean claimed;

  CommandResult(ResultStream stream) {
    this.stream = stream;
  }

  /** The command this is the output of. */
  public String command() {
    return stream.command();
  }

  /** The request id the command had in its exchange. */
  public int requestId() {
    return stream.requestId();
  }

  /** Response body bytes of the exchange received so far (the whole batch for a batch). */
  public long bytesReceived() {
    return stream.bytesReceived();
  }

  /**
   * The values one by one. {@code hasNext()} blocks until the next value, the end or a failure.
   *
   * @throws IllegalStateException if the result is already being consumed
   */
  @Override
  public Iterator<Object> iterator() {
    claim();
    return new Iterator<>() {
      private Object next;
      private boolean end;

      @Override
      public boolean hasNext() {
        if (next == null && !end) {
          Object v = stream.take();
          if (v == ResultStream.END) {
            end = true;
          } else {
            next = v;
          }
        }
        return !end;
      }

      @Override
      public Object next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Object v = next;
        next = null;
        return v;
      }
    };
  }

  /** The values as a sequential stream; closing the stream closes this result. */
  public Stream<Object> stream() {
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED), false)
        .onClose(this::close);
  }

  /**
   * The values as a publisher for one subscriber. Values are delivered on the client's
   * executor as the subscriber requests them; cancelling the subscription closes this result.
   */
  public Flow.Publisher<Object> publisher() {
    claim();
    return new ResultPublisher(this::takeValue, this::close, stream.exchangeExecutor());
  }

  /**
   * The response's byte strings, concatenated, as a stream: for commands whose output is
   * bytes (one or more byte strings, definite or indefinite). Reading fails with a
   * {@link ProtocolErrorException} at a value that is not a byte string. Closing the stream
   * closes this result.
   */
  public InputStream bytes() {
    claim();
    return new ResultInputStream(this);
  }

  /** Every value, with indefinite-length byte strings joined. Blocks until the end. */
  public List<Object> toList() {
    List<Object> all = new ArrayList<>();
    iterator().forEachRemaining(all::add);
    return Values.joinChunks(all);
  }

  /**
   * The one value of a response that has exactly one, as most commands do.
   *
   * @throws ProtocolErrorException if there are none or several
   */
  public Object single() {
    List<Object> all = toList();
    if (all.size() != 1) {
      throw new ProtocolErrorException(command() + ": expected one value in the response, got " + all.size());
    }
    return all.get(0);
  }

  /** Stops consuming: drops the values not read yet. Does nothing after the end. */
  @Override
  public void close() {
    stream.close();
  }

  /** The next value or {@link ResultStream#END}. */
  Object takeValue() {
    return stream.take();
  }

  /** The next byte string of a bytes response, or {@code null} at the end. */
  ByteString takeBytes() {
    Object v = stream.take();
    if (v == ResultStream.END) {
      return null;
    }
    if (v instanceof ByteString) {
      return (ByteString) v;
    }
    if (v instanceof ByteStringChunk) {
      return ((ByteStringChunk) v).data();
    }
    throw new ProtocolErrorException(command() + ": expected byte strings, got " + Values.describe(v));
  }

  private synchronized void claim() {
    if (claimed) {
      throw new IllegalStateException("the result of " + command() + " is already being consumed");
    }
    claimed = true;
  }

  @Override
  public String toString() {
    return "CommandResult[" + command() + " request " + requestId() + "]";
  }
}
