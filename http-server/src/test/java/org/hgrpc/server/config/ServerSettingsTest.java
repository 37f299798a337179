package org.hgrpc.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hgrpc.core.Limits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServerSettingsTest {

  @TempDir Path dir;

  private static ServerSettings with(String... options) {
    HgrcConfig c = HgrcConfig.empty();
    for (String o : options) {
      c = c.withOverride(o);
    }
    return ServerSettings.from(c);
  }

  private static String error(String... options) {
    return assertThrows(ConfigException.class, () -> with(options)).getMessage();
  }

  @Test
  void defaults() {
    ServerSettings s = ServerSettings.defaults();
    assertNull(s.name());
    assertFalse(s.apiServer());
    assertFalse(s.httpV2());
    assertFalse(s.debugReflect());
    assertEquals(128L << 20, s.maxBodyBytes());
    assertEquals(1 << 20, s.coreLimits().maxFramePayload());
    assertEquals(8192, s.coreLimits().maxFramesPerRequest());
    assertEquals(64, s.coreLimits().maxCborDepth());
    assertEquals(1 << 20, s.coreLimits().maxArgumentBytes());
    assertEquals(64L << 20, s.coreLimits().maxCommandDataBytes());
    assertEquals(1024, s.coreLimits().maxRequestsInFlight());
    assertEquals(64, s.maxConcurrentRequests());
    assertEquals(30, s.idleTimeoutSeconds());
    assertEquals(30_000L, s.idleTimeoutMillis());
    assertEquals(Limits.DEFAULTS, s.coreLimits());
    assertSame(HgrcConfig.empty(), s.config());
  }

  @Test
  void everySettingIsRead() {
    ServerSettings s = with(
        "web.name=My Repo",
        "experimental.web.apiserver=true",
        "experimental.web.api.http-v2=yes",
        "experimental.web.api.debugreflect=on",
        "hgrpc.max-body-bytes=1 GB",
        "hgrpc.max-frame-payload=256k",
        "hgrpc.max-frames-per-request=100",
        "hgrpc.max-cbor-depth=16",
        "hgrpc.max-argument-bytes=64kb",
        "hgrpc.max-command-data-bytes=1g",
        "hgrpc.max-requests-in-flight=10",
        "hgrpc.max-concurrent-requests=8",
        "hgrpc.idle-timeout=5");
    assertEquals("My Repo", s.name());
    assertTrue(s.apiServer());
    assertTrue(s.httpV2());
    assertTrue(s.debugReflect());
    assertEquals(1L << 30, s.maxBodyBytes());
    assertEquals(256 << 10, s.coreLimits().maxFramePayload());
    assertEquals(100, s.coreLimits().maxFramesPerRequest());
    assertEquals(16, s.coreLimits().maxCborDepth());
    assertEquals(64 << 10, s.coreLimits().maxArgumentBytes());
    assertEquals(1L << 30, s.coreLimits().maxCommandDataBytes());
    assertEquals(10, s.coreLimits().maxRequestsInFlight());
    assertEquals(8, s.maxConcurrentRequests());
    assertEquals(5, s.idleTimeoutSeconds());
    assertEquals(5_000L, s.idleTimeoutMillis());
    assertEquals(new Limits(256 << 10, 100, 16, 64 << 10, 1L << 30, 10), s.coreLimits());
  }

  @Test
  void settingsFromAFile() throws IOException {
    Path hgrc = dir.resolve("hgrc");
    Files.writeString(hgrc, "[experimental]\nweb.apiserver = true\nweb.api.http-v2 = true\n"
        + "[hgrpc]\nmax-body-bytes = 10MB\n");
    ServerSettings s = ServerSettings.from(HgrcConfig.load(hgrc));
    assertTrue(s.apiServer());
    assertTrue(s.httpV2());
    assertEquals(10L << 20, s.maxBodyBytes());
  }

  @Test
  void boundsAreAccepted() {
    ServerSettings s = with("hgrpc.max-frame-payload=16777215", "hgrpc.max-cbor-depth=1024",
        "hgrpc.max-command-data-bytes=0", "hgrpc.idle-timeout=86400",
        "hgrpc.max-argument-bytes=2147483647", "hgrpc.max-body-bytes=1b");
    assertEquals(Limits.PROTOCOL_MAX_FRAME_PAYLOAD, s.coreLimits().maxFramePayload());
    assertEquals(1024, s.coreLimits().maxCborDepth());
    assertEquals(0, s.coreLimits().maxCommandDataBytes());
    assertEquals(86400, s.idleTimeoutSeconds());
    assertEquals(Integer.MAX_VALUE, s.coreLimits().maxArgumentBytes());
    assertEquals(1, s.maxBodyBytes());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "max-body-bytes|0|1|9223372036854775807",
      "max-body-bytes|-1k|1|9223372036854775807",
      "max-frame-payload|16m|1|16777215",
      "max-frame-payload|0|1|16777215",
      "max-frames-per-request|0|1|2147483647",
      "max-cbor-depth|0|1|1024",
      "max-cbor-depth|1025|1|1024",
      "max-argument-bytes|2g|1|2147483647",
      "max-argument-bytes|0|1|2147483647",
      "max-command-data-bytes|-1|0|9223372036854775807",
      "max-requests-in-flight|0|1|2147483647",
      "max-concurrent-requests|0|1|2147483647",
      "max-concurrent-requests|-5|1|2147483647",
      "idle-timeout|0|1|86400",
      "idle-timeout|86401|1|86400"})
  void outOfRange(String key, String value, long min, long max) {
    assertEquals("hgrpc." + key + " is out of range ('" + value + "'): must be between " + min + " and " + max,
        error("hgrpc." + key + "=" + value));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "max-body-bytes|lots",
      "max-frame-payload|1 MiB",
      "max-argument-bytes|1.5",
      "max-command-data-bytes|64 TB"})
  void notByteQuantities(String key, String value) {
    assertEquals("hgrpc." + key + " is not a byte quantity ('" + value + "')", error("hgrpc." + key + "=" + value));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "max-frames-per-request|many",
      "max-cbor-depth|1k",
      "max-requests-in-flight|3.5",
      "max-concurrent-requests|99999999999",
      "idle-timeout|30s"})
  void notIntegers(String key, String value) {
    assertEquals("hgrpc." + key + " is not a valid integer ('" + value + "')", error("hgrpc." + key + "=" + value));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "experimental.web.apiserver|maybe",
      "experimental.web.api.http-v2|2",
      "experimental.web.api.debugreflect|debug",
      "web.push_ssl|required",
      "web.allow-pull|sometimes",
      "web.allowpull|sometimes"})
  void notBooleans(String name, String value) {
    assertEquals(name + " is not a boolean ('" + value + "')", error(name + "=" + value));
  }

  @Test
  void directConstructionChecksBoundsToo() {
    ServerSettings d = ServerSettings.defaults();
    // The core's Limits accepts these; the server's bounds are tighter (and Limits itself refuses a depth of 0).
    assertEquals("hgrpc.max-cbor-depth is out of range ('1025'): must be between 1 and 1024",
        assertThrows(ConfigException.class, () -> new ServerSettings(d.config(), null, false, false, false,
            d.maxBodyBytes(), d.coreLimits().withMaxCborDepth(1025), d.maxConcurrentRequests(),
            d.minBodyRate(), d.idleTimeoutSeconds(), d.maxConcurrentPushes(), d.maxBufferedBytes(), d.maxRequestsPerClient(), d.encoders())).getMessage());
    assertEquals("hgrpc.max-frame-payload is out of range ('0'): must be between 1 and 16777215",
        assertThrows(ConfigException.class, () -> new ServerSettings(d.config(), null, false, false, false,
            d.maxBodyBytes(), d.coreLimits().withMaxFramePayload(0), d.maxConcurrentRequests(),
            d.minBodyRate(), d.idleTimeoutSeconds(), d.maxConcurrentPushes(), d.maxBufferedBytes(), d.maxRequestsPerClient(), d.encoders())).getMessage());
    assertThrows(NullPointerException.class, () -> new ServerSettings(null, null, false, false, false,
        d.maxBodyBytes(), d.coreLimits(), d.maxConcurrentRequests(),
        d.minBodyRate(), d.idleTimeoutSeconds(), d.maxConcurrentPushes(), d.maxBufferedBytes(), d.maxRequestsPerClient(), d.encoders()));
    assertThrows(NullPointerException.class, () -> new ServerSettings(d.config(), null, false, false, false,
        d.maxBodyBytes(), null, d.maxConcurrentRequests(), d.minBodyRate(), d.idleTimeoutSeconds(), d.maxConcurrentPushes(), d.maxBufferedBytes(), d.maxRequestsPerClient(), d.encoders()));
  }

  @Test
  void encoderOrderDefaultsToMercurials() {
    assertEquals(List.of("zstd-8mb", "zlib", "identity"), ServerSettings.defaults().encoders().names());
  }

  @Test
  void encoderOrderIsConfigurable() {
    ServerSettings s = ServerSettings.from(HgrcConfig.parse(
        "[experimental]\nserver.v2-encoder-order = zlib, identity\n", "hgrc", null));
    assertEquals(List.of("zlib", "identity"), s.encoders().names());
  }

  @Test
  void encoderOrderRefusesUnknownNamesNamingTheSetting() {
    ConfigException e = assertThrows(ConfigException.class, () -> ServerSettings.from(HgrcConfig.parse(
        "[experimental]\nserver.v2-encoder-order = zlib brotli\n", "hgrc", null)));
    assertEquals("experimental.server.v2-encoder-order is invalid ('zlib brotli'): unknown content encoding: brotli;"
        + " known: [identity, zlib, zstd-8mb]", e.getMessage());
    ConfigException twice = assertThrows(ConfigException.class, () -> ServerSettings.from(HgrcConfig.parse(
        "[experimental]\nserver.v2-encoder-order = zlib zlib\n", "hgrc", null)));
    assertTrue(twice.getMessage().startsWith("experimental.server.v2-encoder-order is invalid"), twice.getMessage());
    ConfigException empty = assertThrows(ConfigException.class, () -> ServerSettings.from(HgrcConfig.parse(
        "[experimental]\nserver.v2-encoder-order = ,\n", "hgrc", null)));
    assertTrue(empty.getMessage().startsWith("experimental.server.v2-encoder-order is empty"), empty.getMessage());
  }

  @Test
  void checkAccessUsesTheConfig() {
    ServerSettings s = with("web.allow-push=alice", "web.push_ssl=false");
    assertTrue(s.checkAccess("alice", AccessControl.Operation.PUSH, "POST", false).allowed());
    assertEquals(AccessControl.Decision.denied(401, "push not authorized", "web.allow-push does not list the user bob"),
        s.checkAccess("bob", AccessControl.Operation.PUSH, "POST", false));
  }

  // ---- init parameters ----

  @Test
  void initParametersWithoutAnyAreTheDefaults() {
    ServerSettings s = ServerSettings.fromInitParameters(name -> null);
    assertEquals(ServerSettings.defaults().coreLimits(), s.coreLimits());
    assertEquals(java.util.Set.of(), s.config().sections());
  }

  @Test
  void initParametersNameSettings() {
    Map<String, String> params = Map.of(
        "experimental.web.apiserver", "true",
        "experimental.web.api.http-v2", " on ",
        "web.allow-push", "alice bob",
        "web.push_ssl", "false",
        "hgrpc.max-body-bytes", "1m",
        "repository", "/srv/repo");
    ServerSettings s = ServerSettings.fromInitParameters(params::get);
    assertTrue(s.apiServer());
    assertTrue(s.httpV2());
    assertEquals(1L << 20, s.maxBodyBytes());
    assertEquals(List.of("alice", "bob"), s.config().getList("web", "allow-push"));
    assertEquals(Optional.of("on"), s.config().get("experimental", "web.api.http-v2"));
    assertEquals(Optional.of("init parameter web.allow-push"), s.config().source("web", "allow-push"));
    assertTrue(s.checkAccess("bob", AccessControl.Operation.PUSH, "POST", false).allowed());
    assertEquals(Optional.empty(), s.config().get("repository", ""));
  }

  @Test
  void everyKnownSettingIsLookedUp() {
    Map<String, String> asked = new HashMap<>();
    ServerSettings.fromInitParameters(name -> {
      asked.put(name, "");
      return null;
    });
    for (String name : ServerSettings.SETTINGS) {
      assertTrue(asked.containsKey(name), name);
    }
    assertTrue(asked.containsKey("hgrc"));
  }

  @Test
  void hgrcInitParameterIsLoadedFirstAndOverridden() throws IOException {
    Path hgrc = dir.resolve("hgrc");
    Files.writeString(hgrc, "[web]\nname = from file\nallow-push = alice\n[hgrpc]\nmax-cbor-depth = 10\n");
    Map<String, String> params = Map.of(
        "hgrc", hgrc.toString(),
        "hgrpc.max-cbor-depth", "20");
    ServerSettings s = ServerSettings.fromInitParameters(params::get);
    assertEquals("from file", s.name());
    assertEquals(20, s.coreLimits().maxCborDepth());
    assertEquals(List.of("alice"), s.config().getList("web", "allow-push"));
  }

  @Test
  void blankHgrcInitParameterIsIgnored() {
    assertNull(ServerSettings.fromInitParameters(Map.of("hgrc", "  ")::get).name());
  }

  @Test
  void missingHgrcFile() {
    Path missing = dir.resolve("missing");
    assertEquals("cannot read " + missing + " (No such file or directory)",
        assertThrows(ConfigException.class,
            () -> ServerSettings.fromInitParameters(Map.of("hgrc", missing.toString())::get)).getMessage());
  }

  @Test
  void invalidHgrcPath() {
    assertEquals("cannot read a\0b (invalid path: Nul character not allowed)",
        assertThrows(ConfigException.class,
            () -> ServerSettings.fromInitParameters(Map.of("hgrc", "a\0b")::get)).getMessage());
  }

  @Test
  void invalidInitParameterValueNamesTheSetting() {
    assertEquals("hgrpc.max-cbor-depth is not a valid integer ('deep')",
        assertThrows(ConfigException.class,
            () -> ServerSettings.fromInitParameters(Map.of("hgrpc.max-cbor-depth", "deep")::get)).getMessage());
  }

  @Test
  void initParametersWithNamesTakeAnySetting() {
    Map<String, String> params = Map.of(
        "web.name", "x",
        "web.description", "any setting",
        "repository", "/srv/repo",
        ".odd", "ignored",
        "odd.", "ignored");
    ServerSettings s = ServerSettings.fromInitParameters(params.keySet(), params::get);
    assertEquals("x", s.name());
    assertEquals(Optional.of("any setting"), s.config().get("web", "description"));
    assertEquals(java.util.Set.of("web"), s.config().sections());
  }

  @Test
  void admissionSettingsHaveTheirDefaults() {
    ServerSettings s = ServerSettings.defaults();
    assertEquals(4, s.maxConcurrentPushes());
    assertEquals(Runtime.getRuntime().maxMemory() / 8, s.maxBufferedBytes());
    assertEquals(0, s.maxRequestsPerClient());
    assertEquals(1024, s.minBodyRate());
  }

  @Test
  void admissionSettingsAreRead() {
    ServerSettings s = with("hgrpc.max-concurrent-pushes=2", "hgrpc.max-buffered-bytes=16MB",
        "hgrpc.max-requests-per-client=10");
    assertEquals(2, s.maxConcurrentPushes());
    assertEquals(16L << 20, s.maxBufferedBytes());
    assertEquals(10, s.maxRequestsPerClient());
  }

  @ParameterizedTest
  @CsvSource({
      "max-concurrent-pushes, 0, 1, 2147483647",
      "max-buffered-bytes, 0, 1, 9223372036854775807",
      "max-requests-per-client, -1, 0, 2147483647"})
  void admissionSettingsOutOfRangeNameTheSetting(String key, String value, String min, String max) {
    ConfigException e = assertThrows(ConfigException.class, () -> with("hgrpc." + key + "=" + value));
    assertEquals("hgrpc." + key + " is out of range ('" + value + "'): must be between " + min + " and " + max,
        e.getMessage());
  }

  @Test
  void aBufferBudgetTheHeapCannotHoldIsWarnedAbout() {
    ServerSettings s = with("hgrpc.max-buffered-bytes=100MB");
    assertEquals(Optional.empty(), s.bufferingWarning(400L << 20));
    String warning = s.bufferingWarning(256L << 20).orElseThrow();
    assertEquals("hgrpc.max-buffered-bytes is 104857600 bytes: request bodies being received may take up to 4 times"
        + " that on the heap, more than the 268435456 bytes the JVM may use; lower hgrpc.max-buffered-bytes to at"
        + " most 67108864 or give the JVM more heap (-Xmx)", warning);
  }

  @Test
  void theDefaultBufferBudgetFitsTheHeap() {
    assertEquals(Optional.empty(), ServerSettings.defaults().bufferingWarning(Runtime.getRuntime().maxMemory()));
  }
}
