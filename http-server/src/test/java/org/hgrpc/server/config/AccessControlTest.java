package org.hgrpc.server.config;

import static org.hgrpc.server.config.AccessControl.Operation.PULL;
import static org.hgrpc.server.config.AccessControl.Operation.PUSH;
import static org.hgrpc.server.config.AccessControl.Operation.READ;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Supplier;
import org.hgrpc.server.config.AccessControl.Decision;
import org.hgrpc.server.config.AccessControl.Operation;
import org.junit.jupiter.api.Test;

class AccessControlTest {

  // hgweb's verdicts; the explanation (which setting) is checked by the tests of "why"
  private static final Decision READ_DENIED = Decision.denied(401, "read not authorized", "");
  private static final Decision PULL_DENIED = Decision.denied(401, "pull not authorized", "");
  private static final Decision PUSH_DENIED = Decision.denied(401, "push not authorized", "");
  private static final Decision SSL_REQUIRED = Decision.denied(403, "ssl required", "");
  private static final Decision NOT_POST = Decision.denied(405, "push requires POST request", "");

  /** hgweb's part of the verdict: allowed, status and reason; a refusal must also say why. */
  private static void assertVerdict(Decision expected, Decision actual, Supplier<String> context) {
    assertEquals(expected.allowed(), actual.allowed(), context);
    assertEquals(expected.status(), actual.status(), context);
    assertEquals(expected.reason(), actual.reason(), context);
    assertEquals(actual.allowed(), actual.why().isEmpty(), () -> context.get() + ": " + actual);
  }

  private static void assertVerdict(Decision expected, Decision actual) {
    assertVerdict(expected, actual, () -> "");
  }

  private static HgrcConfig web(String... items) {
    HgrcConfig c = HgrcConfig.empty();
    for (String item : items) {
      c = c.withOverride("web." + item);
    }
    return c;
  }

  private static Decision pull(HgrcConfig c, String user) {
    return AccessControl.check(c, user, PULL, "POST", false);
  }

  private static Decision push(HgrcConfig c, String user, boolean secure) {
    return AccessControl.check(c, user, PUSH, "POST", secure);
  }

  // ---- defaults ----

  @Test
  void byDefaultAnyonePullsAndNobodyPushes() {
    HgrcConfig c = HgrcConfig.empty();
    assertEquals(Decision.ALLOWED, pull(c, null));
    assertEquals(Decision.ALLOWED, pull(c, "alice"));
    assertEquals(Decision.ALLOWED, AccessControl.check(c, null, READ, "GET", false));
    assertVerdict(SSL_REQUIRED, push(c, "alice", false));
    assertVerdict(PUSH_DENIED, push(c, "alice", true));
    assertVerdict(PUSH_DENIED, push(c, null, true));
  }

  @Test
  void allowedDecision() {
    assertTrue(Decision.ALLOWED.allowed());
    assertEquals(200, Decision.ALLOWED.status());
    assertEquals("", Decision.ALLOWED.reason());
    assertFalse(PUSH_DENIED.allowed());
    assertThrows(NullPointerException.class, () -> new Decision(false, 401, null, ""));
    assertThrows(NullPointerException.class, () -> new Decision(false, 401, "x", null));
    assertEquals("", Decision.ALLOWED.explained());
  }

  // ---- why: each refusal names the setting that refused it ----

  private static String why(HgrcConfig c, String user, Operation op, String method, boolean secure) {
    return AccessControl.check(c, user, op, method, secure).why();
  }

  @Test
  void readRefusalsNameTheirSetting() {
    assertEquals("web.deny_read lists mallory", why(web("deny_read=mallory"), "mallory", PULL, "POST", false));
    assertEquals("web.deny_read is *", why(web("deny_read=*"), "alice", PULL, "POST", false));
    assertEquals("web.deny_read is set, which refuses anonymous users: authenticate",
        why(web("deny_read=mallory"), null, PULL, "POST", false));
    assertEquals("web.allow_read does not list the user carol",
        why(web("allow_read=alice"), "carol", PULL, "POST", false));
    assertEquals("web.allow_read does not list anonymous users (authenticate)",
        why(web("allow_read=alice"), null, READ, "GET", false));
  }

  @Test
  void pullRefusalNamesTheNameInUse() {
    assertEquals("web.allow-pull is false", why(web("allow-pull=false"), null, PULL, "POST", false));
    assertEquals("web.allowpull is false", why(web("allowpull=no"), null, PULL, "POST", false));
  }

  @Test
  void pushRefusalsNameTheirSetting() {
    assertEquals("commands that write must be sent with POST, not GET",
        why(web("allow-push=*"), "alice", PUSH, "GET", true));
    assertEquals("web.push_ssl is true (the default) and this request came over plain HTTP: push over HTTPS,"
        + " or set web.push_ssl = false", why(web("allow-push=*"), "alice", PUSH, "POST", false));
    assertEquals("web.deny_push lists mallory", why(web("allow-push=*", "deny_push=mallory"), "mallory", PUSH,
        "POST", true));
    assertEquals("web.deny_push is set, which refuses anonymous users: authenticate",
        why(web("allow-push=*", "deny_push=mallory"), null, PUSH, "POST", true));
    assertEquals("web.allow-push is empty (the default), so nobody may push: list users in it, or * for everyone",
        why(HgrcConfig.empty(), "alice", PUSH, "POST", true));
    assertEquals("web.allow-push does not list the user carol", why(web("allow-push=alice"), "carol", PUSH,
        "POST", true));
    assertEquals("web.allow_push does not list anonymous users (authenticate)",
        why(web("allow_push=alice"), null, PUSH, "POST", true));
    assertEquals("ssl required: web.push_ssl is true (the default) and this request came over plain HTTP: push over"
        + " HTTPS, or set web.push_ssl = false", push(web("allow-push=*"), null, false).explained());
  }

  // ---- read ----

  @Test
  void denyReadRefusesAnonymousAndListedUsers() {
    HgrcConfig c = web("deny_read=mallory");
    assertVerdict(READ_DENIED, pull(c, null));
    assertVerdict(READ_DENIED, pull(c, ""));
    assertVerdict(READ_DENIED, pull(c, "mallory"));
    assertEquals(Decision.ALLOWED, pull(c, "alice"));
    assertVerdict(READ_DENIED, AccessControl.check(c, "mallory", READ, "GET", true));
  }

  @Test
  void denyReadStarRefusesEveryone() {
    HgrcConfig c = web("deny_read=*");
    assertVerdict(READ_DENIED, pull(c, "alice"));
    assertVerdict(READ_DENIED, pull(c, null));
  }

  @Test
  void denyReadAlsoStopsPushes() {
    HgrcConfig c = web("deny_read=alice", "allow-push=alice", "push_ssl=false");
    assertVerdict(READ_DENIED, push(c, "alice", false));
  }

  @Test
  void allowReadListsRestrictPulls() {
    HgrcConfig c = web("allow_read=alice bob");
    assertEquals(Decision.ALLOWED, pull(c, "alice"));
    assertEquals(Decision.ALLOWED, pull(c, "bob"));
    assertVerdict(READ_DENIED, pull(c, "carol"));
    assertVerdict(READ_DENIED, pull(c, null));
    assertVerdict(READ_DENIED, pull(c, "Alice"));
  }

  @Test
  void allowReadStarAdmitsAnonymous() {
    assertEquals(Decision.ALLOWED, pull(web("allow_read=*"), null));
  }

  @Test
  void starIsOnlySpecialAlone() {
    HgrcConfig c = web("allow_read=* alice");
    assertEquals(Decision.ALLOWED, pull(c, "alice"));
    assertVerdict(READ_DENIED, pull(c, "bob"));
    assertEquals(Decision.ALLOWED, pull(c, "*"));
  }

  @Test
  void emptyListsAreNoLists() {
    HgrcConfig c = web("deny_read=", "allow_read= , ");
    assertEquals(Decision.ALLOWED, pull(c, null));
  }

  @Test
  void denyReadWinsOverAllowRead() {
    HgrcConfig c = web("allow_read=alice", "deny_read=alice");
    assertVerdict(READ_DENIED, pull(c, "alice"));
  }

  // ---- pull ----

  @Test
  void allowPullFalseRefusesPulls() {
    HgrcConfig c = web("allow-pull=false");
    assertVerdict(PULL_DENIED, pull(c, "alice"));
    assertVerdict(PULL_DENIED, pull(c, null));
    assertEquals(Decision.ALLOWED, AccessControl.check(c, "alice", READ, "GET", false));
  }

  @Test
  void allowPullOlderName() {
    assertVerdict(PULL_DENIED, pull(web("allowpull=no"), "alice"));
    assertEquals(Decision.ALLOWED, pull(web("allowpull=yes"), "alice"));
    assertEquals(Decision.ALLOWED, pull(web("allowpull=false", "allow-pull=true"), "alice"));
    assertVerdict(PULL_DENIED, pull(web("allowpull=true", "allow-pull=false"), "alice"));
  }

  @Test
  void pullNeedsNoPostNorSsl() {
    assertEquals(Decision.ALLOWED, AccessControl.check(HgrcConfig.empty(), null, PULL, "GET", false));
  }

  @Test
  void allowPullDoesNotAffectPushes() {
    HgrcConfig c = web("allow-pull=false", "allow-push=alice");
    assertEquals(Decision.ALLOWED, push(c, "alice", true));
  }

  @Test
  void badAllowPullIsAConfigError() {
    assertEquals("web.allow-pull is not a boolean ('perhaps')",
        assertThrows(ConfigException.class, () -> pull(web("allow-pull=perhaps"), null)).getMessage());
    assertEquals("web.allowpull is not a boolean ('perhaps')",
        assertThrows(ConfigException.class, () -> pull(web("allowpull=perhaps"), null)).getMessage());
  }

  // ---- push ----

  @Test
  void pushRequiresPost() {
    HgrcConfig c = web("allow-push=*", "push_ssl=false");
    assertVerdict(NOT_POST, AccessControl.check(c, "alice", PUSH, "GET", true));
    assertVerdict(NOT_POST, AccessControl.check(c, "alice", PUSH, "PUT", true));
    assertVerdict(NOT_POST, AccessControl.check(c, "alice", PUSH, "post", true));
    assertVerdict(NOT_POST, AccessControl.check(c, "alice", PUSH, null, true));
  }

  @Test
  void postCheckComesBeforeSslCheck() {
    assertVerdict(NOT_POST, AccessControl.check(HgrcConfig.empty(), "alice", PUSH, "GET", false));
  }

  @Test
  void pushSslIsOnByDefault() {
    HgrcConfig c = web("allow-push=*");
    assertVerdict(SSL_REQUIRED, push(c, "alice", false));
    assertEquals(Decision.ALLOWED, push(c, "alice", true));
    assertVerdict(SSL_REQUIRED, push(web("allow-push=*", "push_ssl=true"), null, false));
  }

  @Test
  void sslCheckComesBeforeUserChecks() {
    assertVerdict(SSL_REQUIRED, push(web("deny_push=*"), "mallory", false));
  }

  @Test
  void allowPushStarWithoutSslAllowsAnonymousPush() {
    HgrcConfig c = web("allow-push=*", "push_ssl=false");
    assertEquals(Decision.ALLOWED, push(c, null, false));
    assertEquals(Decision.ALLOWED, push(c, "alice", false));
  }

  @Test
  void allowPushNamesUsers() {
    HgrcConfig c = web("allow-push=alice, bob", "push_ssl=false");
    assertEquals(Decision.ALLOWED, push(c, "alice", false));
    assertEquals(Decision.ALLOWED, push(c, "bob", false));
    assertVerdict(PUSH_DENIED, push(c, "carol", false));
    assertVerdict(PUSH_DENIED, push(c, null, false));
  }

  @Test
  void allowPushOlderName() {
    assertEquals(Decision.ALLOWED, push(web("allow_push=alice"), "alice", true));
    assertVerdict(PUSH_DENIED, push(web("allow_push=alice"), "bob", true));
  }

  @Test
  void allowPushCurrentNameWinsEvenWhenEmpty() {
    assertEquals(Decision.ALLOWED, push(web("allow_push=bob", "allow-push=alice"), "alice", true));
    assertVerdict(PUSH_DENIED, push(web("allow_push=bob", "allow-push=alice"), "bob", true));
    assertVerdict(PUSH_DENIED, push(web("allow_push=bob", "allow-push="), "bob", true));
  }

  @Test
  void denyPushWinsOverAllowPush() {
    HgrcConfig c = web("allow-push=*", "deny_push=mallory");
    assertVerdict(PUSH_DENIED, push(c, "mallory", true));
    assertEquals(Decision.ALLOWED, push(c, "alice", true));
    HgrcConfig both = web("allow-push=alice", "deny_push=alice");
    assertVerdict(PUSH_DENIED, push(both, "alice", true));
  }

  @Test
  void denyPushRefusesAnonymous() {
    HgrcConfig c = web("allow-push=*", "deny_push=mallory", "push_ssl=false");
    assertVerdict(PUSH_DENIED, push(c, null, false));
    assertVerdict(PUSH_DENIED, push(c, "", false));
  }

  @Test
  void denyPushStarRefusesEveryone() {
    assertVerdict(PUSH_DENIED, push(web("allow-push=*", "deny_push=*"), "alice", true));
  }

  @Test
  void allowReadAlsoRestrictsPushes() {
    HgrcConfig c = web("allow_read=alice", "allow-push=*");
    assertVerdict(READ_DENIED, push(c, "bob", true));
    assertEquals(Decision.ALLOWED, push(c, "alice", true));
  }

  @Test
  void badPushSslIsAConfigError() {
    assertEquals("web.push_ssl is not a boolean ('https')",
        assertThrows(ConfigException.class, () -> push(web("push_ssl=https", "allow-push=*"), "a", true))
            .getMessage());
  }

  @Test
  void listsFromFilesWithContinuationsAndQuotes() {
    HgrcConfig c = HgrcConfig.parse("[web]\nallow-push = alice\n  \"bob smith\"\npush_ssl = off\n", "t.rc", null);
    assertEquals(Decision.ALLOWED, push(c, "bob smith", false));
    assertVerdict(PUSH_DENIED, push(c, "bob", false));
  }

  @Test
  void isMember() {
    assertTrue(AccessControl.isMember(null, List.of("*")));
    assertTrue(AccessControl.isMember("a", List.of("*")));
    assertTrue(AccessControl.isMember("a", List.of("b", "a")));
    assertFalse(AccessControl.isMember("a", List.of()));
    assertFalse(AccessControl.isMember(null, List.of("a")));
    assertFalse(AccessControl.isMember("a", List.of("*", "b")));
  }

  /**
   * The combinations of Mercurial's {@code test-http-permissions.t} / {@code test-push-http.t}
   * style: which users may push under which configuration.
   */
  @Test
  void matrix() {
    record Case(String[] web, String user, boolean secure, Decision expected) {}
    List<Case> cases = List.of(
        new Case(new String[] {}, null, true, PUSH_DENIED),
        new Case(new String[] {"allow-push=*"}, null, false, SSL_REQUIRED),
        new Case(new String[] {"allow-push=*"}, null, true, Decision.ALLOWED),
        new Case(new String[] {"allow-push=*", "push_ssl=false"}, null, false, Decision.ALLOWED),
        new Case(new String[] {"allow-push=user", "push_ssl=false"}, null, false, PUSH_DENIED),
        new Case(new String[] {"allow-push=user", "push_ssl=false"}, "user", false, Decision.ALLOWED),
        new Case(new String[] {"allow-push=user", "push_ssl=false"}, "other", false, PUSH_DENIED),
        new Case(new String[] {"deny_push=*", "allow-push=*", "push_ssl=false"}, "user", false, PUSH_DENIED),
        new Case(new String[] {"deny_push=user", "allow-push=*", "push_ssl=false"}, "user", false, PUSH_DENIED),
        new Case(new String[] {"deny_push=user", "allow-push=*", "push_ssl=false"}, "other", false,
            Decision.ALLOWED),
        new Case(new String[] {"deny_push=user", "allow-push=*", "push_ssl=false"}, null, false, PUSH_DENIED),
        new Case(new String[] {"deny_read=*", "allow-push=*", "push_ssl=false"}, "user", false, READ_DENIED),
        new Case(new String[] {"allow_read=*", "allow-push=*", "push_ssl=false"}, null, false,
            Decision.ALLOWED),
        new Case(new String[] {"allow-pull=false", "allow-push=*", "push_ssl=false"}, null, false,
            Decision.ALLOWED));
    for (Case k : cases) {
      assertVerdict(k.expected(), push(web(k.web()), k.user(), k.secure()),
          () -> String.join(" ", k.web()) + " user=" + k.user() + " secure=" + k.secure());
    }
  }

  @Test
  void operationsAreRequired() {
    assertThrows(NullPointerException.class,
        () -> AccessControl.check(HgrcConfig.empty(), null, (Operation) null, "POST", true));
    assertThrows(NullPointerException.class, () -> AccessControl.check(null, null, PULL, "POST", true));
  }

  @Test
  void describePushForTheStartupReport() {
    assertEquals("disabled (web.allow-push empty)", AccessControl.describePush(HgrcConfig.empty(), false));
    HgrcConfig alice = HgrcConfig.empty().withOverride("web.allow-push=alice bob");
    assertEquals("disabled over http: web.push_ssl requires https (web.allow-push: alice, bob)",
        AccessControl.describePush(alice, false));
    assertEquals("allowed for alice, bob over https", AccessControl.describePush(alice, true));
    assertEquals("allowed for * over http and https, denied for carol", AccessControl.describePush(HgrcConfig.empty()
        .withOverride("web.allow_push=*").withOverride("web.push_ssl=false").withOverride("web.deny_push=carol"), false));
  }
}
