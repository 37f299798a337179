package org.hgrpc.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConnectionLimitsTest {
  private static ConnectionLimits with(String... overrides) {
    HgrcConfig cfg = HgrcConfig.empty();
    for (String o : overrides) {
      cfg = cfg.withOverride(o);
    }
    return ConnectionLimits.from(cfg);
  }

  @Test
  void defaults() {
    ConnectionLimits d = with();
    assertEquals(1024, d.maxConnections());
    assertEquals(256, d.maxConnectionsPerIp());
    assertEquals(ConnectionLimits.DEFAULTS, d);
    assertEquals("connections: at most 1024, 256 per client address (hgrpc.max-connections,"
        + " hgrpc.max-connections-per-ip)", d.describe());
  }

  @Test
  void valuesAreReadAndZeroMeansNoLimit() {
    ConnectionLimits l = with("hgrpc.max-connections=5000", "hgrpc.max-connections-per-ip= 32 ");
    assertEquals(new ConnectionLimits(5000, 32), l);
    ConnectionLimits none = with("hgrpc.max-connections=0", "hgrpc.max-connections-per-ip=0");
    assertEquals(ConnectionLimits.NONE, none);
    assertEquals("connections: no limit, no limit per client address (hgrpc.max-connections,"
        + " hgrpc.max-connections-per-ip)", none.describe());
  }

  @ParameterizedTest
  @CsvSource({
      "max-connections, -1, out of range ('-1'): must be between 0 and 2147483647",
      "max-connections-per-ip, -5, out of range ('-5'): must be between 0 and 2147483647",
      "max-connections, many, not a valid integer ('many')",
      "max-connections-per-ip, 2.5, not a valid integer ('2.5')",
      "max-connections, 99999999999, not a valid integer ('99999999999')"})
  void badValuesNameTheSetting(String key, String value, String problem) {
    ConfigException e = assertThrows(ConfigException.class, () -> with("hgrpc." + key + "=" + value));
    assertEquals("hgrpc." + key + " is " + problem, e.getMessage());
  }

  @Test
  void negativeLimitsAreRefusedByTheConstructorToo() {
    assertEquals("hgrpc.max-connections is out of range ('-1'): must be between 0 and 2147483647",
        assertThrows(ConfigException.class, () -> new ConnectionLimits(-1, 0)).getMessage());
    assertEquals("hgrpc.max-connections-per-ip is out of range ('-1'): must be between 0 and 2147483647",
        assertThrows(ConfigException.class, () -> new ConnectionLimits(0, -1)).getMessage());
  }
}
