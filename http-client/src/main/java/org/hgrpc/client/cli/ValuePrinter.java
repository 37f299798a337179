package org.hgrpc.client.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.cbor.ByteStringChunk;

/**
 * Prints a command's values as JSON, one after another, as they arrive. The chunks of an
 * indefinite-length byte string are joined into one value first (JSON has no streams), so such
 * a value must fit in memory; {@code call --bytes} writes one of any size.
 */
final class ValuePrinter {
  private ValuePrinter() {}

  /**
   * Prints every value of {@code values} to {@code out}, indented if {@code pretty}.
   *
   * @return the last value printed (chunks joined), or {@code null} if there was none
   */
  static Object print(Iterator<Object> values, OutputStream out, boolean pretty) throws IOException {
    PrintStream p = new PrintStream(out, false, StandardCharsets.UTF_8);
    ByteArrayOutputStream joined = null;
    Object last = null;
    while (values.hasNext()) {
      Object v = values.next();
      if (v instanceof ByteStringChunk) {
        ByteStringChunk chunk = (ByteStringChunk) v;
        if (joined == null) {
          joined = new ByteArrayOutputStream();
        }
        chunk.data().writeTo(joined);
        if (!chunk.last()) {
          continue;
        }
        v = ByteString.wrap(joined.toByteArray());
        joined = null;
      }
      p.println(Json.render(v, pretty));
      p.flush();
      last = v;
    }
    if (p.checkError()) {
      throw new IOException("cannot write the output");
    }
    return last;
  }
}
