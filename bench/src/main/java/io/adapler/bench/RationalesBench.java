package io.adapler.bench;

import io.adapler.udf.bundle.ModelBundle;
import io.adapler.udf.runtime.AdaplerRuntime;
import io.adapler.udf.spark.ScoredColumns;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What rationales cost: the same rows scored with and without them, interleaved, through the
 * whole job in Spark local mode ({@code --rationales}: kept positions fetched, mapped to word
 * pieces with offsets, written as a column) and through the bare runtime (fetch and mapping
 * only).
 */
final class RationalesBench {
  private RationalesBench() {}

  static Section run(String bundleDir, ModelBundle bundle, AdaplerRuntime off,
      BenchCorpus corpus, int callers, int reps, Path work) throws Exception {
    SparkSession spark = SparkOverheadBench.session(callers);
    String input = SparkOverheadBench.writeCorpus(spark, corpus,
        work.resolve("rationales-corpus.parquet"));
    String outOff = work.resolve("rationales-off").toString();
    String outOn = work.resolve("rationales-on").toString();
    Map<String, Samples> t;
    try (AdaplerRuntime on = AdaplerRuntime.open(bundle,
        off.options().toBuilder().optRationales(true).build())) {
      t = new Interleaved()
          .add("job off", () -> SparkOverheadBench.job(args(bundleDir, input, outOff, false)))
          .add("job on", () -> SparkOverheadBench.job(args(bundleDir, input, outOn, true)))
          .add("runtime off", ScoringTrial.shared(off, corpus.shares(callers), 1f))
          .add("runtime on", ScoringTrial.shared(on, corpus.shares(callers), 1f))
          .run(reps, "rationales");
    }
    // The column is there, and an OK row without one would mean rationales were not fetched.
    Dataset<Row> written = spark.read().parquet(outOn);
    long ok = written.filter("status = 'OK'").count();
    long withPieces = written.filter("status = 'OK' and size(" + ScoredColumns.RATIONALE
        + ") > 0").count();
    double pieces = written.selectExpr("avg(size(" + ScoredColumns.RATIONALE + "))")
        .first().getDouble(0);
    if (ok != corpus.size() || withPieces == 0) {
      throw new IllegalStateException("the job with rationales wrote " + ok + " OK rows of "
          + corpus.size() + ", " + withPieces + " with a rationale");
    }
    int n = corpus.size();
    Samples job = t.get("job off").over(t.get("job on"));
    Samples bare = t.get("runtime off").over(t.get("runtime on"));
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("rows", n);
    json.put("mean_rationale_pieces", pieces);
    for (String k : t.keySet()) {
      json.put("rows_per_second_" + k.replace(' ', '_'), t.get(k).inverted(n).toJson());
    }
    json.put("job_throughput_on_over_off", job.toJson());
    json.put("runtime_throughput_on_over_off", bare.toJson());
    String md = String.format("""
        ## Rationales: the same rows with and without them

        Same %d rows at eta_scale 1, %d callers, %d interleaved repetitions after a warm-up
        run of each. The job reads Parquet, scores and writes Parquet (no summary); with
        --rationales it adds the rationale column (%.1f word pieces per row on average). The
        bare runtime scores the same rows, fetching and mapping the kept positions or not.

        | path | rows/s off | rows/s on | throughput on / off |
        |---|---|---|---|
        | job | %s | %s | %s |
        | bare runtime | %s | %s | %s |
        """, n, callers, reps, pieces,
        t.get("job off").inverted(n).format("%.1f"), t.get("job on").inverted(n).format("%.1f"),
        job.format("%.3f"), t.get("runtime off").inverted(n).format("%.1f"),
        t.get("runtime on").inverted(n).format("%.1f"), bare.format("%.3f"));
    return new Section("rationales", json, md);
  }

  private static String[] args(String bundle, String input, String output, boolean rationales) {
    return new String[] {"--bundle", bundle, "--input", input, "--input-format", "parquet",
        "--id-column", "id", "--output", output, "--mode", "overwrite", "--eta-scale", "1",
        "--progress-seconds", "0", "--summary", "false", "--rationales",
        String.valueOf(rationales)};
  }
}
