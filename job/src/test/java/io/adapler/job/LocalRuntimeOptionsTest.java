package io.adapler.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.adapler.udf.bundle.BundleLoader;
import io.adapler.udf.bundle.ModelBundle;
import io.adapler.udf.runtime.AdaplerRuntime;
import io.adapler.udf.runtime.RuntimeOptions;
import io.adapler.udf.runtime.RuntimeRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In local mode the tasks share the runtime the driver opens to check the bundle: it must be
 * opened with the job's batching options, or --token-budget and --max-batch-rows do nothing
 * there (they did: the driver opened it with the defaults, and the registry keeps the first).
 */
class LocalRuntimeOptionsTest {
  @TempDir
  static Path dir;

  @Test
  void theSharedRuntimeHasTheJobsBatchingOptions() throws Exception {
    // A copy with its own manifest bytes: its own checksum, so no other test's runtime.
    Path bundle = dir.resolve("bundle");
    Files.createDirectories(bundle);
    Path source = JobTestSupport.root().resolve("samples/models/tiny-random");
    try (Stream<Path> files = Files.list(source)) {
      for (Path f : files.toList()) {
        Files.copy(f, bundle.resolve(f.getFileName()));
      }
    }
    Files.writeString(bundle.resolve("adapler.json"), "\n", StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);
    int before = RuntimeRegistry.shared().createdCount();
    JobTestSupport.runOk("--input", JobTestSupport.sampleCorpus(), "--input-format", "json",
        "--id-column", "id", "--bundle", bundle.toString(), "--output",
        dir.resolve("out").toString(), "--token-budget", "256", "--max-batch-rows", "7",
        "--summary", "false");
    ModelBundle loaded = BundleLoader.shared().load(bundle.toString());
    // one runtime: the tasks share the one the driver opened to check the bundle, so that one
    // must have had the job's options (with the defaults there, the options were ignored)
    assertEquals(1, RuntimeRegistry.shared().createdCount() - before);
    AdaplerRuntime runtime = RuntimeRegistry.shared().getAny(loaded, RuntimeOptions.defaults());
    assertEquals(256, runtime.options().tokenBudget(), runtime.options().toString());
    assertEquals(7, runtime.options().maxBatchRows(), runtime.options().toString());
  }
}
