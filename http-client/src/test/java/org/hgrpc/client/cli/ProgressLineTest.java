package org.hgrpc.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressLineTest {
  private static final URI U = URI.create("http://h/");
  private final AtomicLong now = new AtomicLong();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private ProgressLine line(boolean enabled) {
    return new ProgressLine(new PrintStream(err, true, StandardCharsets.UTF_8), enabled, now::get);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void showsNothingForShortDownloads() {
    ProgressLine p = line(true);
    p.onProgress(U, 1000);
    now.set(900_000_000L);
    p.onProgress(U, 5 << 20);
    p.finish();
    assertEquals("", err());
  }

  @Test
  void showsLongDownloadsAtMostFourTimesASecond() {
    ProgressLine p = line(true);
    p.onProgress(U, 1);
    now.set(2_000_000_000L);
    p.onProgress(U, 4 << 20);
    now.set(2_100_000_000L);
    p.onProgress(U, 5 << 20); // too soon: not drawn
    now.set(2_300_000_000L);
    p.onProgress(U, 6 << 20);
    p.finish();
    assertEquals("\rreceived 4.0 MiB (2.0 MiB/s)   \rreceived 6.0 MiB (2.6 MiB/s)   \n", err());
  }

  @Test
  void showsNothingWhenNotATerminal() {
    ProgressLine p = line(false);
    p.onProgress(U, 1);
    now.set(5_000_000_000L);
    p.onProgress(U, 1 << 30);
    p.finish();
    assertEquals("", err());
  }

  @Test
  void sizes() {
    assertEquals("512 B", ProgressLine.size(512));
    assertEquals("1.5 KiB", ProgressLine.size(1536));
    assertTrue(ProgressLine.size(3L << 30).equals("3.0 GiB"));
  }
}
