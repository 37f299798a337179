package org.hgrpc.server.exchange;

import java.util.Objects;
import org.hgrpc.core.ByteString;
import org.hgrpc.core.frame.FrameIterator;

/** What an exchange ends with: frames to send, a report (debugreflect), or a refusal. */
public sealed interface ExchangeOutcome
    permits ExchangeOutcome.Frames, ExchangeOutcome.Reflection, ExchangeOutcome.Refusal {

  /**
   * The response frames, made as they are taken: commands produce their output while the
   * transport sends it, so a large response is never held in memory. Take them all (the
   * reactor retires each request when its last frame is taken).
   *
   * @param frames the frames, lazily made
   */
  record Frames(FrameIterator frames) implements ExchangeOutcome {
    /** Requires frames. */
    public Frames {
      Objects.requireNonNull(frames, "frames");
    }
  }

  /**
   * A plain-text report of what the reactor made of the frames ({@code debugreflect}).
   *
   * @param text the report, bytes as the reference writes them (payloads verbatim)
   */
  record Reflection(ByteString text) implements ExchangeOutcome {
    /** Requires text. */
    public Reflection {
      Objects.requireNonNull(text, "text");
    }
  }

  /**
   * The request is refused.
   *
   * @param kind the class of rule broken, for the transport to map
   * @param message the text to show the peer, exactly: Mercurial ends some of its messages
   *     with a newline and not others, and clients compare them, so the newline is part of
   *     the message
   * @param detail more than Mercurial's words where the message must stay exactly theirs
   *     (hgweb answers a refused push with just {@code permission denied}): which setting
   *     refused it; empty when the message says it all. Transports send it beside the message.
   */
  record Refusal(RefusalKind kind, String message, String detail) implements ExchangeOutcome {
    /** Requires all three. */
    public Refusal {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(detail, "detail");
    }

    /** A refusal whose message says it all. */
    public Refusal(RefusalKind kind, String message) {
      this(kind, message, "");
    }
  }
}
