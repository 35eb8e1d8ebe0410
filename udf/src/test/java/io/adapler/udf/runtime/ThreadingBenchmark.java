package io.adapler.udf.runtime;

import io.adapler.udf.bundle.BundleLoader;
import io.adapler.udf.bundle.ModelBundle;
import io.adapler.udf.testing.GoldenRow;
import io.adapler.udf.testing.TinyBundle;
import io.adapler.udf.tokenize.EncodedRow;
import io.adapler.udf.tokenize.TextRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Measures CPU throughput of one shared runtime at 1 and 2 intra-op threads with 1 and 2
 * concurrent callers, interleaving the configurations round by round so drift hits all alike,
 * and prints rows per second (median over rounds) and the ratios that choose the default.
 *
 * <p>Run: {@code java -cp <test classpath> io.adapler.udf.runtime.ThreadingBenchmark [bundle]
 * [rounds] [rows-per-caller]}. Without a bundle it uses the tiny fixture and its golden texts.
 */
public final class ThreadingBenchmark {
  private ThreadingBenchmark() {}

  public static void main(String[] args) throws Exception {
    String uri = args.length > 0 && !args[0].isEmpty() ? args[0] : TinyBundle.dir().toString();
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
    int rowsPerCaller = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
    Path cache = Files.createTempDirectory("adapler-bench");
    ModelBundle bundle = new BundleLoader(cache).load(uri);
    List<TextRow> pool = new ArrayList<>();
    for (GoldenRow g : TinyBundle.goldens()) {
      pool.add(bundle.manifest().tokenizer().pairInputs() ? g.textRow() : TextRow.of(g.text()));
    }
    List<TextRow> rows = new ArrayList<>();
    for (int i = 0; rows.size() < rowsPerCaller; i++) {
      rows.add(pool.get(i % pool.size()));
    }
    int[][] configs = {{1, 1}, {2, 1}, {1, 2}, {2, 2}}; // {intra-op threads, callers}
    List<AdaplerRuntime> runtimes = new ArrayList<>();
    for (int[] c : configs) {
      runtimes.add(AdaplerRuntime.open(bundle, RuntimeOptions.builder()
          .optThreading(new CpuThreading(c[0], 1, false)).optRationales(false).build()));
    }
    List<EncodedRow> encoded = runtimes.get(0).encode(rows);
    double[][] rates = new double[configs.length][rounds];
    for (int c = 0; c < configs.length; c++) {
      measure(runtimes.get(c), encoded, configs[c][1]); // warm-up
    }
    for (int r = 0; r < rounds; r++) {
      for (int c = 0; c < configs.length; c++) {
        rates[c][r] = measure(runtimes.get(c), encoded, configs[c][1]);
      }
    }
    System.out.printf("bundle %s, %d cores, %d rows per caller, %d rounds (median rows/s)%n",
        bundle.label(), Runtime.getRuntime().availableProcessors(), rowsPerCaller, rounds);
    double[] median = new double[configs.length];
    for (int c = 0; c < configs.length; c++) {
      double[] s = rates[c].clone();
      Arrays.sort(s);
      median[c] = s[rounds / 2];
      System.out.printf("  intra-op %d, callers %d: %9.1f rows/s  (min %.1f, max %.1f)%n",
          configs[c][0], configs[c][1], median[c], s[0], s[rounds - 1]);
    }
    System.out.printf("  1 caller:  intra 2 / intra 1 = %.3f%n", median[1] / median[0]);
    System.out.printf("  2 callers: intra 2 / intra 1 = %.3f%n", median[3] / median[2]);
    System.out.printf("  intra 1:   2 callers / 1 caller = %.3f%n", median[2] / median[0]);
    runtimes.forEach(AdaplerRuntime::close);
  }

  /** Scores the rows on {@code callers} threads at once; returns total rows per second. */
  private static double measure(AdaplerRuntime rt, List<EncodedRow> rows, int callers)
      throws Exception {
    ExecutorService exec = Executors.newFixedThreadPool(callers);
    try {
      CyclicBarrier start = new CyclicBarrier(callers + 1);
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        done.add(exec.submit(() -> {
          start.await();
          return rt.scoreEncoded(rows, 1f).size();
        }));
      }
      start.await();
      long t0 = System.nanoTime();
      for (Future<?> f : done) {
        f.get();
      }
      return callers * rows.size() / ((System.nanoTime() - t0) / 1e9);
    } finally {
      exec.shutdown();
    }
  }
}
