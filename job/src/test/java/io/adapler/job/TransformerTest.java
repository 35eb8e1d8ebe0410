package io.adapler.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.adapler.udf.runtime.RowResult;
import io.adapler.udf.spark.AdaplerTransformer;
import io.adapler.udf.spark.ScoredColumns;
import io.adapler.udf.tokenize.TextRow;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The Spark ML Transformer: schema first, the same rows as the runtime, usable in a Pipeline. */
class TransformerTest {
  static final List<String> TEXTS = List.of("free money now", "meeting at noon tomorrow",
      "the quick brown fox jumps over the lazy dog");

  Dataset<Row> frame() {
    return JobTestSupport.spark().createDataset(TEXTS, org.apache.spark.sql.Encoders.STRING())
        .toDF("body");
  }

  @Test
  void transformSchemaAppendsTheScoringColumnsAndChecksTheTextColumn() {
    AdaplerTransformer t = new AdaplerTransformer().setBundle(JobTestSupport.tinyBundle())
        .setTextCol("body");
    StructType out = t.transformSchema(frame().schema());
    assertEquals(1 + ScoredColumns.SCHEMA.size(), out.size());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> t.setTextCol("missing").transformSchema(frame().schema()));
    assertTrue(e.getMessage().contains("'missing' is not in the input"), e.getMessage());
    IllegalArgumentException noBundle = assertThrows(IllegalArgumentException.class,
        () -> new AdaplerTransformer().transformSchema(frame().schema()));
    assertTrue(noBundle.getMessage().contains("setBundle"), noBundle.getMessage());
  }

  @Test
  void aPipelineStageGivesTheRuntimesResults() throws Exception {
    AdaplerTransformer t = new AdaplerTransformer().setBundle(JobTestSupport.tinyBundle())
        .setTextCol("body").setEtaScale(2f);
    Dataset<Row> out = new Pipeline().setStages(new PipelineStage[] {t}).fit(frame())
        .transform(frame());
    List<RowResult> direct = JobTestSupport.runtime(JobTestSupport.tinyBundle())
        .score(TEXTS.stream().map(TextRow::of).toList(), 2f);
    for (Row r : out.collectAsList()) {
      RowResult d = direct.get(TEXTS.indexOf((String) r.getAs("body")));
      assertEquals("OK", r.getAs("status"));
      assertEquals(d.label(), r.getAs("label"));
      assertEquals(d.layerLengths()[2], (int) r.getList(r.fieldIndex("layer_lengths")).get(2));
    }
    assertEquals(2f, t.copy(new org.apache.spark.ml.param.ParamMap()).scoreOptions().etaScale());
  }

  @Test
  void theRationalesParamAddsTheRuntimesRationaleAsTheLastColumn() throws Exception {
    AdaplerTransformer t = new AdaplerTransformer().setBundle(JobTestSupport.tinyBundle())
        .setTextCol("body").setRationales(true);
    StructType schema = t.transformSchema(frame().schema());
    assertEquals(2 + ScoredColumns.SCHEMA.size(), schema.size());
    assertEquals(ScoredColumns.RATIONALE_FIELD, schema.fields()[schema.size() - 1]);
    var runtime = JobTestSupport.runtime(JobTestSupport.tinyBundle());
    List<RowResult> direct = runtime.scoreEncoded(
        runtime.encode(TEXTS.stream().map(TextRow::of).toList()), 1f, true);
    for (Row r : t.transform(frame()).collectAsList()) {
      RowResult d = direct.get(TEXTS.indexOf((String) r.getAs("body")));
      List<Row> rationale = r.getList(r.fieldIndex(ScoredColumns.RATIONALE));
      assertEquals(d.rationale().stream().map(x -> x.token() + "@" + x.start() + "-" + x.end())
          .toList(), rationale.stream().map(x -> x.getAs("token") + "@" + x.getAs("start") + "-"
          + x.getAs("end")).toList());
    }
  }
}
