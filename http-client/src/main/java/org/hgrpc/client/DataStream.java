package org.hgrpc.client;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The items of a data command's response ({@code changesetdata}, {@code manifestdata},
 * {@code filedata}, {@code filesdata}, {@code rawstorefiledata}), decoded one at a time as the
 * caller asks for them. Nothing is collected: each {@link #next()} takes only the values of
 * one item from the response, and the client reads the body only as far as its buffer
 * ({@link HgrpcClient.Builder#bufferBytes}) allows, so a response of any size is consumed in
 * bounded memory.
 *
 * <pre>{@code
 * try (DataStream<ChangesetRevision> changesets = client.repository().changesetData(request)) {
 *   System.out.println(changesets.header().totalItems() + " changesets");
 *   while (changesets.hasNext()) {
 *     System.out.println(changesets.next().node());
 *   }
 * }
 * }</pre>
 *
 * <p>Close it (try-with-resources, or {@link #stream()}'s {@code close}): closing before the
 * end cancels the exchange and drops the connection. Reading fails with the same exceptions
 * as a {@link CommandResult}: a {@link ServerErrorException} when the server gave up
 * mid-response, a {@link HgrpcTimeoutException} or {@link TruncatedResponseException} for a
 * stalled or cut body; and with a {@link ProtocolErrorException} naming the command, the item
 * and the rule when a value has the wrong shape (a map where bytes were announced, a node of
 * the wrong length, data of another size than announced, ...). After a failure the stream is
 * closed and ends. Not thread-safe: one consumer.
 *
 * <p>Fields the server sends that this client does not know (further {@code fieldsfollowing}
 * entries) are read and dropped, as Mercurial's own client does.
 *
 * @param <T> the item type: {@link ChangesetRevision}, {@link RevisionData} or
 *     {@link RawStoreFile}
 */
public final class DataStream<T> implements Iterator<T>, AutoCloseable {

  /** Reads the next item from the response, or returns {@code null} at its end. */
  @FunctionalInterface
  interface Items<T> {
    T next(DataReader reader);
  }

  private final CommandResult result;
  private final DataReader reader;
  private final DataHeader header;
  private final Items<T> items;
  private T next;
  private boolean end;

  private DataStream(CommandResult result, DataReader reader, DataHeader header, Items<T> items) {
    this.result = result;
    this.reader = reader;
    this.header = header;
    this.items = items;
  }

  /**
   * The stream of {@code result}'s items: reads the header (waiting for it), which must hold
   * the integers {@code headerKeys}. Closes the result if that fails.
   */
  static <T> DataStream<T> open(CommandResult result, java.util.Set<String> headerKeys, Items<T> items) {
    try {
      DataReader reader = new DataReader(result.command(), result.iterator());
      return new DataStream<>(result, reader, reader.header(headerKeys), items);
    } catch (RuntimeException e) {
      result.close();
      throw e;
    }
  }

  /** The command whose response this is. */
  public String command() {
    return result.command();
  }

  /** The totals the response announced before its items. */
  public DataHeader header() {
    return header;
  }

  /** Response body bytes received so far (for progress). */
  public long bytesReceived() {
    return result.bytesReceived();
  }

  /** Whether there is another item; waits for it (bounded by the idle timeout). */
  @Override
  public boolean hasNext() {
    if (next == null && !end) {
      try {
        next = items.next(reader);
      } catch (RuntimeException e) {
        end = true;
        result.close();
        throw e;
      }
      if (next == null) {
        end = true;
      }
    }
    return next != null;
  }

  /** The next item. */
  @Override
  public T next() {
    if (!hasNext()) {
      throw new NoSuchElementException(command() + ": no more items");
    }
    T item = next;
    next = null;
    return item;
  }

  /** The remaining items as a sequential stream; closing the stream closes this. */
  public Stream<T> stream() {
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED | Spliterator.NONNULL),
        false).onClose(this::close);
  }

  /** Stops reading: drops what was not read and, before the end, cancels the exchange. */
  @Override
  public void close() {
    end = true;
    next = null;
    result.close();
  }

  @Override
  public String toString() {
    return "DataStream[" + command() + " " + header.values() + "]";
  }
}
