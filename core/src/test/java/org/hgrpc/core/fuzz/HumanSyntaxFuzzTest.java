package org.hgrpc.core.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.hgrpc.core.frame.Frame;
import org.hgrpc.core.frame.HumanFrameSyntaxException;
import org.hgrpc.core.frame.HumanFrames;
import org.hgrpc.core.literal.LiteralSyntaxException;
import org.hgrpc.core.literal.PythonLiteral;

/**
 * Fuzzes the two text syntaxes with arbitrary Latin-1 strings (each input byte is one char,
 * so a seed file is simply the text): the human frame syntax ({@link HumanFrames}) and the
 * Python literal syntax ({@link PythonLiteral}).
 *
 * <p>Properties checked:
 *
 * <ul>
 *   <li>{@link HumanFrames#parse} throws nothing but {@link HumanFrameSyntaxException};
 *   <li>a frame that parses formats back to text that parses to an equal frame;
 *   <li>{@link PythonLiteral#parse} throws nothing but {@link LiteralSyntaxException};
 *   <li>a value that parses renders (or is refused with {@link IllegalArgumentException} as
 *       unorderable), and rendering is a fixed point: when the rendering parses again, the new
 *       value renders the same.
 * </ul>
 */
@org.junit.jupiter.api.Tag("fuzz")
class HumanSyntaxFuzzTest {

  @FuzzTest
  void humanFramesRoundTrip(FuzzedDataProvider data) {
    String text = latin1(data);
    Frame frame;
    try {
      frame = HumanFrames.parse(text);
    } catch (HumanFrameSyntaxException e) {
      return;
    }
    String formatted = HumanFrames.format(frame);
    Frame again;
    try {
      again = HumanFrames.parse(formatted);
    } catch (HumanFrameSyntaxException e) {
      throw new AssertionError("formatted frame does not parse: " + formatted, e);
    }
    assertEquals(frame, again, "frame changed in a round trip through format: " + formatted);
  }

  @FuzzTest
  void pythonLiteralParses(FuzzedDataProvider data) {
    String text = latin1(data);
    Object value;
    try {
      value = PythonLiteral.parse(text);
    } catch (LiteralSyntaxException e) {
      return;
    }
    String rendered = renderOrNull(value);
    if (rendered == null) {
      return;
    }
    Object again;
    try {
      again = PythonLiteral.parse(rendered);
    } catch (LiteralSyntaxException e) {
      // Legitimate: tuples render as lists, which cannot be dict keys or set members.
      return;
    }
    assertEquals(rendered, PythonLiteral.render(again), "rendering is not a fixed point");
  }

  /** The rest of the input, one char per byte. */
  private static String latin1(FuzzedDataProvider data) {
    return new String(data.consumeRemainingAsBytes(), StandardCharsets.ISO_8859_1);
  }

  /** {@link PythonLiteral#render(Object)}, or null for values it documents it cannot order. */
  private static String renderOrNull(Object value) {
    try {
      return PythonLiteral.render(value);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
