package org.hgrpc.core.cbor;

import java.math.BigInteger;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.hgrpc.core.ByteString;

/**
 * The order in which Mercurial writes CBOR map keys and set members, so that equal values
 * always encode to equal bytes.
 *
 * <p>{@code cborutil.streamencode} sorts keys with {@code _mixedtypesortkey}: by Python type
 * name ({@code NoneType < bool < bytes < dict < int < list < set < str}), then by value. Bytes
 * compare as unsigned bytes, ints numerically whether {@link Long} or {@link BigInteger},
 * {@code False < True}, strings by code point, lists element by element (and there, as in
 * Python, {@code bool} and {@code int} compare as numbers). It is a CBOR rule, so it lives
 * here; the Python literal renderer uses it too, which is why a value prints with its keys in
 * the order they go on the wire.
 *
 * <p>The values are hgrpc's model of Python values: {@link ByteString}, {@link Long},
 * {@link BigInteger}, {@link Boolean}, {@code null}, {@link String}, {@link List}, {@link Map}
 * and {@link Set}. Like Python, {@link #COMPARATOR} throws {@link IllegalArgumentException} for
 * values it cannot order: two different maps or sets, list elements of incomparable types,
 * and anything outside the model.
 */
public final class CanonicalOrder {

  /** Compares two values of the model as {@code _mixedtypesortkey} orders them. */
  public static final Comparator<Object> COMPARATOR = CanonicalOrder::compare;

  private CanonicalOrder() {}

  private static int compare(Object a, Object b) {
    int byType = typeName(a).compareTo(typeName(b));
    return byType != 0 ? byType : compareSameType(a, b);
  }

  /** Python's name for the type of a value of the model. */
  private static String typeName(Object value) {
    if (value == null) {
      return "NoneType";
    } else if (value instanceof Boolean) {
      return "bool";
    } else if (value instanceof ByteString) {
      return "bytes";
    } else if (value instanceof Long || value instanceof BigInteger) {
      return "int";
    } else if (value instanceof String) {
      return "str";
    } else if (value instanceof List) {
      return "list";
    } else if (value instanceof Map) {
      return "dict";
    } else if (value instanceof Set) {
      return "set";
    }
    throw new IllegalArgumentException(
        "not a Python literal value: " + value.getClass().getName());
  }

  /** Python's {@code <} between two values of one Python type, as a comparator. */
  private static int compareSameType(Object a, Object b) {
    if (Objects.equals(a, b)) {
      return 0;
    } else if (a instanceof Boolean x) {
      return Boolean.compare(x, (Boolean) b);
    } else if (a instanceof ByteString x) {
      return x.compareTo((ByteString) b);
    } else if (a instanceof String x) {
      return compareCodePoints(x, (String) b);
    } else if (a instanceof List<?> x) {
      return compareLists(x, (List<?>) b);
    } else if (a instanceof Long || a instanceof BigInteger) {
      return compareInts(a, b);
    }
    throw new IllegalArgumentException("cannot order two different " + typeName(a) + " values");
  }

  private static int compareInts(Object a, Object b) {
    if (a instanceof Long x && b instanceof Long y) {
      return Long.compare(x, y);
    }
    return toBigInteger(a).compareTo(toBigInteger(b));
  }

  private static BigInteger toBigInteger(Object n) {
    return n instanceof BigInteger big ? big : BigInteger.valueOf((Long) n);
  }

  private static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int x = a.codePointAt(i);
      int y = b.codePointAt(j);
      if (x != y) {
        return Integer.compare(x, y);
      }
      i += Character.charCount(x);
      j += Character.charCount(y);
    }
    return Boolean.compare(i < a.length(), j < b.length());
  }

  /** Python list order: the first unequal elements decide, else the shorter list is less. */
  private static int compareLists(List<?> a, List<?> b) {
    Iterator<?> x = a.iterator();
    Iterator<?> y = b.iterator();
    while (x.hasNext() && y.hasNext()) {
      int c = compareElements(x.next(), y.next());
      if (c != 0) {
        return c;
      }
    }
    return Boolean.compare(x.hasNext(), y.hasNext());
  }

  /** Inside lists Python compares values directly, so bool and int compare as numbers. */
  private static int compareElements(Object a, Object b) {
    boolean aNumber = a instanceof Boolean || a instanceof Long || a instanceof BigInteger;
    boolean bNumber = b instanceof Boolean || b instanceof Long || b instanceof BigInteger;
    if (aNumber && bNumber) {
      return compareInts(asInt(a), asInt(b));
    }
    String aType = typeName(a);
    String bType = typeName(b);
    if (!aType.equals(bType)) {
      throw new IllegalArgumentException(
          "cannot order " + aType + " and " + bType + " inside lists");
    }
    return compareSameType(a, b);
  }

  private static Object asInt(Object n) {
    return n instanceof Boolean b ? (Object) (b ? 1L : 0L) : n;
  }
}
