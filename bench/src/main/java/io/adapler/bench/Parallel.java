package io.adapler.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Runs one piece of work per caller thread, all starting together; times the whole. */
final class Parallel {
  private Parallel() {}

  /** The work of one caller. */
  @FunctionalInterface
  interface Work {
    void run(int caller) throws Exception;
  }

  /**
   * Runs {@code work} on {@code callers} threads released at once.
   *
   * @return wall seconds from the release until the last caller finished
   */
  static double run(int callers, Work work) throws Exception {
    if (callers == 1) {
      long start = System.nanoTime();
      work.run(0);
      return (System.nanoTime() - start) / 1e9;
    }
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    CyclicBarrier barrier = new CyclicBarrier(callers + 1);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int c = 0; c < callers; c++) {
        int caller = c;
        futures.add(pool.submit(() -> {
          barrier.await();
          work.run(caller);
          return null;
        }));
      }
      barrier.await();
      long start = System.nanoTime();
      for (Future<?> f : futures) {
        f.get();
      }
      return (System.nanoTime() - start) / 1e9;
    } finally {
      pool.shutdownNow();
    }
  }
}
