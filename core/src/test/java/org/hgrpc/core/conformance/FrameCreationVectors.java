package org.hgrpc.core.conformance;

import static org.hgrpc.core.conformance.VectorSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.frame.BufferingCommandResponseEmitter;
import org.hgrpc.core.frame.Frame;
import org.hgrpc.core.frame.FrameStream;
import org.hgrpc.core.frame.Frames;
import org.hgrpc.core.frame.Frames.TextAtom;

/**
 * Runs {@code frame-creation.jsonl}: each row names a reference helper and its inputs; this
 * class knows the inputs behind each name (numbers in a name are parameters, so rows with
 * other sizes run too) and compares the frames.
 */
final class FrameCreationVectors {
  private FrameCreationVectors() {}

  private record Scenario(Pattern name, Function<Matcher, List<Frame>> make) {}

  private static final List<Scenario> SCENARIOS = new ArrayList<>();

  private static void scenario(String regex, Function<Matcher, List<Frame>> make) {
    SCENARIOS.add(new Scenario(Pattern.compile(regex), make));
  }

  private static ByteString b(String latin1) {
    return ByteString.latin1(latin1);
  }

  private static ByteString repeat(char c, int n) {
    return b(String.valueOf(c).repeat(n));
  }

  private static FrameStream clientStream() {
    return new FrameStream(1);
  }

  private static FrameStream serverStream() {
    return new FrameStream(2);
  }

  private static Map<Object, Object> map(Object... kv) {
    Map<Object, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  private static int n(Matcher m) {
    return Integer.parseInt(m.group(1));
  }

  static {
    scenario("createcommandframes data=(\\d+)", m -> Frames.createCommandFrames(clientStream(), 1, b("command"),
        Map.of(), new ByteArrayInputStream(repeat('x', n(m)).toByteArray())).toList());
    scenario("createcommandframes no args", m -> Frames.createCommandFrames(clientStream(), 1, b("mycommand"),
        Map.of(), null).toList());
    scenario("createcommandframes args", m -> Frames.createCommandFrames(clientStream(), 3, b("command"),
        map(b("key1"), b("key1value"), b("key2"), b("key2value")), null).toList());
    scenario("createcommandframes big args (\\d+)", m -> Frames.createCommandFrames(clientStream(), 5,
        b("command"), map(b("blob"), repeat('y', n(m))), null).toList());
    scenario("createcommandframes small maxframesize", m -> Frames.createCommandFrames(clientStream(), 1,
        b("command"), map(b("k"), repeat('v', 30)), null, 10).toList());
    scenario("createcommandresponseframesfrombytes (\\d+)", m -> Frames.createCommandResponseFramesFromBytes(
        serverStream(), 1, repeat('z', n(m))).toList());
    scenario("createcommandresponseframesfrombytes maxframesize=(\\d+)", m ->
        Frames.createCommandResponseFramesFromBytes(serverStream(), 1, b("0123456789".repeat(5)), n(m)).toList());
    scenario("createbytesresponseframesfromgen", m -> Frames.createBytesResponseFramesFromGen(serverStream(), 1,
        List.of(repeat('a', 10), repeat('b', 40000), repeat('c', 5)).iterator(), 32768).toList());
    scenario("createbytesresponseframesfromgen maxframesize=(\\d+)", m -> Frames.createBytesResponseFramesFromGen(
        serverStream(), 1, List.of(b("abcdefgh"), b("ijklmnopq")).iterator(), n(m)).toList());
    scenario("createcommandresponseokframe", m -> List.of(Frames.createCommandResponseOkFrame(serverStream(), 1)));
    scenario("createcommandresponseeosframe", m -> List.of(Frames.createCommandResponseEosFrame(serverStream(), 1)));
    scenario("createcommanderrorresponse", m -> List.of(Frames.createCommandErrorResponse(serverStream(), 1,
        b("bad thing"), List.of())));
    scenario("createcommanderrorresponse args", m -> List.of(Frames.createCommandErrorResponse(serverStream(), 1,
        b("bad %s"), List.of(b("thing")))));
    scenario("createerrorframe server", m -> List.of(Frames.createErrorFrame(serverStream(), 1, b("boom"),
        b("server"))));
    scenario("createerrorframe protocol", m -> List.of(Frames.createErrorFrame(serverStream(), 3, b("bad frame"),
        b("protocol"))));
    scenario("createtextoutputframe simple", m -> List.of(Frames.createTextOutputFrame(serverStream(), 1,
        List.of(new TextAtom(b("foo"), List.of(), List.of())))));
    scenario("createtextoutputframe full", m -> List.of(Frames.createTextOutputFrame(serverStream(), 1, List.of(
        new TextAtom(b("foo %s"), List.of(b("val1")), List.of()),
        new TextAtom(b("bar %s %s"), List.of(b("val2"), b("val3")), List.of(b("label1"), b("label2")))))));
    scenario("createtextoutputframe non-ascii format", m -> List.of(Frames.createTextOutputFrame(serverStream(), 1,
        List.of(new TextAtom(b("\u00e9"), List.of(), List.of())))));
    scenario("createtextoutputframe non-ascii label", m -> List.of(Frames.createTextOutputFrame(serverStream(), 1,
        List.of(new TextAtom(b("foo"), List.of(), List.of(b("\u00e9")))))));
    scenario("createtextoutputframe too big", m -> List.of(Frames.createTextOutputFrame(serverStream(), 1,
        List.of(new TextAtom(repeat('x', 40000), List.of(), List.of())))));
    scenario("emitter small chunks", m -> emit(32768, repeat('a', 10), repeat('b', 20), repeat('c', 30)));
    scenario("emitter fill exactly", m -> emit(32768, repeat('a', 32758), repeat('b', 10), b("c")));
    scenario("emitter over", m -> emit(32768, repeat('a', 32758), repeat('b', 11)));
    scenario("emitter big chunk", m -> emit(32768, repeat('a', 5), repeat('b', 65543), repeat('c', 3)));
    // A None in the middle flushes early, as the reference's test of tiny frames does.
    scenario("emitter tiny max", m -> emit(4, b("abc"), b("de"), b("fghi"), b("jk"), null, b("l")));
    scenario("emitter none only", m -> emit(32768));
  }

  /** Sends chunks through an emitter (null flushes, as {@code send(None)}), then flushes. */
  private static List<Frame> emit(int maxSize, ByteString... chunks) {
    List<Frame> out = new ArrayList<>();
    BufferingCommandResponseEmitter e = new BufferingCommandResponseEmitter(serverStream(), 1, maxSize);
    for (ByteString c : chunks) {
      if (c == null) {
        e.flush(out::add);
      } else {
        e.send(c, out::add);
      }
    }
    e.flush(out::add);
    return out;
  }

  static void run(JsonNode row) {
    String name = row.get("name").asText();
    Scenario scenario = null;
    Matcher matcher = null;
    for (Scenario s : SCENARIOS) {
      Matcher m = s.name.matcher(name);
      if (m.matches()) {
        scenario = s;
        matcher = m;
      }
    }
    assertNotNull(scenario, "no known inputs for frame-creation scenario '" + name + "'");
    Matcher mm = matcher;
    Scenario sc = scenario;
    Supplier<List<Frame>> make = () -> sc.make.apply(mm);
    if (row.has("exception")) {
      assertThrows(IllegalArgumentException.class, make::get);
      return;
    }
    List<String> actual = new ArrayList<>();
    for (Iterator<Frame> it = make.get().iterator(); it.hasNext(); ) {
      actual.add(hex(it.next()));
    }
    assertFrames(strings(row.get("frames")), actual);
  }
}
