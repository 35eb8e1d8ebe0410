package io.adapler.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.adapler.udf.runtime.RowResult;
import io.adapler.udf.spark.AdaplerTransformer;
import io.adapler.udf.tokenize.TextRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.Binarizer;
import org.apache.spark.ml.param.Param;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark ML persistence of the Transformer: alone and inside a PipelineModel, Params, defaults
 * and isSet as they were, and a loaded pipeline that scores as the saved one did in a new
 * session.
 */
class TransformerPersistenceTest {
  @TempDir Path dir;

  static Dataset<Row> frame() {
    return JobTestSupport.spark().createDataset(TransformerTest.TEXTS, Encoders.STRING())
        .toDF("body");
  }

  @Test
  void aSavedStageLoadsWithItsUidParamsAndDefaults() throws Exception {
    JobTestSupport.spark();
    AdaplerTransformer t = new AdaplerTransformer().setBundle(JobTestSupport.tinyBundle())
        .setTextCol("body").setPairCol("").setEtaScale(0.5f).setDevice("cpu")
        .setAllowCpuFallback(true).setTokenBudget(256);
    String path = dir.resolve("stage").toString();
    t.save(path);
    AdaplerTransformer back = AdaplerTransformer.load(path);
    assertEquals(t.uid(), back.uid());
    assertSameParams(t, back);
    assertFalse(back.isSet(back.maxBatchRows()), "left unset, so still unset");
    assertEquals(64, (int) back.getOrDefault(back.maxBatchRows()));
    assertEquals(t.scoreOptions(), back.scoreOptions());

    t.setEtaScale(2f).write().overwrite().save(path);
    assertEquals(2f, AdaplerTransformer.load(path).scoreOptions().etaScale());
  }

  @Test
  void anUnsetEtaScaleStaysUnsetSoTheBundleDefaultStillApplies() throws Exception {
    JobTestSupport.spark();
    AdaplerTransformer t = new AdaplerTransformer().setBundle(JobTestSupport.tinyBundle());
    String path = dir.resolve("stage").toString();
    t.save(path);
    AdaplerTransformer back = AdaplerTransformer.load(path);
    assertSameParams(t, back);
    assertFalse(back.isSet(back.etaScale()));
    assertTrue(back.isDefined(back.etaScale()));
    assertEquals(1f, (float) back.getOrDefault(back.etaScale()), "the declared default");
    assertNull(back.scoreOptions().etaScale(), "null: the bundle's default at scoring time");
  }

  @Test
  void loadingAnotherStagesDirectoryNamesBothClasses() throws Exception {
    JobTestSupport.spark();
    String path = dir.resolve("binarizer").toString();
    new Binarizer().save(path);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> AdaplerTransformer.load(path));
    assertTrue(e.getMessage().contains(AdaplerTransformer.class.getName())
        && e.getMessage().contains(Binarizer.class.getName()), e.getMessage());
  }

  @Test
  void aSavedPipelineModelScoresTheSameInANewSession() throws Exception {
    String bundle = calibratedCopy(3f);
    AdaplerTransformer t = new AdaplerTransformer().setBundle(bundle).setTextCol("body")
        .setTokenBudget(256); // etaScale unset: the bundle's 3, not the declared 1
    PipelineModel model = new Pipeline().setStages(new PipelineStage[] {t}).fit(frame());
    Map<String, List<Object>> before = results(model.transform(frame()));
    String path = dir.resolve("pipeline").toString();
    model.save(path);

    SparkSession old = JobTestSupport.spark();
    JobTestSupport.stopSpark();
    assertTrue(old.sparkContext().isStopped());
    assertNotSame(old, JobTestSupport.spark());
    PipelineModel back = PipelineModel.load(path);
    assertEquals(model.uid(), back.uid());
    AdaplerTransformer stage = (AdaplerTransformer) back.stages()[0];
    assertEquals(t.uid(), stage.uid());
    assertSameParams(t, stage);
    assertEquals(before, results(back.transform(frame())));

    // The results are the bundle default's, which differ from the declared default's.
    List<TextRow> rows = TransformerTest.TEXTS.stream().map(TextRow::of).toList();
    List<RowResult> at3 = JobTestSupport.runtime(bundle).score(rows, 3f);
    List<RowResult> at1 = JobTestSupport.runtime(bundle).score(rows, 1f);
    for (int i = 0; i < rows.size(); i++) {
      List<Object> expected = List.of("OK", at3.get(i).label(), lengths(at3.get(i)));
      assertEquals(expected, before.get(TransformerTest.TEXTS.get(i)));
    }
    assertNotEquals(at1.stream().map(TransformerPersistenceTest::lengths).toList(),
        at3.stream().map(TransformerPersistenceTest::lengths).toList(),
        "eta_scale 3 should drop more tokens than 1 on the tiny bundle");
  }

  /** The same Params, set, defaulted and valued alike, on two stages. */
  static void assertSameParams(AdaplerTransformer a, AdaplerTransformer b) {
    assertEquals(a.params().length, b.params().length);
    for (Param<?> p : a.params()) {
      Param<?> q = b.getParam(p.name());
      assertEquals(a.isSet(p), b.isSet(q), p.name() + " isSet");
      assertEquals(a.isDefined(p), b.isDefined(q), p.name() + " isDefined");
      assertEquals(a.getDefault(p), b.getDefault(q), p.name() + " default");
      if (a.isDefined(p)) {
        assertEquals(a.getOrDefault(p), b.getOrDefault(q), p.name() + " value");
      }
    }
  }

  /** Status, label and layer lengths per text. */
  static Map<String, List<Object>> results(Dataset<Row> scored) {
    Map<String, List<Object>> out = new HashMap<>();
    for (Row r : scored.collectAsList()) {
      out.put(r.getAs("body"), List.of(r.getAs("status"), r.getAs("label"),
          new ArrayList<>(r.getList(r.fieldIndex("layer_lengths")))));
    }
    return out;
  }

  static List<Integer> lengths(RowResult r) {
    return Arrays.stream(r.layerLengths()).boxed().toList();
  }

  /** A copy of the tiny bundle whose manifest carries a calibrated operating point. */
  String calibratedCopy(float etaScale) throws Exception {
    Path from = Path.of(JobTestSupport.tinyBundle());
    Path to = Files.createDirectories(dir.resolve("calibrated"));
    for (String f : List.of("model.onnx", "tokenizer.json")) {
      Files.copy(from.resolve(f), to.resolve(f));
    }
    ObjectMapper json = new ObjectMapper();
    ObjectNode manifest = (ObjectNode) json.readTree(from.resolve("adapler.json").toFile());
    manifest.putObject("operating_point").put("eta_scale", etaScale)
        .put("criterion", "test").put("calibrated_on", "TransformerPersistenceTest");
    json.writeValue(to.resolve("adapler.json").toFile(), manifest);
    return to.toString();
  }
}
