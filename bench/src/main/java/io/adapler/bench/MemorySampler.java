package io.adapler.bench;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.spark.Success$;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Samples this JVM's memory every {@code step} rows while a Spark job runs in it: counts the
 * rows written by finished tasks (a listener on the bus, so the scoring code is untouched) and,
 * from a thread of its own, takes a {@link Sample} each time the count passes a multiple of
 * the step. Local mode only: the executor whose memory matters is this JVM.
 */
final class MemorySampler extends SparkListener implements AutoCloseable {
  private static final double MIB = 1024.0 * 1024.0;
  private static final Path STATUS = Path.of("/proc/self/status");

  /**
   * One measurement.
   *
   * @param rows rows written when it was taken
   * @param seconds since the sampler started
   * @param heapMiB heap used right after a full GC was asked for (live objects)
   * @param nonHeapMiB metaspace, code cache and the other JVM pools
   * @param directMiB NIO direct buffers (the runtime's input tensors live in them)
   * @param rssMiB resident memory of the process (VmRSS): heap, native libraries, ONNX
   *     Runtime's arena, the tokenizer, malloc
   */
  record Sample(long rows, double seconds, double heapMiB, double nonHeapMiB, double directMiB,
      double rssMiB) {}

  private final SparkContext sc;
  private final long step;
  private final Consumer<Sample> onSample;
  private final AtomicLong rows = new AtomicLong();
  private final List<Sample> samples = new ArrayList<>();
  private final long start = System.nanoTime();
  private final Thread poller;
  private volatile boolean running = true;

  private MemorySampler(SparkContext sc, long step, Consumer<Sample> onSample) {
    this.sc = sc;
    this.step = step;
    this.onSample = onSample;
    this.poller = new Thread(this::poll, "adapler-memory-sampler");
    poller.setDaemon(true);
  }

  /** Takes a first sample at 0 rows, then one every {@code step} rows written. */
  static MemorySampler start(SparkContext sc, long step, Consumer<Sample> onSample) {
    MemorySampler s = new MemorySampler(sc, step, onSample);
    s.take(0);
    sc.addSparkListener(s);
    s.poller.start();
    return s;
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd task) {
    // Only finished tasks: a failed attempt's rows are written again by its retry.
    if (task.reason() == Success$.MODULE$ && task.taskMetrics() != null) {
      rows.addAndGet(task.taskMetrics().outputMetrics().recordsWritten());
    }
  }

  private void poll() {
    long next = step;
    while (running) {
      long done = rows.get();
      if (done >= next) {
        take(done);
        next = (done / step + 1) * step;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Takes a sample now, e.g. the last one once the job has finished. */
  synchronized Sample take(long rowsDone) {
    Sample s = measure(rowsDone, (System.nanoTime() - start) / 1e9);
    samples.add(s);
    onSample.accept(s);
    return s;
  }

  /** Rows written by finished tasks so far. */
  long rows() {
    return rows.get();
  }

  synchronized List<Sample> samples() {
    return List.copyOf(samples);
  }

  /** Stops sampling and leaves the listener bus; safe to call twice. */
  @Override
  public void close() {
    running = false;
    poller.interrupt();
    try {
      poller.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    sc.removeSparkListener(this);
  }

  static Sample measure(long rows, double seconds) {
    // A hint, not a guarantee; with G1 it is a full collection, so "heap" is the live set.
    System.gc();
    var memory = ManagementFactory.getMemoryMXBean();
    double direct = 0;
    for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
      if (pool.getName().equals("direct")) {
        direct = pool.getMemoryUsed() / MIB;
      }
    }
    return new Sample(rows, seconds, memory.getHeapMemoryUsage().getUsed() / MIB,
        memory.getNonHeapMemoryUsage().getUsed() / MIB, direct, procStatusKiB("VmRSS") / 1024.0);
  }

  /**
   * Reads a {@code kB} field of {@code /proc/self/status} (VmRSS: resident now, VmHWM: the
   * peak).
   *
   * @throws IllegalStateException off Linux, where there is no such file: the soak has no
   *     other honest source of the process's resident memory
   */
  static long procStatusKiB(String field) {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
        }
      }
    } catch (IOException | NumberFormatException e) {
      throw new IllegalStateException("cannot read " + field + " from " + STATUS
          + ": expected Linux's per-process status file, found " + e, e);
    }
    throw new IllegalStateException(STATUS + " has no field " + field);
  }
}
