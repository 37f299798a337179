package org.hgrpc.client.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import org.hgrpc.client.HttpVectorsAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FramesCliTest {
  @TempDir
  Path dir;

  private static byte[] latin1(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void encodesAHumanLine() {
    CliRun r = CliRun.run(latin1("1 1 stream-begin command-request new cbor:{b'name': b'heads'}\n"),
        "frames", "encode");

    assertEquals(0, r.exitCode(), r.toString());
    assertEquals("0c00000100010111a1446e616d65456865616473", HexFormat.of().formatHex(r.stdout()));
  }

  @Test
  void encodesAFileSkippingCommentsAndBlankLines() throws IOException {
    Path in = dir.resolve("two.txt");
    Files.writeString(in, "# two commands\n1 1 stream-begin command-request new cbor:{b'name': b'customreadonly'}\n\n"
        + "3 1 0 command-request new cbor:{b'name': b'customreadonly'}\r\n", StandardCharsets.ISO_8859_1);
    Path out = dir.resolve("two.frames");

    CliRun r = CliRun.run("frames", "encode", in.toString(), "-o", out.toString());

    assertEquals(0, r.exitCode(), r.toString());
    assertArrayEquals(HttpVectorsAccess.requestBody("multirequest"), Files.readAllBytes(out));
  }

  @Test
  void encodesACommandAsTheReferenceClientDoes() {
    CliRun r = CliRun.run("frames", "encode", "--command", "heads", "--arg", "publiconly=cbor:True");
    assertArrayEquals(HttpVectorsAccess.requestBody("repo heads publiconly"), r.stdout(), r.toString());

    r = CliRun.run("frames", "encode", "--command", "listkeys", "--arg", "namespace=bookmarks");
    assertArrayEquals(HttpVectorsAccess.requestBody("repo listkeys bookmarks"), r.stdout(), r.toString());
  }

  @Test
  void encodesACommandWithAnotherRequestId() {
    CliRun r = CliRun.run("frames", "encode", "--command", "heads", "--request-id", "3");
    assertEquals("0c00000300010111a1446e616d65456865616473", HexFormat.of().formatHex(r.stdout()));
  }

  @Test
  void decodesAResponse() {
    CliRun r = CliRun.run(HttpVectorsAccess.responseBody("read-only command"), "frames", "decode");

    assertEquals(0, r.exitCode(), r.toString());
    assertEquals(String.join("\n",
        "1 2 stream-begin command-response continuation \\xa1FstatusBok",
        "1 2 0 command-response continuation X\\x1dcustomreadonly bytes response",
        "1 2 0 command-response eos ",
        "",
        "request 1 command-response:",
        "{",
        "  \"status\": \"ok\"",
        "}",
        "\"customreadonly bytes response\"",
        ""), r.out());
  }

  @Test
  void decodesInReprFormatAndCompactJson() {
    CliRun r = CliRun.run(HttpVectorsAccess.responseBody("repo heads"), "frames", "decode", "--format", "repr",
        "--compact");

    assertEquals(0, r.exitCode(), r.toString());
    assertEquals(String.join("\n",
        "frame(size=11; request=1; stream=2; streamflags=stream-begin; type=command-response; flags=continuation)",
        "frame(size=43; request=1; stream=2; streamflags=; type=command-response; flags=continuation)",
        "frame(size=0; request=1; stream=2; streamflags=; type=command-response; flags=eos)",
        "",
        "request 1 command-response:",
        "{\"status\":\"ok\"}",
        "[\"ddf943f5d05b0fa97ff16fa5f809e64d343f21c6\",\"29c9ad264e2de94dd2d47f45c908b40707b95994\"]",
        ""), r.out());
  }

  @Test
  void decodesRequestsAndErrorFrames() {
    CliRun r = CliRun.run(HttpVectorsAccess.requestBody("repo listkeys bookmarks"), "frames", "decode", "--no-frames",
        "--compact");
    assertEquals("request 1 command-request:\n{\"args\":{\"namespace\":\"bookmarks\"},\"name\":\"listkeys\"}\n",
        r.out());

    r = CliRun.run(HttpVectorsAccess.responseBody("repo lookup unknown"), "frames", "decode", "--no-frames",
        "--compact");
    assertEquals("request 1 error-response:\n"
        + "{\"message\":[{\"msg\":\"unknown revision 'doesnotexist'\"}],\"type\":\"server\"}\n", r.out());
  }

  /** decode's lines, fed to encode, give back the bytes, for requests and responses alike. */
  @ParameterizedTest
  @ValueSource(strings = {"read-only command", "repo heads", "repo interleaved listkeys", "capabilities command",
      "repo lookup secret"})
  void decodeThenEncodeRoundTrips(String vector) {
    for (byte[] body : new byte[][] {HttpVectorsAccess.requestBody(vector), HttpVectorsAccess.responseBody(vector)}) {
      CliRun decoded = CliRun.run(body, "frames", "decode", "--no-values");
      assertEquals(0, decoded.exitCode(), decoded.toString());
      CliRun encoded = CliRun.run(decoded.stdout(), "frames", "encode");
      assertEquals(0, encoded.exitCode(), encoded.toString());
      assertArrayEquals(body, encoded.stdout(), vector);
    }
  }

  @Test
  void aTruncatedFileShowsWhatItCanAndExits3() {
    byte[] body = HttpVectorsAccess.responseBody("read-only command");
    CliRun r = CliRun.run(Arrays.copyOf(body, 30), "frames", "decode");

    assertEquals(ExitCodes.PROTOCOL, r.exitCode(), r.toString());
    assertTrue(r.out().startsWith("1 2 stream-begin command-response continuation"), r.out());
    assertTrue(r.out().contains("{\n  \"status\": \"ok\"\n}"), r.out());
    assertEquals("hgrpc: frame length error: expected 31; got 3\n", r.stderr());
  }

  /** What curl writes for a refusal: the server's text/plain body, not frames. */
  @Test
  void aTextBodyIsShownAsTextAndExits3() {
    CliRun r = CliRun.run("unknown wire protocol command: nosuchcommand\n".getBytes(StandardCharsets.UTF_8),
        "frames", "decode");

    assertEquals(ExitCodes.PROTOCOL, r.exitCode(), r.toString());
    assertEquals("", r.out());
    assertEquals("hgrpc: the input is not frames but text: unknown wire protocol command: nosuchcommand\n",
        r.stderr());
  }

  @Test
  void textOfSeveralLinesShorterThanAHeaderOrNotAsciiIsText() {
    CliRun r = CliRun.run("client MUST send Content-Type header with value: x\r\n\tsecond line\n"
        .getBytes(StandardCharsets.UTF_8), "frames", "decode", "--no-frames");
    assertEquals("hgrpc: the input is not frames but text: client MUST send Content-Type header with value: x\r\n"
        + "\tsecond line\n", r.stderr());

    r = CliRun.run("oops".getBytes(StandardCharsets.UTF_8), "frames", "decode");
    assertEquals("hgrpc: the input is not frames but text: oops\n", r.stderr());

    r = CliRun.run("révision inconnue ‘x’".getBytes(StandardCharsets.UTF_8), "frames", "decode");
    assertEquals(ExitCodes.PROTOCOL, r.exitCode(), r.toString());
    assertEquals("hgrpc: the input is not frames but text: révision inconnue ‘x’\n", r.stderr());
  }

  @Test
  void longTextIsShownUpToEightKibibytes() {
    byte[] page = "<html>\n".concat("x".repeat(20000)).getBytes(StandardCharsets.UTF_8);
    CliRun r = CliRun.run(page, "frames", "decode");

    assertEquals(ExitCodes.PROTOCOL, r.exitCode(), r.toString());
    assertEquals("hgrpc: the input is not frames but text: <html>\n" + "x".repeat(8192 - 7) + " [...]\n",
        r.stderr());
  }

  @Test
  void aCharacterCutByTheEndOfTheLookIsNotAnError() {
    // 8191 ASCII bytes, then a 3-byte character across the 8 KiB boundary.
    byte[] text = ("a".repeat(8191) + "\u2018 and more").getBytes(StandardCharsets.UTF_8);
    CliRun r = CliRun.run(text, "frames", "decode");
    assertEquals("hgrpc: the input is not frames but text: " + "a".repeat(8191) + " [...]\n", r.stderr());
  }

  /** Control characters, broken UTF-8 and plausible headers keep the frame decoder's answer. */
  @Test
  void binaryInputIsNotTakenForText() {
    CliRun r = CliRun.run(new byte[] {'a', 'b', 'c', 'd', 'e', 'f', 'g', 0x01, 'h'}, "frames", "decode");
    assertEquals(ExitCodes.PROTOCOL, r.exitCode(), r.toString());
    assertTrue(r.stderr().startsWith("hgrpc: frame length error"), r.stderr());

    r = CliRun.run(new byte[] {'a', 'b', (byte) 0xc3}, "frames", "decode");
    assertEquals("hgrpc: received incomplete frame: got 3 bytes: b'ab\\xc3'\n", r.stderr());

    // Printable bytes everywhere but the stream flags: a (truncated) frame, not text.
    r = CliRun.run(new byte[] {'a', 'b', 'c', 'd', 'e', 'f', 0x01, 0x31, 'x'}, "frames", "decode");
    assertTrue(r.stderr().startsWith("hgrpc: frame length error"), r.stderr());

    r = CliRun.run(new byte[0], "frames", "decode");
    assertEquals(0, r.exitCode(), r.toString());
    assertEquals("", r.out() + r.stderr());
  }

  @Test
  void textInputWritesNoOutputFile() {
    Path out = dir.resolve("out.txt");
    CliRun r = CliRun.run("Not Found\n".getBytes(StandardCharsets.UTF_8), "frames", "decode", "-o", out.toString());
    assertEquals(ExitCodes.PROTOCOL, r.exitCode(), r.toString());
    assertTrue(Files.notExists(out), out + " was created");
  }

  @Test
  void invalidCborInAFrameExits3AfterPrintingEverything() {
    CliRun r = CliRun.run(latin1("1 2 stream-begin command-response eos \\xa1\\x7f\n"), "frames", "encode");
    CliRun d = CliRun.run(r.stdout(), "frames", "decode");
    assertEquals(ExitCodes.PROTOCOL, d.exitCode(), d.toString());
    assertTrue(d.out().contains("# invalid CBOR:"), d.out());
  }

  @Test
  void aBadLineIsAUsageErrorNamingTheLine() {
    CliRun r = CliRun.run(latin1("# comment\n1 1 stream-begin command-request bogus x\n"), "frames", "encode");

    assertEquals(ExitCodes.USAGE, r.exitCode(), r.toString());
    assertTrue(r.stderr().startsWith("hgrpc: line 2: "), r.stderr());
    assertEquals(0, r.stdout().length);
  }

  @Test
  void fileAndCommandTogetherAreAUsageError() {
    CliRun r = CliRun.run("frames", "encode", "x.txt", "--command", "heads");
    assertEquals(ExitCodes.USAGE, r.exitCode(), r.toString());
    assertTrue(r.stderr().contains("give either FILE or --command, not both"), r.stderr());
    assertEquals(ExitCodes.USAGE, CliRun.run("frames", "encode", "--arg", "a=b").exitCode());
    assertEquals(ExitCodes.USAGE, CliRun.run("frames", "encode", "--command", "x", "--arg", "novalue").exitCode());
    assertEquals(ExitCodes.USAGE, CliRun.run("frames", "encode", "--command", "x", "--arg", "a=cbor:[").exitCode());
    assertEquals(ExitCodes.USAGE, CliRun.run("frames", "encode", "--command", "x", "--request-id", "70000")
        .exitCode());
  }

  @Test
  void cborShowsTheHandshake() {
    CliRun r = CliRun.run(HttpVectorsAccess.responseBody("repo handshake"), "cbor", "--compact");

    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.out().startsWith("{\"apibase\":\"api/\",\"apis\":{\"exp-http-v2-0001\":{\"commands\":{"
        + "\"branchmap\":{\"args\":{},\"permissions\":[\"pull\"]},"), r.out());
    assertTrue(r.out().endsWith("\"v1capabilities\":\"batch branchmap bundle2=HG20%0Abookmarks"
        + "%0Achangegroup%3D01%2C02%0Adigests%3Dmd5%2Csha1%2Csha512%0Aerror%3Dabort%2Cunsupportedcontent%2Cpushraced"
        + "%2Cpushkey%0Ahgtagsfnodes%0Alistkeys%0Aphases%3Dheads%0Apushkey%0Aremote-changegroup%3Dhttp%2Chttps%0A"
        + "rev-branch-cache changegroupsubset compression=zlib getbundle httpheader=1024 "
        + "httpmediatype=0.1rx,0.1tx,0.2tx known lookup pushkey unbundle=HG10GZ,HG10BZ,HG10UN unbundlehash\"}\n"),
        r.out());

    CliRun bad = CliRun.run(new byte[] {(byte) 0xa1}, "cbor");
    assertEquals(ExitCodes.PROTOCOL, bad.exitCode(), bad.toString());
  }

  @Test
  void aMissingFileIsAnIoError() {
    CliRun r = CliRun.run("frames", "decode", dir.resolve("nope.frames").toString());
    assertEquals(ExitCodes.IO, r.exitCode(), r.toString());
    r = CliRun.run("frames", "encode", dir.resolve("nope.txt").toString());
    assertEquals(ExitCodes.IO, r.exitCode(), r.toString());
  }
}
