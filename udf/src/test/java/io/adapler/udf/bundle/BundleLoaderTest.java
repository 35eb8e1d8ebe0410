package io.adapler.udf.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.adapler.udf.testing.BundleCopies;
import io.adapler.udf.testing.TinyBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleLoaderTest {
  @TempDir Path tmp;

  private BundleLoader loader() {
    return new BundleLoader(tmp.resolve("cache"));
  }

  private static void assertMessage(BundleLoadException e, String... parts) {
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), "message lacks '" + p + "': " + e.getMessage());
    }
  }

  @Test
  void loadsTheFixtureFromAPlainPathAndAFileUri() throws Exception {
    BundleLoader loader = loader();
    ModelBundle plain = loader.load(TinyBundle.dir().toString());
    ModelBundle uri = loader.load(TinyBundle.dir().toUri().toString());
    assertSame(plain, uri, "plain path and file: URI are the same bundle");
    assertEquals(1, loader.copyCount());
    assertEquals("tiny-random", plain.manifest().name());
    assertEquals(List.of("negative", "positive"), plain.manifest().labels());
    assertEquals(3, plain.manifest().geometry().layers());
    assertTrue(plain.uri().startsWith("file:"), plain.uri());
    assertTrue(plain.localDir().startsWith(tmp.resolve("cache")));
    assertEquals(Files.size(TinyBundle.dir().resolve("model.onnx")), Files.size(plain.modelPath()));
    assertEquals(64, plain.checksum().length());
  }

  @Test
  void eightThreadsLoadingAtOnceCopyOnce() throws Exception {
    BundleLoader loader = loader();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<ModelBundle>> futures = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        futures.add(pool.submit((Callable<ModelBundle>) () -> loader.load(TinyBundle.dir().toString())));
      }
      Set<ModelBundle> distinct = new HashSet<>();
      for (Future<ModelBundle> f : futures) {
        distinct.add(f.get());
      }
      assertEquals(1, distinct.size());
      assertEquals(1, loader.copyCount());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aSecondLoaderOnTheSameCacheReusesTheVerifiedCopy() throws Exception {
    ModelBundle first = loader().load(TinyBundle.dir().toString());
    BundleLoader second = loader();
    ModelBundle again = second.load(TinyBundle.dir().toString());
    assertEquals(first.localDir(), again.localDir());
    assertEquals(0, second.copyCount());
  }

  @Test
  void aDamagedCachedCopyIsFetchedAgain() throws Exception {
    ModelBundle first = loader().load(TinyBundle.dir().toString());
    Files.write(first.tokenizerPath(), new byte[] {1, 2, 3});
    BundleLoader second = loader();
    ModelBundle again = second.load(TinyBundle.dir().toString());
    assertEquals(1, second.copyCount());
    assertEquals(Files.size(TinyBundle.dir().resolve("tokenizer.json")),
        Files.size(again.tokenizerPath()));
  }

  @Test
  void missingBundleFileFailsNamingFileAndFix() throws Exception {
    Path dir = BundleCopies.copy(tmp.resolve("b"));
    Files.delete(dir.resolve("tokenizer.json"));
    BundleLoadException e =
        assertThrows(BundleLoadException.class, () -> loader().load(dir.toString()));
    assertMessage(e, "missing file tokenizer.json", "adapler.json lists it",
        dir.resolve("tokenizer.json").toString(), "re-export");
  }

  @Test
  void missingManifestFailsNamingThePath() {
    Path empty = tmp.resolve("nothing-here");
    BundleLoadException e =
        assertThrows(BundleLoadException.class, () -> loader().load(empty.toString()));
    assertMessage(e, "missing file adapler.json", empty.toString(), "point the bundle path");
  }

  @Test
  void badChecksumFailsWithExpectedAndFound() throws Exception {
    Path dir = BundleCopies.copy(tmp.resolve("b"));
    byte[] model = Files.readAllBytes(dir.resolve("model.onnx"));
    model[model.length / 2] ^= 1;
    Files.write(dir.resolve("model.onnx"), model);
    String expected = loader().load(TinyBundle.dir().toString()).manifest().files()
        .get("model.onnx").sha256();
    BundleLoadException e =
        assertThrows(BundleLoadException.class, () -> loader().load(dir.toString()));
    assertMessage(e, "checksum mismatch for model.onnx", "expects sha256 " + expected,
        "found sha256 ", dir.resolve("model.onnx").toString(), "re-export");
  }

  @Test
  void unknownFormatVersionFailsNamingBothVersions() throws Exception {
    Path dir = BundleCopies.copy(tmp.resolve("b"));
    BundleCopies.editManifest(dir, m -> m.put("format_version", 2));
    BundleLoadException e =
        assertThrows(BundleLoadException.class, () -> loader().load(dir.toString()));
    assertMessage(e, "unsupported bundle format_version 2", "reads format version 1",
        dir.resolve("adapler.json").toString(), "re-export");
  }

  @Test
  void inconsistentManifestFailsNamingTheField() throws Exception {
    Path dir = BundleCopies.copy(tmp.resolve("b"));
    BundleCopies.editManifest(dir, m -> ((ObjectNode) m.get("geometry")).put("classes", 3));
    BundleLoadException e =
        assertThrows(BundleLoadException.class, () -> loader().load(dir.toString()));
    assertMessage(e, "'labels'", "expected 3 labels (geometry.classes), found 2 labels");
  }

  @Test
  void graphFormatSaysFusedFloat32OrInt8AndIsPlainWhenAbsent() throws Exception {
    GraphFormat fp32 = loader().load(TinyBundle.dir().toString()).manifest().graph().format();
    assertEquals(GraphFormat.FLOAT32, fp32.linears());
    assertTrue(fp32.fused().contains("com.microsoft.SkipLayerNormalization"), fp32.toString());
    GraphFormat int8 = loader().load(TinyBundle.int8Dir().toString()).manifest().graph().format();
    assertTrue(int8.int8(), int8.toString());
    Path dir = BundleCopies.copy(tmp.resolve("b"));
    BundleCopies.editManifest(dir, m -> ((ObjectNode) m.get("graph")).remove("format"));
    assertEquals(GraphFormat.PLAIN, loader().load(dir.toString()).manifest().graph().format());
  }

  @Test
  void unknownLinearFormatFailsNamingTheField() throws Exception {
    Path dir = BundleCopies.copy(tmp.resolve("b"));
    BundleCopies.editManifest(dir, m -> ((ObjectNode) m.get("graph").get("format"))
        .put("linears", "int4"));
    BundleLoadException e =
        assertThrows(BundleLoadException.class, () -> loader().load(dir.toString()));
    assertMessage(e, "'graph.format.linears'", "expected float32 or " + GraphFormat.INT8,
        "found int4");
  }

  @Test
  void reExportedBundleAtTheSameUriIsFetchedAgain() throws Exception {
    Path dir = BundleCopies.copy(tmp.resolve("b"));
    BundleLoader loader = loader();
    ModelBundle first = loader.load(dir.toString());
    BundleCopies.editManifest(dir, m -> m.put("name", "tiny-random-v2"));
    ModelBundle second = loader.load(dir.toString());
    assertEquals(2, loader.copyCount());
    assertEquals("tiny-random-v2", second.manifest().name());
    assertTrue(!first.checksum().equals(second.checksum()));
  }
}
