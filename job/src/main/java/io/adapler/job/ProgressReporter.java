package io.adapler.job;

import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Prints the progress of a long run every few seconds: rows read so far, rate, tasks done
 * and an ETA from the fraction of tasks done. Driven by Spark's listener bus, so it needs
 * nothing from the scoring code.
 */
final class ProgressReporter extends SparkListener implements AutoCloseable {
  private final AtomicLong rows = new AtomicLong();
  private final AtomicLong tasksDone = new AtomicLong();
  private final AtomicLong tasksTotal = new AtomicLong();
  private final long startNanos = System.nanoTime();
  private final ScheduledExecutorService timer;
  private final SparkContext sc;
  private final PrintStream out;

  private ProgressReporter(SparkContext sc, int everySeconds, PrintStream out) {
    this.sc = sc;
    this.out = out;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "adapler-progress");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleAtFixedRate(this::print, everySeconds, everySeconds, TimeUnit.SECONDS);
  }

  /** Starts reporting; {@code everySeconds <= 0} returns a reporter that prints nothing. */
  static ProgressReporter start(SparkContext sc, int everySeconds, PrintStream out) {
    ProgressReporter p = new ProgressReporter(sc, Math.max(everySeconds, 1), out);
    if (everySeconds <= 0) {
      p.timer.shutdownNow();
    }
    sc.addSparkListener(p);
    return p;
  }

  @Override
  public void onStageSubmitted(SparkListenerStageSubmitted stage) {
    tasksTotal.addAndGet(stage.stageInfo().numTasks());
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd task) {
    if (task.taskMetrics() != null) {
      rows.addAndGet(task.taskMetrics().inputMetrics().recordsRead());
    }
    tasksDone.incrementAndGet();
  }

  private void print() {
    double secs = (System.nanoTime() - startNanos) / 1e9;
    long done = tasksDone.get();
    long total = tasksTotal.get();
    String eta = done > 0 && total > done
        ? String.format("%.0f s", secs * (total - done) / done) : "-";
    out.printf("[adapler] %,d rows read, %,.1f rows/s, tasks %d/%d, ETA %s%n",
        rows.get(), rows.get() / Math.max(secs, 1e-9), done, total, eta);
  }

  @Override
  public void close() {
    timer.shutdownNow();
    sc.removeSparkListener(this);
  }
}
