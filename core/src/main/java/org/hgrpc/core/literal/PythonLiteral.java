package org.hgrpc.core.literal;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.cbor.CanonicalOrder;

/**
 * Reads and writes the subset of Python literal syntax that Mercurial uses to spell protocol
 * values as text.
 *
 * <p>Mercurial's reference implementation describes frames in a human-readable syntax whose
 * payload may be {@code cbor:<literal>}, a Python literal evaluated with
 * {@code stringutil.evalpythonliteral}, and raw payloads use Python's byte-string escapes.
 * The conformance vectors this project is tested against spell every value the same way
 * ({@code {b'name': b'heads', b'args': {b'publiconly': False}}}). To read those vectors, to
 * accept the human syntax in tools, and to print values in logs the way Mercurial does, hgrpc
 * needs this syntax in both directions.
 *
 * <p>Python values map to Java as follows: {@code bytes} to {@link ByteString}; {@code int}
 * to {@link Long} when it fits, otherwise {@link BigInteger}; {@code True}/{@code False} to
 * {@link Boolean}; {@code None} to {@code null}; lists and tuples to {@link List}
 * ({@link ArrayList}); dicts to {@link Map} ({@link LinkedHashMap}, in source order); sets to
 * {@link Set} ({@link LinkedHashSet}); {@code str} to {@link String}. Unlike Python, where
 * {@code True == 1}, booleans and ints are distinct keys here, as they are in CBOR.
 *
 * <p>This class is the package's entry point; the work is done by a parser, a renderer and
 * the escape codec beside it.
 */
public final class PythonLiteral {

  /** The nesting depth of containers that {@link #parse(String)} accepts. */
  public static final int DEFAULT_MAX_DEPTH = 256;

  private PythonLiteral() {}

  /**
   * Parses one Python literal, allowing {@link #DEFAULT_MAX_DEPTH} levels of nesting.
   *
   * <p>Accepted: {@code True}, {@code False}, {@code None}, {@code set()}; ints with an
   * optional sign, {@code 0x}/{@code 0o}/{@code 0b} prefixes and {@code _} separators; bytes
   * and str literals with prefixes {@code b r u br rb} in any case, single or triple quotes,
   * Python's escapes, and adjacent literals concatenated; lists, tuples, dicts and sets,
   * with trailing commas. Chars U+0080..U+00FF in a bytes literal stand for their byte
   * values, since the vector files are read as Latin-1 (Python accepts only ASCII there).
   * Whitespace around tokens is allowed; anything after the literal is an error, and so is
   * any other Python syntax (names, floats, calls, comments).
   *
   * @throws LiteralSyntaxException if {@code text} is not a literal of the supported subset
   */
  public static Object parse(String text) {
    return parse(text, DEFAULT_MAX_DEPTH);
  }

  /**
   * Parses one Python literal whose containers (brackets, braces and parentheses, including
   * grouping ones) nest at most {@code maxDepth} deep. The parser itself does not recurse, but
   * hashing a nested tuple key and consumers of the result such as {@link #render} do, so a
   * limit far above the default only moves the stack overflow elsewhere.
   *
   * @throws LiteralSyntaxException if {@code text} is not a literal of the supported subset
   *     or nests too deep
   * @throws IllegalArgumentException if {@code maxDepth} is negative
   */
  public static Object parse(String text, int maxDepth) {
    Objects.requireNonNull(text, "text");
    if (maxDepth < 0) {
      throw new IllegalArgumentException("maxDepth must not be negative: " + maxDepth);
    }
    return PythonLiteralParser.parse(text, maxDepth);
  }

  /**
   * The Python 3 {@code repr} of a value of the model described on this class, with dict keys
   * and set members in {@link CanonicalOrder}, so equal values always render equally.
   * Lists render with brackets (tuples are not kept apart from lists).
   *
   * @throws IllegalArgumentException if the value, or anything in it, is outside the model,
   *     or keys cannot be ordered
   */
  public static String render(Object value) {
    return LiteralRenderer.render(value);
  }

  /**
   * The Python 3 {@code repr} of bytes, such as {@code b'foo\x00'}: single quotes unless the
   * bytes contain a single quote and no double quote; {@code \\}, {@code \t}, {@code \n},
   * {@code \r} and the quote escaped; other bytes below 0x20 or from 0x7f as {@code \xNN}.
   * {@code null} renders as {@code None}.
   */
  public static String render(ByteString value) {
    return value == null ? "None" : value.toString();
  }

  /**
   * Decodes Python byte-string escapes, as {@code codecs.escape_decode} (Mercurial's
   * {@code stringutil.unescapestr}) does: {@code \\ \' \" \a \b \f \n \r \t \v}, {@code \xNN},
   * octal {@code \N}, {@code \NN}, {@code \NNN} (keeping the low 8 bits), and
   * backslash-newline, which is removed. An unknown escape such as {@code \q} stays as the
   * two characters. Every other char stands for the byte of the same value.
   *
   * @throws LiteralSyntaxException for a char above U+00FF, a malformed {@code \x} escape or a
   *     trailing backslash
   */
  public static ByteString unescape(String text) {
    return PythonEscapes.unescape(text);
  }
}
