package org.hgrpc.repository.view;

import java.nio.charset.StandardCharsets;
import java.math.BigInteger;
import org.hgrpc.core.ByteString;
import org.hgrpc.repository.revlog.Nodes;
import org.hgrpc.repository.revlog.RevlogIndex;

/**
 * Resolves a revision symbol in a view as Mercurial's {@code scmutil.revsymbol} (at the
 * reference revision): {@code .}, {@code tip}, {@code null}; a revision number (negative ones
 * count from the end); a full hex node; a bookmark, tag or branch name (in that order); a
 * unique hex prefix among all revisions.
 *
 * <p>The reference's quirks are kept on purpose, since clients see them: a bookmark or tag on
 * a filtered changeset falls through to the prefix lookup (its error is caught as a
 * {@code KeyError}); prefixes are matched against every revision, hidden or not, and the null
 * node; the working directory's pseudo revision ({@code 2147483647}, {@code ffff...}) resolves
 * to no node ({@code null}).
 */
public final class RevisionLookup {
  private static final String INDEX_FILE = "00changelog.i";

  private RevisionLookup() {}

  /**
   * The node {@code symbol} names in {@code view}, or {@code null} for the working directory.
   *
   * @throws LookupFailure with Mercurial's message when it names nothing the view shows
   */
  public static ByteString lookup(RepoView view, ByteString symbol) {
    String sym = symbol.toString(StandardCharsets.ISO_8859_1);
    String shown = symbol.utf8();
    RevlogIndex cl = view.index();
    switch (sym) {
      case ".":
        return dirstateParent(view);
      case "tip":
        return view.node(view.tipRev());
      case "null":
        return Nodes.NULL;
      default:
        break;
    }
    if (sym.matches("-?(0|[1-9][0-9]*)") && !sym.equals("-0")) {
      BigInteger r = new BigInteger(sym);
      BigInteger l = BigInteger.valueOf(cl.count());
      if (r.signum() < 0) {
        r = r.add(l);
      }
      boolean wdir = r.equals(BigInteger.valueOf(Nodes.WDIR_REV));
      if (r.signum() >= 0 && (r.compareTo(l) < 0 || wdir)) {
        if (wdir) {
          return null;
        }
        int rev = r.intValueExact();
        if (view.isFiltered(rev)) {
          throw filtered(view, shown);
        }
        return cl.node(rev);
      }
    }
    if (sym.length() == 40) {
      byte[] node = Nodes.unhex(sym);
      if (node != null) {
        ByteString n = ByteString.wrap(node);
        if (sym.equalsIgnoreCase(Nodes.WDIR_HEX)) {
          return null;
        }
        Integer rev = cl.rev(n);
        if (rev != null) {
          if (view.isFiltered(rev)) {
            throw filtered(view, shown);
          }
          return n;
        }
      }
    }
    ByteString named = names(view, symbol);
    if (named != null) {
      Integer rev = cl.rev(named);
      // An unknown or filtered node raises a LookupError, which revsymbol swallows as a KeyError.
      if (rev != null && !view.isFiltered(rev)) {
        return named;
      }
    } else {
      ByteString branchTip = view.branchTip(symbol);
      if (branchTip != null) {
        return branchTip;
      }
    }
    PrefixMatch prefix = hexPrefix(cl, sym);
    if (prefix.wdir) {
      return null;
    }
    if (prefix.node != null) {
      int rev = cl.rev(prefix.node);
      if (view.isFiltered(rev)) {
        throw filtered(view, shown);
      }
      return prefix.node;
    }
    throw new LookupFailure("unknown revision '" + shown + "'");
  }

  /** The node of the first namespace that knows {@code name}: bookmarks, then tags; else {@code null}. */
  private static ByteString names(RepoView view, ByteString name) {
    ByteString bookmark = view.state().bookmarks().get(name);
    if (bookmark != null) {
      return bookmark;
    }
    return view.tags().get(name);
  }

  private static ByteString dirstateParent(RepoView view) {
    ByteString p1 = view.state().dirstate().p1();
    if (view.index().rev(p1) == null) {
      throw new LookupFailure(INDEX_FILE + "@" + Nodes.shortHex(p1) + ": no node");
    }
    return p1;
  }

  private record PrefixMatch(ByteString node, boolean wdir) {}

  /**
   * {@code revlog._partialmatch} on the unfiltered changelog: a prefix of hex digits (either
   * case) matching exactly one node, the null node included. A prefix of the working
   * directory's {@code ffff...} is the working directory when nothing else matches, and
   * ambiguous when something does.
   */
  private static PrefixMatch hexPrefix(RevlogIndex cl, String sym) {
    boolean maybeWdir = Nodes.WDIR_HEX.startsWith(sym);
    if (sym.isEmpty()) {
      throw ambiguous(sym);
    }
    if (sym.length() > 40) {
      return new PrefixMatch(null, false);
    }
    for (int i = 0; i < sym.length(); i++) {
      if (Character.digit(sym.charAt(i), 16) < 0 || sym.charAt(i) > 0x7f) {
        return new PrefixMatch(null, false);
      }
    }
    String lower = sym.toLowerCase(java.util.Locale.ROOT);
    ByteString found = null;
    int matches = 0;
    if ("0".repeat(40).startsWith(lower)) {
      found = Nodes.NULL;
      matches++;
    }
    for (int r = 0; r < cl.count() && matches < 2; r++) {
      ByteString n = cl.node(r);
      if (hexStartsWith(n, lower)) {
        found = n;
        matches++;
      }
    }
    if (matches == 0) {
      return new PrefixMatch(null, maybeWdir);
    }
    if (matches > 1 || maybeWdir) {
      throw ambiguous(sym);
    }
    return new PrefixMatch(found, false);
  }

  private static boolean hexStartsWith(ByteString node, String lowerHex) {
    for (int i = 0; i < lowerHex.length(); i++) {
      int b = node.byteAt(i / 2);
      int nybble = (i % 2 == 0) ? (b >> 4) & 0xf : b & 0xf;
      if (Character.forDigit(nybble, 16) != lowerHex.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static LookupFailure ambiguous(String sym) {
    // LookupError shortens a 20-character name as if it were a binary node.
    String name = sym.length() == 20
        ? ByteString.latin1(sym.substring(0, 6)).hex() : ByteString.latin1(sym).utf8();
    return new LookupFailure(INDEX_FILE + "@" + name + ": ambiguous identifier");
  }

  private static LookupFailure filtered(RepoView view, String symbol) {
    if (view.name().startsWith("visible")) {
      return new LookupFailure("hidden revision '" + symbol + "'");
    }
    return new LookupFailure("filtered revision '" + symbol + "' (not in '" + view.name() + "' subset)");
  }
}
