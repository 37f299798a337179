package org.hgrpc.bench.jmh;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.hgrpc.bench.Fixtures;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.cbor.CborDecodeException;
import org.hgrpc.core.cbor.CborDecoder;
import org.hgrpc.core.cbor.CborEncoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * CBOR encoding and decoding of two typical responses against Jackson's streaming CBOR
 * generator and parser doing the same work (the baseline): {@code nodes1000}, a list of 1,000
 * 20-byte nodes (as {@code heads} or {@code known} answer), and {@code pairs10000}, a map of
 * 10,000 byte-string pairs (a large {@code listkeys}). One operation is one whole value.
 *
 * <p>The baselines: {@code jacksonEncode} writes the same structure from prepared
 * {@code byte[]} values (map keys as text strings, which Jackson cannot write as byte strings:
 * same sizes, one type bit different) without sorting; {@code jacksonDecode} parses our exact
 * bytes into an {@code ArrayList<byte[]>} or a {@code HashMap<String, byte[]>}.
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch"})
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CborBench {
  private static final CBORFactory JACKSON = new CBORFactory();

  /** Which value. */
  @Param({"nodes1000", "pairs10000"})
  public String shape;

  private Object value;
  private byte[] encoded;
  private List<byte[]> rawList;
  private List<String> rawKeys;
  private List<byte[]> rawValues;

  @Setup
  public void setup() {
    rawList = new ArrayList<>();
    rawKeys = new ArrayList<>();
    rawValues = new ArrayList<>();
    if (shape.equals("nodes1000")) {
      List<ByteString> nodes = Fixtures.nodes(1000);
      value = nodes;
      nodes.forEach(n -> rawList.add(n.toByteArray()));
    } else {
      Map<ByteString, ByteString> pairs = Fixtures.pairs(10_000);
      value = pairs;
      pairs.forEach((k, v) -> {
        rawKeys.add(k.toString(StandardCharsets.ISO_8859_1));
        rawValues.add(v.toByteArray());
      });
    }
    encoded = CborEncoder.encode(value);
  }

  @Benchmark
  public byte[] encode() {
    return CborEncoder.encode(value);
  }

  @Benchmark
  public List<Object> decode() throws CborDecodeException {
    return CborDecoder.decodeAll(ByteString.wrap(encoded));
  }

  @Benchmark
  public byte[] jacksonEncode() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (CBORGenerator g = JACKSON.createGenerator(out)) {
      if (rawKeys.isEmpty()) {
        g.writeStartArray(rawList, rawList.size());
        for (byte[] b : rawList) {
          g.writeBinary(b);
        }
        g.writeEndArray();
      } else {
        g.writeStartObject(rawKeys, rawKeys.size());
        for (int i = 0; i < rawKeys.size(); i++) {
          g.writeFieldName(rawKeys.get(i));
          g.writeBinary(rawValues.get(i));
        }
        g.writeEndObject();
      }
    }
    return out.toByteArray();
  }

  @Benchmark
  public Object jacksonDecode() throws IOException {
    try (CBORParser p = JACKSON.createParser(encoded)) {
      JsonToken t = p.nextToken();
      if (t == JsonToken.START_ARRAY) {
        List<byte[]> l = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          l.add(p.getBinaryValue());
        }
        return l;
      }
      Map<String, byte[]> m = new HashMap<>();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String k = p.currentName();
        p.nextToken();
        m.put(k, p.getBinaryValue());
      }
      return m;
    }
  }
}
