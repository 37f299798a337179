package org.hgrpc.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hgrpc.client.cli.AdvertisedArgument.Type;
import org.hgrpc.core.ByteString;
import org.junit.jupiter.api.Test;

/** Arguments typed by the capabilities a server advertises, in both shapes servers use. */
class ArgumentTypingTest {
  private static final String NODE1 = "ddf943f5d05b0fa97ff16fa5f809e64d343f21c6";
  private static final String NODE2 = "29c9ad264e2de94dd2d47f45c908b40707b95994";

  private static ByteString b(String s) {
    return ByteString.utf8(s);
  }

  /** A Mercurial 4.8 description: {type, required, default, validvalues}. */
  private static Map<ByteString, Object> described(String type, boolean required, Object defaultValue,
      Set<ByteString> validValues) {
    Map<ByteString, Object> m = new LinkedHashMap<>();
    m.put(b("type"), b(type));
    m.put(b("required"), required);
    if (!required) {
      m.put(b("default"), defaultValue);
    }
    if (validValues != null) {
      m.put(b("validvalues"), validValues);
    }
    return m;
  }

  @Test
  void theExampleShapeGivesTheExamplesType() {
    assertEquals(Type.BOOL, AdvertisedArgument.of("publiconly", false).type());
    assertEquals(Type.LIST, AdvertisedArgument.of("nodes", List.of(b("deadbeef"))).type());
    assertEquals(Type.BYTES, AdvertisedArgument.of("namespace", b("ns")).type());
    assertEquals(Type.INT, AdvertisedArgument.of("size", 42L).type());
    assertEquals(Type.SET, AdvertisedArgument.of("fields", Set.of(b("parents"))).type());
    assertEquals(Type.DICT, AdvertisedArgument.of("pathfilter", Map.of(b("include"), List.of())).type());
    assertEquals(Type.UNKNOWN, AdvertisedArgument.of("x", null).type());
    AdvertisedArgument a = AdvertisedArgument.of("publiconly", false);
    assertEquals(false, a.required());
    assertEquals(Set.of(), a.validValues());
  }

  @Test
  void theDescriptionShapeGivesItsTypeRequiredAndValidValues() {
    AdvertisedArgument publiconly = AdvertisedArgument.of("publiconly", described("bool", false, false, null));
    assertEquals(new AdvertisedArgument("publiconly", Type.BOOL, false, Set.of()), publiconly);

    AdvertisedArgument nodes = AdvertisedArgument.of("nodes", described("list", true, null, null));
    assertEquals(new AdvertisedArgument("nodes", Type.LIST, true, Set.of()), nodes);

    AdvertisedArgument fields = AdvertisedArgument.of("fields",
        described("set", false, Set.of(), Set.of(b("parents"), b("revision"))));
    assertEquals(Type.SET, fields.type());
    assertEquals(Set.of(b("parents"), b("revision")), fields.validValues());

    assertEquals(Type.INT, AdvertisedArgument.of("n", described("int", true, null, null)).type());
    assertEquals(Type.DICT, AdvertisedArgument.of("d", described("dict", false, Map.of(), null)).type());
    assertEquals(Type.BYTES, AdvertisedArgument.of("tree", described("bytes", true, null, null)).type());
  }

  @Test
  void aDictExampleThatMerelyHasATypeKeyIsAnExample() {
    Map<ByteString, Object> example = new LinkedHashMap<>();
    example.put(b("type"), b("bool"));
    example.put(b("colour"), b("red"));
    assertEquals(Type.DICT, AdvertisedArgument.of("x", example).type());
    assertEquals(Type.DICT, AdvertisedArgument.of("y", Map.of(b("type"), b("wine"))).type());
  }

  @Test
  void booleansAcceptTheUsualWordsOnly() {
    AdvertisedArgument a = AdvertisedArgument.of("publiconly", false);
    for (String t : List.of("true", "TRUE", "yes", "on", "1", " True ")) {
      assertEquals(true, a.convert("heads", t), t);
    }
    for (String t : List.of("false", "False", "no", "off", "0")) {
      assertEquals(false, a.convert("heads", t), t);
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.convert("heads", "maybe"));
    assertEquals("argument publiconly of heads is a boolean: 'maybe' is none of true, yes, on, 1, false, no, off, 0",
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> a.convert("heads", ""));
  }

  @Test
  void integersAreDecimal() {
    AdvertisedArgument a = AdvertisedArgument.of("size", 42L);
    assertEquals(1048576L, a.convert("stream", "1048576"));
    assertEquals(-3L, a.convert("stream", "-3"));
    assertEquals(new BigInteger("18446744073709551616"), a.convert("stream", "18446744073709551616"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.convert("stream", "0x10"));
    assertEquals("argument size of stream is an integer: '0x10' is not a decimal number", e.getMessage());
  }

  @Test
  void listsTakeNodesAsHexAndOtherElementsAsText() {
    AdvertisedArgument a = AdvertisedArgument.of("nodes", List.of(b("deadbeef")));
    assertEquals(List.of(ByteString.fromHex(NODE1), ByteString.fromHex(NODE2)),
        a.convert("known", NODE1 + "," + NODE2));
    assertEquals(List.of(ByteString.fromHex(NODE1)), a.convert("known", NODE1.toUpperCase()));
    assertEquals(List.of(), a.convert("known", ""));
    assertEquals(List.of(b("changelog"), b("manifestlog")), a.convert("rawstorefiledata", "changelog, manifestlog"));
    // the JSON array `call --compact heads` prints
    assertEquals(List.of(ByteString.fromHex(NODE1), ByteString.fromHex(NODE2)),
        a.convert("known", "[\"" + NODE1 + "\",\"" + NODE2 + "\"]"));
    assertEquals(List.of(), a.convert("known", "[]"));
  }

  @Test
  void setsAndValidValues() {
    AdvertisedArgument a = AdvertisedArgument.of("fields",
        described("set", false, Set.of(), Set.of(b("parents"), b("revision"))));
    assertEquals(Set.of(b("parents"), b("revision")), a.convert("manifestdata", "revision,parents"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> a.convert("manifestdata", "parents,linknode"));
    assertEquals("argument fields of manifestdata: 'linknode' is not one of parents, revision", e.getMessage());
  }

  @Test
  void bytesAreTheTextAndDictsNeedALiteral() {
    assertEquals(b("bookmarks"), AdvertisedArgument.of("namespace", b("ns")).convert("listkeys", "bookmarks"));
    // a 40-hex bytes argument stays text: listkeys prints bookmarks' nodes as text hex
    assertEquals(b(NODE1), AdvertisedArgument.of("new", b("new")).convert("pushkey", NODE1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> AdvertisedArgument.of("pathfilter", Map.of()).convert("rawstorefiledata", "x"));
    assertEquals("argument pathfilter of rawstorefiledata is a dict: write it as a literal, "
        + "pathfilter=cbor:{b'key': b'value'}", e.getMessage());
  }

  @Test
  void typedArgumentsCheckNamesAndLetLiteralsWin() {
    Map<ByteString, Object> caps = new LinkedHashMap<>();
    caps.put(b("publiconly"), false);
    Map<String, AdvertisedArgument> heads = ArgumentValues.advertised(caps);

    assertEquals(Map.of("publiconly", false),
        ArgumentValues.typed(ArgumentValues.split(List.of("publiconly=false")), "heads", heads));
    // a literal is sent as written, even one of another type
    assertEquals(Map.of("publiconly", b("x")),
        ArgumentValues.typed(ArgumentValues.split(List.of("publiconly=cbor:b'x'")), "heads", heads));

    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> ArgumentValues.typed(ArgumentValues.split(List.of("foo=bar")), "heads", heads));
    assertEquals("heads has no argument 'foo'; its arguments: publiconly (bool)", unknown.getMessage());

    IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
        () -> ArgumentValues.typed(ArgumentValues.split(List.of("foo=bar")), "branchmap", ArgumentValues.advertised(Map.of())));
    assertEquals("branchmap takes no arguments, not 'foo'", none.getMessage());
  }

  @Test
  void aMissingRequiredArgumentIsNamed() {
    Map<ByteString, Object> caps = new LinkedHashMap<>();
    caps.put(b("nodes"), described("list", true, null, null));
    caps.put(b("haveparents"), described("bool", false, false, null));
    Map<String, AdvertisedArgument> manifestdata = ArgumentValues.advertised(caps);

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ArgumentValues.typed(ArgumentValues.split(List.of("haveparents=yes")), "manifestdata", manifestdata));
    assertEquals("manifestdata needs nodes; its arguments: nodes (list, required), haveparents (bool)",
        e.getMessage());
    assertEquals(Map.of("nodes", List.of(ByteString.fromHex(NODE1))),
        ArgumentValues.typed(ArgumentValues.split(List.of("nodes=" + NODE1)), "manifestdata", manifestdata));
  }
}
