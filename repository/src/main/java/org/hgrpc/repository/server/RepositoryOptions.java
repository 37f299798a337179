package org.hgrpc.repository.server;

import java.time.Duration;
import java.util.List;
import org.hgrpc.server.config.HgrcConfig;

/**
 * The configuration the repository commands read, with Mercurial's defaults.
 *
 * @param view the view served ({@code web.view}, default {@code served})
 * @param publishing whether the repository is publishing ({@code phases.publish}, default true)
 * @param uncompressed whether stream clones may be generated ({@code server.uncompressed},
 *     default true)
 * @param uncompressedAllowSecret whether they may be despite secret changesets
 *     ({@code server.uncompressedallowsecret}, default false)
 * @param obsoleteExchange whether obsolescence markers are exchanged
 *     ({@code experimental.evolution} containing {@code all} or {@code exchange}, or
 *     {@code experimental.evolution.exchange})
 * @param lockTimeout how long pushkey waits for a lock ({@code ui.timeout}, default 600 s)
 */
public record RepositoryOptions(String view, boolean publishing, boolean uncompressed, boolean uncompressedAllowSecret,
    boolean obsoleteExchange, Duration lockTimeout) {

  /** Mercurial's defaults. */
  public static RepositoryOptions defaults() {
    return from(HgrcConfig.empty());
  }

  /** The options of {@code config}. */
  public static RepositoryOptions from(HgrcConfig config) {
    String view = config.get("web", "view").orElse("served");
    boolean exchange;
    if (config.get("experimental", "evolution.exchange").isPresent()) {
      exchange = config.getBool("experimental", "evolution.exchange", false);
    } else {
      List<String> evolution = config.getList("experimental", "evolution");
      exchange = evolution.contains("all") || evolution.contains("exchange");
    }
    return new RepositoryOptions(view,
        config.getBool("phases", "publish", true),
        config.getBool("server", "uncompressed", true),
        config.getBool("server", "uncompressedallowsecret", false),
        exchange,
        Duration.ofSeconds(Math.max(0, config.getInt("ui", "timeout", 600))));
  }
}
