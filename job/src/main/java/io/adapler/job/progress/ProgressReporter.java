package io.adapler.job.progress;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;

/**
 * Prints the progress of a run every few seconds: rows scored (not read: the input is read and
 * shuffled long before it is scored) of the rows to score, the rate over the last interval (at
 * least {@value #MIN_WINDOW_SECONDS} s, as rows are seen when tasks end or heartbeat), the
 * tasks done of the scoring stage and an ETA from that rate and the rows left, then a last line
 * when the scoring is over. The rows to score are counted as the stage before the scoring reads
 * and shuffles them ({@link #countAsRead}), or, when nothing is shuffled, by a Spark job
 * of their own next to the scoring ({@link #expect}); until the count is in, the ETA says
 * unknown rather than guess.
 *
 * <p>Usage: pass {@link #rowsScored()} to the scorer, {@link #expect} the input and score what
 * {@link #countAsRead} returns, close at the end. A reporter started with
 * {@code everySeconds <= 0} prints nothing; the rows read are counted either way, for the
 * summary's reconciliation.
 */
public final class ProgressReporter implements AutoCloseable {
  /** How long close waits for the listener bus to deliver the last task ends. */
  private static final long DRAIN_MILLIS = 10_000;
  /** The shortest span of the rate, in seconds. */
  static final int MIN_WINDOW_SECONDS = 10;

  private final SparkContext sc;
  private final PrintStream out;
  private final LongAccumulator rowsScored;
  private final ScoredRowsTally tally;
  private final ScheduledExecutorService timer;
  private final String countGroup = "adapler-progress-count-" + UUID.randomUUID();
  private final AtomicBoolean counting = new AtomicBoolean();
  private final AtomicLong total = new AtomicLong(-1);
  private final AtomicLong earlier = new AtomicLong();
  private final long startNanos = System.nanoTime();
  /** (nanos, rows scored) of earlier reports within the rate's window, oldest first. */
  private final List<long[]> samples = new ArrayList<>();
  private final long windowNanos;
  /** Rows read by the shuffle before the scoring, when it counts them; else null. */
  private ScoredRowsTally readTally;

  private ProgressReporter(SparkContext sc, int everySeconds, PrintStream out) {
    this.sc = sc;
    this.out = out;
    // Rows move when tasks end or heartbeat (10 s by default): a shorter window would read
    // 0 rows/s between them, so the rate spans at least 10 s, never the whole run.
    this.windowNanos = TimeUnit.SECONDS.toNanos(Math.max(everySeconds, MIN_WINDOW_SECONDS));
    samples.add(new long[] {startNanos, 0});
    if (everySeconds <= 0) {
      rowsScored = null;
      tally = null;
      timer = null;
      return;
    }
    this.rowsScored = sc.longAccumulator("adapler.rowsScored");
    this.tally = new ScoredRowsTally(rowsScored.id());
    sc.addSparkListener(tally);
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "adapler-progress");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleAtFixedRate(this::print, everySeconds, everySeconds, TimeUnit.SECONDS);
  }

  /**
   * Starts reporting; {@code everySeconds <= 0} returns a reporter that prints nothing and only
   * counts the rows read.
   */
  public static ProgressReporter start(SparkContext sc, int everySeconds, PrintStream out) {
    return new ProgressReporter(sc, everySeconds, out);
  }

  /** The counter to give the scorer, or null when progress is off. */
  public LongAccumulator rowsScored() {
    return rowsScored;
  }

  /**
   * Counts the rows to score in the background, in a job group of its own that close cancels
   * if the scoring ends first. A failed count only leaves the total unknown.
   */
  public void expect(Dataset<?> input) {
    if (tally == null) {
      return; // nothing to print: the count job would be a second read for nothing
    }
    counting.set(true);
    Thread t = new Thread(() -> {
      sc.setJobGroup(countGroup, "adapler: counting the input for the progress report", true);
      try {
        total.set(input.count());
      } catch (Exception e) { // Spark's exceptions are checked ones to javac, thrown unchecked
        // Progress only: the ETA stays unknown (also when the scoring ended and cancelled it).
      } finally {
        counting.set(false);
      }
    }, "adapler-progress-count");
    t.setDaemon(true);
    t.start();
  }

  /**
   * Returns the rows with a pass-through that counts them as they are read, at no second read
   * of the input: before a repartition, the count is complete when that shuffle's map stage
   * ends, before the first row is scored; without one, when the scoring stage ends (the
   * summary's reconciliation needs it then; the progress report's ETA gets {@link #expect}'s
   * count sooner). Per-partition counts of successful tasks, so a rerun task does not count
   * twice.
   */
  public Dataset<Row> countAsRead(Dataset<Row> rows) {
    LongAccumulator read = sc.longAccumulator("adapler.rowsRead");
    readTally = new ScoredRowsTally(read.id());
    sc.addSparkListener(readTally);
    return rows.mapPartitions(new CountingRows(read), Encoders.row(rows.schema()));
  }

  /**
   * The rows to score as counted while they were read (the run summary reconciles them with
   * the rows written), or -1 when the count did not finish.
   */
  public long rowsRead() {
    if (readTally == null) {
      return -1;
    }
    // The listener bus delivers the stage's last task ends a little after the write returns.
    long deadline = System.nanoTime() + DRAIN_MILLIS * 1_000_000;
    try {
      while (readTally.rowsOfEveryPartition().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return readTally.rowsOfEveryPartition().orElse(-1);
  }

  /** The rows to score, -1 while not known. */
  private long total() {
    if (total.get() < 0 && readTally != null) {
      // one full read of the input, even if it ran twice or an executor loss re-ran part of it
      readTally.rowsOfEveryPartition().ifPresent(total::set);
    }
    return total.get();
  }

  /** Rows of parts an earlier run committed: scored, but not by this run (not in the rate). */
  public void alreadyScored(long rows) {
    earlier.addAndGet(rows);
  }

  private synchronized void print() {
    long now = System.nanoTime();
    long scored = tally.scored();
    // Keep one sample at or before the window's start, so the rate spans the whole window.
    while (samples.size() > 1 && now - samples.get(1)[0] >= windowNanos) {
      samples.remove(0);
    }
    long[] from = samples.get(0);
    samples.add(new long[] {now, scored});
    ProgressLine line = new ProgressLine(earlier.get() + scored, total(),
        scored - from[1], (now - from[0]) / 1e9, tally.tasksDone(), tally.tasksTotal());
    out.println(line.text());
  }

  /** Stops the reports and prints the last line once the listener has seen every task end. */
  @Override
  public void close() {
    if (counting.get()) { // cancelling a finished group makes Spark log a warning
      sc.cancelJobGroup(countGroup);
    }
    if (tally == null) {
      if (readTally != null) {
        sc.removeSparkListener(readTally);
      }
      return;
    }
    timer.shutdownNow();
    // Spark returns from an action before its listeners have seen the last task ends.
    long deadline = System.nanoTime() + DRAIN_MILLIS * 1_000_000;
    try {
      while (!tally.idle() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    sc.removeSparkListener(tally);
    if (readTally != null) {
      sc.removeSparkListener(readTally);
    }
    synchronized (this) {
      out.println(ProgressLine.finalText(earlier.get() + tally.scored(), total(),
          (System.nanoTime() - startNanos) / 1e9));
    }
  }

}
