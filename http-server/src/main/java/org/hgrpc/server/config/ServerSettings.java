package org.hgrpc.server.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.hgrpc.core.Limits;
import org.hgrpc.core.encoding.ContentEncodings;

/**
 * Everything the servlet needs, read and checked once from an {@link HgrcConfig}.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>type</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code web.name}</td><td>string</td><td>none</td><td>repository name (the
 *       authentication realm)</td></tr>
 *   <tr><td>{@code experimental.web.apiserver}</td><td>bool</td><td>false</td><td>serve
 *       {@code /api}</td></tr>
 *   <tr><td>{@code experimental.web.api.http-v2}</td><td>bool</td><td>false</td><td>serve the
 *       {@code exp-http-v2-0001} API</td></tr>
 *   <tr><td>{@code experimental.web.api.debugreflect}</td><td>bool</td><td>false</td><td>serve
 *       {@code debugreflect}</td></tr>
 *   <tr><td>{@code hgrpc.max-body-bytes}</td><td>bytes</td><td>128 MB</td><td>largest request
 *       body</td></tr>
 *   <tr><td>{@code hgrpc.max-frame-payload}</td><td>bytes</td><td>1 MB</td><td>largest frame
 *       payload</td></tr>
 *   <tr><td>{@code hgrpc.max-frames-per-request}</td><td>int</td><td>8192</td><td>most frames of
 *       one command request</td></tr>
 *   <tr><td>{@code hgrpc.max-cbor-depth}</td><td>int</td><td>64</td><td>deepest CBOR
 *       nesting</td></tr>
 *   <tr><td>{@code hgrpc.max-argument-bytes}</td><td>bytes</td><td>1 MB</td><td>largest encoded
 *       command request</td></tr>
 *   <tr><td>{@code hgrpc.max-command-data-bytes}</td><td>bytes</td><td>64 MB</td><td>largest
 *       command data</td></tr>
 *   <tr><td>{@code hgrpc.max-requests-in-flight}</td><td>int</td><td>1024</td><td>most command
 *       requests one HTTP request may have open</td></tr>
 *   <tr><td>{@code hgrpc.max-concurrent-requests}</td><td>int</td><td>64</td><td>most HTTP
 *       requests served at once</td></tr>
 *   <tr><td>{@code hgrpc.max-concurrent-pushes}</td><td>int</td><td>4</td><td>most
 *       {@code push} commands run at once (they may wait long for the repository's locks);
 *       these do not count against {@code max-concurrent-requests}</td></tr>
 *   <tr><td>{@code hgrpc.max-buffered-bytes}</td><td>bytes</td><td>an eighth of the
 *       heap</td><td>most request body bytes held by all requests together</td></tr>
 *   <tr><td>{@code hgrpc.max-requests-per-client}</td><td>int</td><td>0 (no limit)</td><td>most
 *       requests one client address may have in progress</td></tr>
 *   <tr><td>{@code hgrpc.min-body-rate}</td><td>bytes</td><td>1 KB</td><td>slowest rate a request
 *       body may arrive at, over any window of the idle timeout</td></tr>
 *   <tr><td>{@code hgrpc.idle-timeout}</td><td>int (seconds)</td><td>30</td><td>longest a
 *       connection may stay idle, e.g. waiting for the next bytes of a request body</td></tr>
 *   <tr><td>{@code experimental.server.v2-encoder-order}</td><td>list</td><td>{@code zstd-8mb
 *       zlib identity}</td><td>the content encodings of API {@code exp-http-v2-0003} responses,
 *       most preferred first</td></tr>
 * </table>
 *
 * <p>The embedded server's connection limits ({@code hgrpc.max-connections}, {@code
 * hgrpc.max-connections-per-ip}) belong to the server, not to a repository, and are read by
 * {@link ConnectionLimits}; a servlet container has its own connector settings.
 *
 * <p>The {@code [web]} permission settings are read per request by {@link AccessControl} from
 * {@link #config()}; {@link #from} checks their booleans up front.
 *
 * @param config the configuration these settings were read from (for {@link AccessControl})
 * @param name {@code web.name}: the repository's name, or null
 * @param apiServer {@code experimental.web.apiserver}: whether {@code /api} is served
 * @param httpV2 {@code experimental.web.api.http-v2}: whether the {@code exp-http-v2-0001} API is
 *     served
 * @param debugReflect {@code experimental.web.api.debugreflect}: whether the {@code debugreflect}
 *     command is served
 * @param maxBodyBytes {@code hgrpc.max-body-bytes}: largest request body accepted, in bytes
 * @param coreLimits the protocol core's bounds, ready for the reactors and decoders of every
 *     request: {@code hgrpc.max-frame-payload} (largest frame payload, in bytes), {@code
 *     hgrpc.max-frames-per-request} (most frames one command request may use), {@code
 *     hgrpc.max-cbor-depth} (deepest CBOR nesting), {@code hgrpc.max-argument-bytes} (largest
 *     CBOR-encoded command request, in bytes), {@code hgrpc.max-command-data-bytes} (largest
 *     command data, in bytes) and {@code hgrpc.max-requests-in-flight} (most command requests
 *     the reactor of one HTTP request tracks at once)
 * @param maxConcurrentRequests {@code hgrpc.max-concurrent-requests}: most requests running
 *     {@code pull} commands at once; more are answered 503. A request takes its slot only once
 *     its body is complete and its commands are about to run, so slow uploads hold none
 * @param minBodyRate {@code hgrpc.min-body-rate}: slowest rate, in bytes per second, at which a
 *     request body may arrive, measured over the last idle-timeout's worth of seconds once the
 *     body has taken longer than that; slower bodies are answered 408 (0 turns the check off).
 *     A sliding window, not the average since the start: a client cannot send fast, then
 *     trickle on the credit
 * @param idleTimeoutSeconds {@code hgrpc.idle-timeout}: longest a connection may stay idle, in
 *     seconds (e.g. while the server waits for the next bytes of a request body); the embedded
 *     server's connector idle timeout
 * @param maxConcurrentPushes {@code hgrpc.max-concurrent-pushes}: most requests running {@code
 *     push} commands at once, on a budget of their own so that pushes waiting for the
 *     repository's locks never take the slots of reads; more are answered 503 at once
 * @param maxBufferedBytes {@code hgrpc.max-buffered-bytes}: most request body bytes all the
 *     requests being received may hold together (frames, command arguments, command data),
 *     checked before the bytes are buffered: a request that would go past it is answered 503
 *     (413 if it alone needs more)
 * @param maxRequestsPerClient {@code hgrpc.max-requests-per-client}: most requests one remote
 *     address may have in progress (receiving its body or running); more are answered 503. 0,
 *     the default, sets no limit (clients behind one NAT share an address)
 * @param encoders {@code experimental.server.v2-encoder-order}: the content encodings the server
 *     offers for API {@code exp-http-v2-0003} responses, most preferred first; each response uses
 *     the first one the client also lists, identity when it lists none (the server-side twin of
 *     Mercurial 4.8's client setting {@code experimental.httppeer.v2-encoder-order})
 */
public record ServerSettings(
    HgrcConfig config,
    String name,
    boolean apiServer,
    boolean httpV2,
    boolean debugReflect,
    long maxBodyBytes,
    Limits coreLimits,
    int maxConcurrentRequests,
    long minBodyRate,
    int idleTimeoutSeconds,
    int maxConcurrentPushes,
    long maxBufferedBytes,
    int maxRequestsPerClient,
    ContentEncodings encoders) {

  /** Our section, for the limits. */
  public static final String SECTION = "hgrpc";

  /** Default of {@code hgrpc.max-body-bytes}: 128 MiB. */
  public static final long DEFAULT_MAX_BODY_BYTES = 128L << 20;
  /** Default of {@code hgrpc.max-concurrent-requests}. */
  public static final int DEFAULT_MAX_CONCURRENT_REQUESTS = 64;
  /** Default of {@code hgrpc.min-body-rate}, in bytes per second. */
  public static final long DEFAULT_MIN_BODY_RATE = 1024;
  /** Default of {@code hgrpc.max-concurrent-pushes}. */
  public static final int DEFAULT_MAX_CONCURRENT_PUSHES = 4;
  /** Default of {@code hgrpc.max-requests-per-client}: no limit. */
  public static final int DEFAULT_MAX_REQUESTS_PER_CLIENT = 0;
  /** Default of {@code hgrpc.idle-timeout}, in seconds. */
  public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 30;
  /** Largest {@code hgrpc.max-cbor-depth}: deeper nesting risks the decoder's stack. */
  public static final int MAX_CBOR_DEPTH = 1024;
  /** Largest {@code hgrpc.idle-timeout}: a day. */
  public static final int MAX_IDLE_TIMEOUT_SECONDS = 86_400;

  /** The setting of the server's content encoder preference, {@code section.key}. */
  public static final String ENCODER_ORDER_SETTING = "experimental.server.v2-encoder-order";

  /** The init parameter naming an hgrc file to load before the other init parameters. */
  public static final String HGRC_INIT_PARAMETER = "hgrc";

  /**
   * Every setting the server reads, as {@code section.key}: the ones above and the {@code [web]}
   * permission settings of {@link AccessControl} (with their older names). These are the init
   * parameters {@link #fromInitParameters(Function)} looks up.
   */
  public static final List<String> SETTINGS = List.of(
      "web.name",
      "experimental.web.apiserver",
      "experimental.web.api.http-v2",
      "experimental.web.api.debugreflect",
      "web.allow_read",
      "web.deny_read",
      "web.allow-pull",
      "web.allowpull",
      "web.push_ssl",
      "web.allow-push",
      "web.allow_push",
      "web.deny_push",
      "hgrpc.max-body-bytes",
      "hgrpc.max-frame-payload",
      "hgrpc.max-frames-per-request",
      "hgrpc.max-cbor-depth",
      "hgrpc.max-argument-bytes",
      "hgrpc.max-command-data-bytes",
      "hgrpc.max-requests-in-flight",
      "hgrpc.max-concurrent-requests",
      "hgrpc.min-body-rate",
      "hgrpc.idle-timeout",
      "hgrpc.max-concurrent-pushes",
      "hgrpc.max-buffered-bytes",
      "hgrpc.max-requests-per-client",
      ENCODER_ORDER_SETTING);

  /**
   * Checks every bound (see {@link #from}); the messages name the setting.
   *
   * @param config the configuration these settings were read from
   * @param name the repository's name, or null
   * @param apiServer whether {@code /api} is served
   * @param httpV2 whether the {@code exp-http-v2-0001} API is served
   * @param debugReflect whether {@code debugreflect} is served
   * @param maxBodyBytes largest request body, at least 1
   * @param coreLimits the core's bounds: frame payload 1 to 16777215, frames per request at
   *     least 1, CBOR depth 1 to {@value #MAX_CBOR_DEPTH}, argument bytes at least 1, command
   *     data at least 0, requests in flight at least 1
   * @param maxConcurrentRequests most HTTP requests at once, at least 1
   * @param minBodyRate slowest accepted average body rate in bytes per second, at least 0
   * @param idleTimeoutSeconds connection idle timeout, 1 to {@value #MAX_IDLE_TIMEOUT_SECONDS}
   * @param maxConcurrentPushes most push requests at once, at least 1
   * @param maxBufferedBytes most request body bytes held at once, at least 1
   * @param maxRequestsPerClient most requests in progress per client address, at least 0 (0: no limit)
   * @param encoders the content encodings offered, most preferred first
   * @throws ConfigException if a value is out of range
   * @throws NullPointerException if {@code config}, {@code coreLimits} or {@code encoders} is null
   */
  public ServerSettings {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(coreLimits, "coreLimits");
    Objects.requireNonNull(encoders, "encoders");
    checkRange("max-body-bytes", maxBodyBytes, 1, Long.MAX_VALUE, null);
    checkRange("max-frame-payload", coreLimits.maxFramePayload(), 1, Limits.PROTOCOL_MAX_FRAME_PAYLOAD, null);
    checkRange("max-frames-per-request", coreLimits.maxFramesPerRequest(), 1, Integer.MAX_VALUE, null);
    checkRange("max-cbor-depth", coreLimits.maxCborDepth(), 1, MAX_CBOR_DEPTH, null);
    checkRange("max-argument-bytes", coreLimits.maxArgumentBytes(), 1, Integer.MAX_VALUE, null);
    checkRange("max-command-data-bytes", coreLimits.maxCommandDataBytes(), 0, Long.MAX_VALUE, null);
    checkRange("max-requests-in-flight", coreLimits.maxRequestsInFlight(), 1, Integer.MAX_VALUE, null);
    checkRange("max-concurrent-requests", maxConcurrentRequests, 1, Integer.MAX_VALUE, null);
    checkRange("min-body-rate", minBodyRate, 0, Long.MAX_VALUE, null);
    checkRange("idle-timeout", idleTimeoutSeconds, 1, MAX_IDLE_TIMEOUT_SECONDS, null);
    checkRange("max-concurrent-pushes", maxConcurrentPushes, 1, Integer.MAX_VALUE, null);
    checkRange("max-buffered-bytes", maxBufferedBytes, 1, Long.MAX_VALUE, null);
    checkRange("max-requests-per-client", maxRequestsPerClient, 0, Integer.MAX_VALUE, null);
  }

  /**
   * Settings with the defaults of the admission settings added since: {@code
   * max-concurrent-pushes}, {@code max-buffered-bytes} and {@code max-requests-per-client}.
   *
   * @param config the configuration these settings were read from
   * @param name the repository's name, or null
   * @param apiServer whether {@code /api} is served
   * @param httpV2 whether the {@code exp-http-v2-0001} API is served
   * @param debugReflect whether {@code debugreflect} is served
   * @param maxBodyBytes largest request body, at least 1
   * @param coreLimits the core's bounds
   * @param maxConcurrentRequests most HTTP requests at once, at least 1
   * @param minBodyRate slowest accepted body rate in bytes per second, at least 0
   * @param idleTimeoutSeconds connection idle timeout, 1 to {@value #MAX_IDLE_TIMEOUT_SECONDS}
   */
  public ServerSettings(HgrcConfig config, String name, boolean apiServer, boolean httpV2, boolean debugReflect,
      long maxBodyBytes, Limits coreLimits, int maxConcurrentRequests, long minBodyRate, int idleTimeoutSeconds) {
    this(config, name, apiServer, httpV2, debugReflect, maxBodyBytes, coreLimits, maxConcurrentRequests,
        minBodyRate, idleTimeoutSeconds, DEFAULT_MAX_CONCURRENT_PUSHES, defaultMaxBufferedBytes(),
        DEFAULT_MAX_REQUESTS_PER_CLIENT, ContentEncodings.DEFAULT);
  }

  /**
   * Default of {@code hgrpc.max-buffered-bytes}: an eighth of the JVM's maximum heap. Command
   * data takes up to about four times its size while it arrives (frames, the growing buffer,
   * the final copy), so this keeps the worst case near half the heap.
   *
   * @return the default budget in bytes
   */
  public static long defaultMaxBufferedBytes() {
    return Math.max(1, Runtime.getRuntime().maxMemory() / 8);
  }

  /**
   * The settings of a configuration. Types and bounds:
   *
   * <ul>
   *   <li>booleans as {@link HgrcConfig#getBool} ({@code web.allow-pull} and {@code web.push_ssl}
   *       are checked here too, though {@link AccessControl} reads them);
   *   <li>byte counts as {@link HgrcConfig#getBytes} ({@code 10MB}, {@code 512k}, ...);
   *   <li>{@code max-body-bytes} at least 1; {@code max-frame-payload} 1 to 16777215 (what a
   *       frame header can express); {@code max-cbor-depth} 1 to {@value #MAX_CBOR_DEPTH};
   *       {@code max-argument-bytes}, {@code max-frames-per-request}, {@code
   *       max-requests-in-flight} and {@code max-concurrent-requests} 1 to 2147483647; {@code
   *       max-command-data-bytes} at least 0 (0 refuses command data); {@code idle-timeout} 1 to
   *       {@value #MAX_IDLE_TIMEOUT_SECONDS} seconds; {@code max-concurrent-pushes} 1 to
   *       2147483647; {@code max-buffered-bytes} at least 1; {@code max-requests-per-client} 0
   *       (no limit) to 2147483647.
   * </ul>
   *
   * @param config the configuration
   * @return the settings
   * @throws ConfigException naming the setting, e.g. {@code hgrpc.max-cbor-depth is out of range
   *     ('0'): must be between 1 and 1024}, or {@code experimental.web.apiserver is not a
   *     boolean ('maybe')}
   */
  public static ServerSettings from(HgrcConfig config) {
    Objects.requireNonNull(config, "config");
    AccessControl.validate(config);
    Limits d = Limits.DEFAULTS;
    return new ServerSettings(
        config,
        config.get("web", "name").orElse(null),
        config.getBool("experimental", "web.apiserver", false),
        config.getBool("experimental", "web.api.http-v2", false),
        config.getBool("experimental", "web.api.debugreflect", false),
        bytes(config, "max-body-bytes", DEFAULT_MAX_BODY_BYTES, 1, Long.MAX_VALUE),
        new Limits(
            (int) bytes(config, "max-frame-payload", d.maxFramePayload(), 1, Limits.PROTOCOL_MAX_FRAME_PAYLOAD),
            integer(config, "max-frames-per-request", d.maxFramesPerRequest(), 1, Integer.MAX_VALUE),
            integer(config, "max-cbor-depth", d.maxCborDepth(), 1, MAX_CBOR_DEPTH),
            (int) bytes(config, "max-argument-bytes", d.maxArgumentBytes(), 1, Integer.MAX_VALUE),
            bytes(config, "max-command-data-bytes", d.maxCommandDataBytes(), 0, Long.MAX_VALUE),
            integer(config, "max-requests-in-flight", d.maxRequestsInFlight(), 1, Integer.MAX_VALUE)),
        integer(config, "max-concurrent-requests", DEFAULT_MAX_CONCURRENT_REQUESTS, 1, Integer.MAX_VALUE),
        bytes(config, "min-body-rate", DEFAULT_MIN_BODY_RATE, 0, Long.MAX_VALUE),
        integer(config, "idle-timeout", DEFAULT_IDLE_TIMEOUT_SECONDS, 1, MAX_IDLE_TIMEOUT_SECONDS),
        integer(config, "max-concurrent-pushes", DEFAULT_MAX_CONCURRENT_PUSHES, 1, Integer.MAX_VALUE),
        bytes(config, "max-buffered-bytes", defaultMaxBufferedBytes(), 1, Long.MAX_VALUE),
        integer(config, "max-requests-per-client", DEFAULT_MAX_REQUESTS_PER_CLIENT, 0, Integer.MAX_VALUE),
        encoders(config));
  }

  /**
   * {@code experimental.server.v2-encoder-order}: Mercurial 4.8's order ({@code zstd-8mb, zlib,
   * identity}) when unset; otherwise the names listed, each known and listed once. An empty list
   * is refused: a server must be able to answer (identity is what every peer supports).
   */
  private static ContentEncodings encoders(HgrcConfig config) {
    int dot = ENCODER_ORDER_SETTING.indexOf('.');
    String section = ENCODER_ORDER_SETTING.substring(0, dot);
    String key = ENCODER_ORDER_SETTING.substring(dot + 1);
    if (config.get(section, key).isEmpty()) {
      return ContentEncodings.DEFAULT;
    }
    List<String> names = config.getList(section, key);
    String raw = config.get(section, key).orElse("");
    if (names.isEmpty()) {
      throw new ConfigException(ENCODER_ORDER_SETTING + " is empty ('" + raw + "'): list at least one of "
          + ContentEncodings.known());
    }
    try {
      return ContentEncodings.of(names);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(ENCODER_ORDER_SETTING + " is invalid ('" + raw + "'): " + e.getMessage());
    }
  }

  /**
   * The settings of an empty configuration: every default.
   *
   * @return the settings
   */
  public static ServerSettings defaults() {
    return from(HgrcConfig.empty());
  }

  /**
   * The settings of a servlet (in a WAR) from its init parameters: the parameter {@value
   * #HGRC_INIT_PARAMETER}, if set, names an hgrc file loaded first (relative to the container's
   * working directory); then each parameter named like a setting of {@link #SETTINGS} ({@code
   * section.key}, e.g. {@code experimental.web.api.http-v2}, {@code web.allow-push}, {@code
   * hgrpc.max-body-bytes}) overrides that setting, its value stripped as {@code --config} values
   * are.
   *
   * @param initParam the init parameter of a name, or null if not set (e.g. {@code
   *     this::getInitParameter})
   * @return the settings
   * @throws ConfigException if the hgrc file cannot be loaded or a value is invalid
   */
  public static ServerSettings fromInitParameters(Function<String, String> initParam) {
    return fromInitParameters(SETTINGS, initParam);
  }

  /**
   * As {@link #fromInitParameters(Function)}, taking every parameter in {@code names} that
   * looks like {@code section.key} (a dot neither first nor last) as a setting, so that any
   * setting, not only those of {@link #SETTINGS}, can be given (e.g. with {@code
   * Collections.list(getInitParameterNames())}). Other names are ignored.
   *
   * @param names the init parameter names
   * @param initParam the init parameter of a name, or null if not set
   * @return the settings
   * @throws ConfigException if the hgrc file cannot be loaded or a value is invalid
   */
  public static ServerSettings fromInitParameters(Iterable<String> names, Function<String, String> initParam) {
    Objects.requireNonNull(names, "names");
    Objects.requireNonNull(initParam, "initParam");
    HgrcConfig config = HgrcConfig.empty();
    String hgrc = initParam.apply(HGRC_INIT_PARAMETER);
    if (hgrc != null && !ConfigValues.asciiStrip(hgrc).isEmpty()) {
      String file = ConfigValues.asciiStrip(hgrc);
      Path path;
      try {
        path = Path.of(file);
      } catch (InvalidPathException e) {
        throw new ConfigException("cannot read " + file + " (invalid path: " + e.getReason() + ")", e);
      }
      config = HgrcConfig.load(path);
    }
    for (String name : names) {
      int dot = name.indexOf('.');
      if (dot <= 0 || dot == name.length() - 1) {
        continue;
      }
      String value = initParam.apply(name);
      if (value != null) {
        config = config.withValue(name.substring(0, dot), name.substring(dot + 1),
            ConfigValues.asciiStrip(value), "init parameter " + name);
      }
    }
    return from(config);
  }

  /**
   * How many times its size a request body may take on the heap while it is received: command
   * data arrives as frame payloads, is appended to a growing buffer and copied once more when
   * complete.
   */
  public static final int BUFFERING_OVERHEAD = 4;

  /**
   * A warning for the server's log when the limits allow request bodies to take more heap than
   * the JVM has: {@link #maxBufferedBytes()} times {@value #BUFFERING_OVERHEAD} over {@code
   * maxHeap}.
   *
   * @param maxHeap the most heap the JVM may use ({@code Runtime.getRuntime().maxMemory()})
   * @return the warning, or empty when the limits fit
   */
  public Optional<String> bufferingWarning(long maxHeap) {
    if (maxBufferedBytes <= maxHeap / BUFFERING_OVERHEAD) {
      return Optional.empty();
    }
    return Optional.of("hgrpc.max-buffered-bytes is " + maxBufferedBytes + " bytes: request bodies being received"
        + " may take up to " + BUFFERING_OVERHEAD + " times that on the heap, more than the " + maxHeap
        + " bytes the JVM may use; lower hgrpc.max-buffered-bytes to at most " + maxHeap / BUFFERING_OVERHEAD
        + " or give the JVM more heap (-Xmx)");
  }

  /**
   * {@link #idleTimeoutSeconds()} in milliseconds, as Jetty wants it.
   *
   * @return the idle timeout in milliseconds
   */
  public long idleTimeoutMillis() {
    return idleTimeoutSeconds * 1000L;
  }

  /**
   * {@link AccessControl#check} with this configuration.
   *
   * @param user the authenticated remote user, or null
   * @param op what the request wants to do
   * @param method the HTTP method
   * @param secure whether the request came over HTTPS
   * @return the verdict
   */
  public AccessControl.Decision checkAccess(String user, AccessControl.Operation op, String method,
      boolean secure) {
    return AccessControl.check(config, user, op, method, secure);
  }

  private static long bytes(HgrcConfig config, String key, long def, long min, long max) {
    long v = config.getBytes(SECTION, key, def);
    checkRange(key, v, min, max, config.get(SECTION, key).orElse(null));
    return v;
  }

  /** {@code hgrpc.KEY} as an int between {@code min} and {@code max}; the messages name the setting and its value. */
  static int integer(HgrcConfig config, String key, int def, int min, int max) {
    int v = config.getInt(SECTION, key, def);
    checkRange(key, v, min, max, config.get(SECTION, key).orElse(null));
    return v;
  }

  private static void checkRange(String key, long value, long min, long max, String raw) {
    if (value < min || value > max) {
      throw new ConfigException(SECTION + "." + key + " is out of range ('"
          + (raw != null ? raw : Long.toString(value)) + "'): must be between " + min + " and " + max);
    }
  }
}
