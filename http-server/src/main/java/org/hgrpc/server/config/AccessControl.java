package org.hgrpc.server.config;

import java.util.List;
import java.util.Objects;

/**
 * hgweb's permission rules: {@code checkauthz} of Mercurial's {@code mercurial/hgweb/common.py}
 * (Mercurial 4.7), as a pure function of the configuration and the request.
 *
 * <p>In order, for a request by {@code user} (the authenticated remote user, or null):
 *
 * <ol>
 *   <li>{@code web.deny_read} (list) is set and the user is anonymous or in it: 401 {@code read
 *       not authorized};
 *   <li>{@code web.allow_read} (list) is set and the user is not in it: 401 {@code read not
 *       authorized};
 *   <li>a pull while {@code web.allow-pull} (bool, default true; older name {@code
 *       web.allowpull}) is false: 401 {@code pull not authorized}; otherwise a pull (or a
 *       {@linkplain Operation#READ read}) is allowed;
 *   <li>a push whose method is not {@code POST}: 405 {@code push requires POST request};
 *   <li>{@code web.push_ssl} (bool, default <b>true</b>) and the request did not come over
 *       HTTPS: 403 {@code ssl required};
 *   <li>{@code web.deny_push} (list) is set and the user is anonymous or in it: 401 {@code push
 *       not authorized};
 *   <li>the user is not in {@code web.allow-push} (list; older name {@code web.allow_push}),
 *       which is empty by default: 401 {@code push not authorized}; otherwise the push is allowed.
 * </ol>
 *
 * <p>A user is "in" a list if the list is exactly {@code *} or names the user (case-sensitive);
 * {@code *} also admits the anonymous user. Lists are parsed with {@link
 * HgrcConfig#parseList}. Where Mercurial has two names for a setting, the current name wins if
 * both are set.
 */
public final class AccessControl {

  /** What a request wants to do. */
  public enum Operation {
    /** Only the read checks (hgweb's {@code op=None}, for interface requests). */
    READ,
    /** Read the repository: commands with the {@code pull} permission ({@code /ro/} URLs). */
    PULL,
    /** Write to the repository: commands with the {@code push} permission ({@code /rw/} URLs). */
    PUSH
  }

  /**
   * The verdict.
   *
   * @param allowed whether the request may proceed
   * @param status the HTTP status to answer with if not allowed (401, 403 or 405); 200 if allowed
   * @param reason Mercurial's message, e.g. {@code push not authorized}; empty if allowed
   * @param why which setting refused the request and what would allow it, for the operator and
   *     the user (hgweb says only {@code reason}, and the recorded exchanges hold our answers'
   *     bodies to its words, so transports send this beside them); empty if allowed
   */
  public record Decision(boolean allowed, int status, String reason, String why) {
    /** The verdict for an allowed request. */
    public static final Decision ALLOWED = new Decision(true, 200, "", "");

    /**
     * Requires a reason and an explanation.
     *
     * @param allowed whether the request may proceed
     * @param status the HTTP status
     * @param reason the message; empty if allowed
     * @param why the explanation; empty if allowed
     */
    public Decision {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(why, "why");
    }

    /**
     * A refusal.
     *
     * @param status the HTTP status
     * @param reason the message
     * @param why which setting refused it
     * @return the verdict
     */
    public static Decision denied(int status, String reason, String why) {
      return new Decision(false, status, reason, why);
    }

    /** {@code reason: why}, the whole story in one line; empty if allowed. */
    public String explained() {
      return allowed ? "" : reason + ": " + why;
    }
  }

  /** HTTP 401: the user (or the anonymous user) may not do this. */
  public static final int UNAUTHORIZED = 401;
  /** HTTP 403: a push over plain HTTP while {@code web.push_ssl} is on. */
  public static final int FORBIDDEN = 403;
  /** HTTP 405: a push that is not a POST request. */
  public static final int METHOD_NOT_ALLOWED = 405;

  private AccessControl() {}

  /**
   * Decides whether a request may proceed, as hgweb's {@code checkauthz}.
   *
   * @param config the configuration ({@code [web]} section)
   * @param user the authenticated remote user; null or empty for an anonymous request
   * @param op what the request wants to do
   * @param method the HTTP method, e.g. {@code POST} (compared case-sensitively)
   * @param secure whether the request came over HTTPS
   * @return the verdict
   * @throws ConfigException if {@code web.allow-pull} or {@code web.push_ssl} is needed and is
   *     not a boolean ({@link ServerSettings#from} checks them up front)
   */
  public static Decision check(HgrcConfig config, String user, Operation op, String method, boolean secure) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(op, "op");
    boolean anonymous = user == null || user.isEmpty();

    List<String> denyRead = config.getList("web", "deny_read");
    if (!denyRead.isEmpty() && (anonymous || isMember(user, denyRead))) {
      return Decision.denied(UNAUTHORIZED, "read not authorized", listed("web.deny_read", denyRead, user, anonymous));
    }
    List<String> allowRead = config.getList("web", "allow_read");
    if (!allowRead.isEmpty() && !isMember(user, allowRead)) {
      return Decision.denied(UNAUTHORIZED, "read not authorized",
          "web.allow_read does not list " + who(user, anonymous));
    }

    if (op == Operation.PULL && !allowPull(config)) {
      return Decision.denied(UNAUTHORIZED, "pull not authorized", allowPullName(config) + " is false");
    } else if (op != Operation.PUSH) {
      return Decision.ALLOWED;
    }

    if (!"POST".equals(method)) {
      return Decision.denied(METHOD_NOT_ALLOWED, "push requires POST request",
          "commands that write must be sent with POST, not " + method);
    }
    if (pushSsl(config) && !secure) {
      return Decision.denied(FORBIDDEN, "ssl required", "web.push_ssl is true (the default) and this request"
          + " came over plain HTTP: push over HTTPS, or set web.push_ssl = false");
    }
    List<String> deny = config.getList("web", "deny_push");
    if (!deny.isEmpty() && (anonymous || isMember(user, deny))) {
      return Decision.denied(UNAUTHORIZED, "push not authorized", listed("web.deny_push", deny, user, anonymous));
    }
    List<String> allow = allowPush(config);
    if (allow.isEmpty()) {
      return Decision.denied(UNAUTHORIZED, "push not authorized", allowPushName(config)
          + " is empty (the default), so nobody may push: list users in it, or * for everyone");
    }
    if (!isMember(user, allow)) {
      return Decision.denied(UNAUTHORIZED, "push not authorized",
          allowPushName(config) + " does not list " + who(user, anonymous));
    }
    return Decision.ALLOWED;
  }

  /**
   * hgweb's {@code ismember}: whether {@code user} is in {@code list}.
   *
   * @param user a user name, or null for the anonymous user
   * @param list a parsed list
   * @return true if the list is exactly {@code [*]} or contains the user
   */
  public static boolean isMember(String user, List<String> list) {
    return (list.size() == 1 && list.get(0).equals("*")) || (user != null && list.contains(user));
  }

  /**
   * Evaluates the boolean settings {@link #check} reads, so that a bad value fails at startup
   * rather than on the first request.
   *
   * @param config the configuration
   * @throws ConfigException naming the first setting that is not a boolean
   */
  static void validate(HgrcConfig config) {
    allowPull(config);
    pushSsl(config);
  }

  /**
   * Who may push, in one line for the server's start-up report: {@code allowed for * over http
   * and https}, {@code allowed for alice, bob over https}, {@code disabled over http:
   * web.push_ssl requires https (web.allow-push: alice)}, {@code disabled (web.allow-push
   * empty)}; with {@code , denied for ...} when {@code web.deny_push} is set.
   *
   * @param config the configuration
   * @param tls whether the server speaks only HTTPS
   * @return the description
   */
  public static String describePush(HgrcConfig config, boolean tls) {
    List<String> allow = allowPush(config);
    if (allow.isEmpty()) {
      return "disabled (web.allow-push empty)";
    }
    List<String> deny = config.getList("web", "deny_push");
    String denied = deny.isEmpty() ? "" : ", denied for " + String.join(", ", deny);
    if (!tls && pushSsl(config)) {
      return "disabled over http: web.push_ssl requires https (web.allow-push: " + String.join(", ", allow) + ")";
    }
    return "allowed for " + String.join(", ", allow) + (tls ? " over https" : " over http and https") + denied;
  }

  /** Why a deny list refused: it names the user, is {@code *}, or is set while the user is anonymous. */
  private static String listed(String setting, List<String> list, String user, boolean anonymous) {
    if (anonymous && !isMember(user, list)) {
      return setting + " is set, which refuses anonymous users: authenticate";
    }
    return setting + (list.size() == 1 && list.get(0).equals("*") ? " is *" : " lists " + user);
  }

  private static String who(String user, boolean anonymous) {
    return anonymous ? "anonymous users (authenticate)" : "the user " + user;
  }

  /** {@code web.allow-pull}, alias {@code web.allowpull}, default true. */
  static boolean allowPull(HgrcConfig config) {
    return config.getBool("web", allowPullName(config).substring("web.".length()), true);
  }

  /** The name {@code web.allow-pull} is read under: the older {@code web.allowpull} only when it alone is set. */
  private static String allowPullName(HgrcConfig config) {
    return config.get("web", "allow-pull").isPresent() || config.get("web", "allowpull").isEmpty()
        ? "web.allow-pull" : "web.allowpull";
  }

  /** The name {@code web.allow-push} is read under: the older {@code web.allow_push} only when it alone is set. */
  private static String allowPushName(HgrcConfig config) {
    return config.get("web", "allow-push").isPresent() || config.get("web", "allow_push").isEmpty()
        ? "web.allow-push" : "web.allow_push";
  }

  /** {@code web.push_ssl}, default true. */
  static boolean pushSsl(HgrcConfig config) {
    return config.getBool("web", "push_ssl", true);
  }

  /** {@code web.allow-push}, alias {@code web.allow_push}, default empty. */
  static List<String> allowPush(HgrcConfig config) {
    return config.getList("web", allowPushName(config).substring("web.".length()));
  }
}
