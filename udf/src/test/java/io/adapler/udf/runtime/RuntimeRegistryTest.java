package io.adapler.udf.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.adapler.udf.bundle.BundleLoader;
import io.adapler.udf.bundle.ModelBundle;
import io.adapler.udf.testing.GoldenRow;
import io.adapler.udf.testing.TinyBundle;
import io.adapler.udf.tokenize.TextRow;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimeRegistryTest {
  @TempDir Path cache;

  @Test
  void eightThreadsShareOneRuntimeAndMatchSequentialResults() throws Exception {
    ModelBundle bundle = new BundleLoader(cache).load(TinyBundle.dir().toString());
    List<GoldenRow> golden = TinyBundle.goldens();
    RuntimeOptions options = RuntimeOptions.builder().optMaxBatchRows(16).build();
    try (RuntimeRegistry registry = new RuntimeRegistry()) {
      int threads = 8;
      CyclicBarrier start = new CyclicBarrier(threads);
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<List<RowResult>>> futures = new ArrayList<>();
      List<List<GoldenRow>> orders = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        List<GoldenRow> order = new ArrayList<>(golden);
        Collections.shuffle(order, new Random(t));
        orders.add(order);
        futures.add(pool.submit(() -> {
          start.await();
          AdaplerRuntime rt = registry.get(bundle, options);
          return rt.score(order.stream().map(GoldenRow::textRow).toList(), 1f);
        }));
      }
      List<List<RowResult>> concurrent = new ArrayList<>();
      for (Future<List<RowResult>> f : futures) {
        concurrent.add(f.get());
      }
      pool.shutdown();
      assertEquals(1, registry.createdCount());
      assertEquals(1, registry.size());

      AdaplerRuntime shared = registry.get(bundle, options);
      // the rationales default is per call, so it does not open another session
      assertSame(shared, registry.get(bundle,
          RuntimeOptions.builder().optMaxBatchRows(16).optRationales(true).build()));
      // other batching (a second notebook job with its own options) gets its own runtime...
      AdaplerRuntime other =
          registry.get(bundle, RuntimeOptions.builder().optMaxBatchRows(3).build());
      assertNotSame(shared, other);
      assertEquals(3, other.options().maxBatchRows());
      assertEquals(2, registry.createdCount());
      // ...and a caller that takes any runtime of the bundle opens none
      assertTrue(Set.of(shared, other).contains(registry.getAny(bundle, RuntimeOptions.defaults())));
      assertEquals(2, registry.createdCount());
      for (int t = 0; t < threads; t++) {
        List<GoldenRow> order = orders.get(t);
        List<RowResult> sequential =
            shared.score(order.stream().map(GoldenRow::textRow).toList(), 1f);
        for (int i = 0; i < order.size(); i++) {
          RowResult c = concurrent.get(t).get(i);
          String row = "thread " + t + " golden row " + order.get(i).id();
          assertArrayEquals(sequential.get(i).layerLengths(), c.layerLengths(), row);
          assertArrayEquals(sequential.get(i).logits(), c.logits(), 0f, row);
          assertArrayEquals(order.get(i).run(1f).layerLengths(), c.layerLengths(), row);
        }
      }
    }
  }

  @Test
  void closedRegistryClosesItsRuntimesAndRefusesNewOnes() throws Exception {
    ModelBundle bundle = new BundleLoader(cache).load(TinyBundle.dir().toString());
    RuntimeRegistry registry = new RuntimeRegistry();
    AdaplerRuntime rt = registry.get(bundle, RuntimeOptions.defaults());
    registry.close();
    registry.close();
    assertThrows(IllegalStateException.class, () -> rt.score(List.of(TextRow.of("x"))));
    assertThrows(IllegalStateException.class,
        () -> registry.get(bundle, RuntimeOptions.defaults()));
  }

  @Test
  void theSharedRegistryIsOnePerJvm() {
    assertSame(RuntimeRegistry.shared(), RuntimeRegistry.shared());
  }
}
