package com.salespulse.jobs.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.salespulse.jobs.ExitCode;
import com.salespulse.jobs.SalesPulseException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run at a time per warehouse: a lease kept beside the tables, in {@code <warehouse>/_lease/}.
 *
 * <p>The lease is a sequence of numbered files ({@code 00000000000000000001.json}, ...), the newest
 * saying who holds it: attempt, command, run date, host, when acquired and when last renewed, or
 * that it was released. A run takes the lease by creating the next number, a create that fails when
 * the file exists (an exclusive create on a local disk; {@code If-None-Match: *} on S3 through S3A's
 * conditional create), so of two runs started at once exactly one gets it; the other fails at once
 * with {@link ExitCode#LOCKED}, before any work. The holder renews its file every fifth of
 * {@code lease.stale-after-seconds}; a lease not renewed for that long belongs to a run that died
 * (killed, machine lost) and the next run takes it over by creating the next number, again
 * exclusively. A holder that finds a newer number than its own has lost the lease and stops at the
 * next step. Nothing is deleted but files ten numbers behind the newest.
 */
public final class WarehouseLease implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(WarehouseLease.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern FILE = Pattern.compile("(\\d{20})\\.json");
  /** Hadoop's option for a create that fails when the file exists (S3A: If-None-Match). */
  private static final String CONDITIONAL_CREATE = "fs.option.create.conditional.overwrite";
  private static final int KEEP = 10;

  /** What a lease file says. */
  public record Holder(long number, String state, String attemptId, String command, String runDate, String host,
                       Instant acquiredAt, Instant renewedAt) {
    boolean isHeld() {
      return "held".equals(state);
    }

    @Override
    public String toString() {
      return "attempt " + attemptId + " (" + command + " for " + runDate + " on " + host + ", since " + acquiredAt
          + ", renewed " + renewedAt + ")";
    }
  }

  private final FileSystem fs;
  private final Path dir;
  private final Holder mine;
  private final Holder tookOver;
  private final ScheduledExecutorService heartbeat;
  private volatile String lost;

  private WarehouseLease(FileSystem fs, Path dir, Holder mine, Holder tookOver, Duration staleAfter) {
    this.fs = fs;
    this.dir = dir;
    this.mine = mine;
    this.tookOver = tookOver;
    this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "salespulse-lease");
      t.setDaemon(true);
      return t;
    });
    long every = Math.max(1000, staleAfter.toMillis() / 5);
    heartbeat.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
  }

  /**
   * Takes the warehouse's lease for an attempt, or fails with {@link ExitCode#LOCKED} naming the
   * run that holds it.
   */
  public static WarehouseLease acquire(String warehouseRoot, Configuration conf, String attemptId, String command,
                                       LocalDate runDate, Duration staleAfter) {
    Path dir = new Path(warehouseRoot.replaceAll("/+$", ""), "_lease");
    try {
      FileSystem fs = dir.getFileSystem(conf);
      Holder current = newest(fs, dir);
      Instant now = Instant.now();
      if (current != null && current.isHeld()) {
        Instant renewed = current.renewedAt() == null ? Instant.EPOCH : current.renewedAt();
        if (renewed.plus(staleAfter).isAfter(now)) {
          throw locked(command, runDate, current, staleAfter);
        }
        LOG.warn("Taking over a stale lease of the warehouse: {} was not renewed for {} s (lease.stale-after-seconds); "
            + "that run died", current, staleAfter.toSeconds());
      }
      long number = current == null ? 1 : current.number() + 1;
      String host = InetAddress.getLocalHost().getHostName();
      Holder mine = new Holder(number, "held", attemptId, command, runDate.toString(), host, now, now);
      if (!createExclusive(fs, file(dir, number), render(mine))) {
        Holder winner = read(fs, file(dir, number));
        throw locked(command, runDate, winner == null ? mine : winner, staleAfter);
      }
      LOG.info("Leased the warehouse for attempt {} (lease {})", attemptId, number);
      return new WarehouseLease(fs, dir, mine, current != null && current.isHeld() ? current : null, staleAfter);
    } catch (IOException e) {
      throw new SalesPulseException(ExitCode.FAILURE, "Cannot lease the warehouse " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The holder of the stale lease this one took over: a run that died without ending. */
  public java.util.Optional<Holder> tookOver() {
    return java.util.Optional.ofNullable(tookOver);
  }

  /** Fails the attempt if another run took the lease over (this one looked dead to it). */
  public void check() {
    if (lost != null) {
      throw new SalesPulseException(ExitCode.LOCKED, "Cannot go on: " + lost);
    }
  }

  /** Releases the lease (unless it was lost) and forgets lease files ten numbers behind. */
  @Override
  public void close() {
    heartbeat.shutdownNow();
    try {
      heartbeat.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      if (lost == null && !taken()) {
        overwrite(new Holder(mine.number(), "released", mine.attemptId(), mine.command(), mine.runDate(), mine.host(),
            mine.acquiredAt(), Instant.now()));
      }
      for (FileStatus f : fs.listStatus(dir)) {
        Matcher m = FILE.matcher(f.getPath().getName());
        if (m.matches() && Long.parseLong(m.group(1)) < mine.number() - KEEP) {
          fs.delete(f.getPath(), false);
        }
      }
    } catch (IOException e) {
      LOG.warn("Cannot release the warehouse lease {}: {}; it goes stale by itself", mine.number(), e.getMessage());
    }
  }

  private void renew() {
    try {
      if (taken()) {
        lost = "the warehouse lease " + mine.number() + " of attempt " + mine.attemptId()
            + " was taken over by a newer run (this run was not renewing it: paused for longer than "
            + "lease.stale-after-seconds?)";
        LOG.error(lost);
        heartbeat.shutdown();
        return;
      }
      overwrite(new Holder(mine.number(), "held", mine.attemptId(), mine.command(), mine.runDate(), mine.host(),
          mine.acquiredAt(), Instant.now()));
    } catch (IOException | RuntimeException e) {
      LOG.warn("Cannot renew the warehouse lease {}: {}", mine.number(), e.getMessage());
    }
  }

  /** Whether a lease newer than this one exists. */
  private boolean taken() throws IOException {
    return fs.exists(file(dir, mine.number() + 1));
  }

  /** Replaces this holder's own file (only the holder writes it), atomically for readers. */
  private void overwrite(Holder h) throws IOException {
    Path p = file(dir, h.number());
    byte[] bytes = render(h);
    if ("file".equals(fs.getUri().getScheme())) {
      java.nio.file.Path target = java.nio.file.Path.of(fs.makeQualified(p).toUri());
      java.nio.file.Path tmp = target.resolveSibling("." + target.getFileName() + "." + h.attemptId() + ".tmp");
      Files.write(tmp, bytes);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } else {
      try (OutputStream out = fs.create(p, true)) {
        out.write(bytes);
      }
    }
  }

  /**
   * Creates a file only if it does not exist, atomically where the file system can: an exclusive
   * create on a local disk, a conditional PUT on S3A. False when it exists.
   */
  static boolean createExclusive(FileSystem fs, Path p, byte[] bytes) throws IOException {
    if ("file".equals(fs.getUri().getScheme())) {
      // written whole to a private file, then linked under the lease's name: the link fails when the
      // name exists, and a reader never sees the file half-written
      java.nio.file.Path target = java.nio.file.Path.of(fs.makeQualified(p).toUri());
      Files.createDirectories(target.getParent());
      java.nio.file.Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
      try {
        Files.write(tmp, bytes);
        Files.createLink(target, tmp);
        return true;
      } catch (FileAlreadyExistsException e) {
        return false;
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
    if (fs.exists(p)) {
      return false;
    }
    try {
      if (fs.hasPathCapability(p, CONDITIONAL_CREATE)) {
        org.apache.hadoop.fs.FSDataOutputStreamBuilder<?, ?> create = fs.createFile(p).overwrite(false);
        create.must(CONDITIONAL_CREATE, true);
        try (OutputStream out = create.build()) {
          out.write(bytes);
        }
      } else {
        LOG.warn("{} cannot create a file only if it is absent: two runs started in the same instant could both "
            + "lease the warehouse; schedule one run at a time", fs.getUri());
        try (OutputStream out = fs.create(p, false)) {
          out.write(bytes);
        }
      }
      return true;
    } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      // a conditional PUT that lost (412 Precondition Failed) surfaces as an IOException of its own kind
      if (fs.exists(p)) {
        return false;
      }
      throw e;
    }
  }

  /** The newest lease file, or null when there is none. */
  static Holder newest(FileSystem fs, Path dir) throws IOException {
    if (!fs.exists(dir)) {
      return null;
    }
    long newest = 0;
    for (FileStatus f : fs.listStatus(dir)) {
      Matcher m = FILE.matcher(f.getPath().getName());
      if (m.matches()) {
        newest = Math.max(newest, Long.parseLong(m.group(1)));
      }
    }
    return newest == 0 ? null : read(fs, file(dir, newest));
  }

  /** A lease file; one that cannot be parsed counts as held and renewed when it was last written. */
  static Holder read(FileSystem fs, Path p) throws IOException {
    long number = Long.parseLong(p.getName().substring(0, 20));
    try (InputStream in = fs.open(p)) {
      JsonNode n = JSON.readTree(in);
      // a file still being written (a store without atomic creates) counts as renewed when written
      Instant written = Instant.ofEpochMilli(fs.getFileStatus(p).getModificationTime());
      Instant acquired = instant(n.path("acquired_at").asText(null));
      Instant renewed = instant(n.path("renewed_at").asText(null));
      return new Holder(number, n.path("state").asText("held"), n.path("attempt_id").asText("?"),
          n.path("command").asText("?"), n.path("run_date").asText("?"), n.path("host").asText("?"),
          acquired == null ? written : acquired, renewed == null ? written : renewed);
    } catch (java.io.FileNotFoundException e) {
      return null;
    } catch (IOException | RuntimeException e) {
      Instant written = Instant.ofEpochMilli(fs.getFileStatus(p).getModificationTime());
      return new Holder(number, "held", "?", "?", "?", "?", written, written);
    }
  }

  private static Instant instant(String s) {
    return s == null ? null : Instant.parse(s);
  }

  private static Path file(Path dir, long number) {
    return new Path(dir, String.format("%020d.json", number));
  }

  private static byte[] render(Holder h) throws IOException {
    ObjectNode n = JSON.createObjectNode();
    n.put("state", h.state());
    n.put("attempt_id", h.attemptId());
    n.put("command", h.command());
    n.put("run_date", h.runDate());
    n.put("host", h.host());
    n.put("acquired_at", h.acquiredAt().toString());
    n.put("renewed_at", h.renewedAt().toString());
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(n);
  }

  private static SalesPulseException locked(String command, LocalDate runDate, Holder holder, Duration staleAfter) {
    return new SalesPulseException(ExitCode.LOCKED, "Cannot run " + command + " for " + runDate
        + ": another run holds the warehouse: " + holder + ". Runs of one warehouse go one at a time; retry when it "
        + "ends (a lease not renewed for " + staleAfter.toSeconds() + " s, lease.stale-after-seconds, is taken over)");
  }
}
