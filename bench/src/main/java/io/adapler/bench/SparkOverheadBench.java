package io.adapler.bench;

import io.adapler.job.ScoringJob;
import io.adapler.udf.runtime.AdaplerRuntime;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The whole job in Spark local mode (read Parquet, score, write Parquet and the summary)
 * against the bare runtime on the same rows with the same concurrency, interleaved. The job
 * runs in this JVM through {@link ScoringJob#run}, as a pipeline would call it.
 */
final class SparkOverheadBench {
  private SparkOverheadBench() {}

  /** The figure the targets table needs: job time over bare time, minus 1. */
  record Result(Section section, double overhead) {}

  static Result run(String bundle, AdaplerRuntime bare, PlainGraph baseline, BenchCorpus corpus,
      int callers, int reps, Path work) throws Exception {
    long start = System.nanoTime();
    SparkSession spark = session(callers);
    double startup = (System.nanoTime() - start) / 1e9;
    String input = writeCorpus(spark, corpus, work.resolve("corpus.parquet"));
    String output = work.resolve("scored").toString();
    String[] args = {"--bundle", bundle, "--input", input, "--input-format", "parquet",
        "--id-column", "id", "--output", output, "--mode", "overwrite", "--eta-scale", "1",
        "--progress-seconds", "0"};
    Interleaved runs = new Interleaved()
        .add("job", () -> job(args))
        .add("bare", ScoringTrial.shared(bare, corpus.shares(callers), 1f));
    if (baseline != null) {
      runs.add("baseline", new BaselineTrial(baseline, corpus.shares(callers)));
    }
    Map<String, Samples> t = runs.run(reps, "spark");
    Dataset<Row> out = spark.read().parquet(output);
    long written = out.count();
    long ok = out.filter("status = 'OK'").count();
    if (written != corpus.size() || ok != corpus.size()) {
      throw new IllegalStateException("the job wrote " + written + " rows (" + ok + " OK) for "
          + corpus.size() + " input rows");
    }
    Samples ratio = t.get("job").over(t.get("bare"));
    double overhead = ratio.median() - 1;
    int n = corpus.size();
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("rows", n);
    json.put("spark_session_start_seconds", startup);
    json.put("rows_per_second_job", t.get("job").inverted(n).toJson());
    json.put("rows_per_second_bare", t.get("bare").inverted(n).toJson());
    json.put("job_time_over_bare_time", ratio.toJson());
    json.put("overhead", overhead);
    String vsBase = "";
    if (baseline != null) {
      Samples jobOverBase = t.get("baseline").over(t.get("job"));
      Samples bareOverBase = t.get("baseline").over(t.get("bare"));
      json.put("rows_per_second_baseline", t.get("baseline").inverted(n).toJson());
      json.put("job_throughput_over_baseline", jobOverBase.toJson());
      json.put("bare_throughput_over_baseline", bareOverBase.toJson());
      vsBase = String.format("""
          | rows/s, baseline (plain graph, per row) | %s |
          | throughput / baseline's: job, bare runtime | %s, %s |
          """, t.get("baseline").inverted(n).format("%.1f"), jobOverBase.format("%.3f"),
          bareOverBase.format("%.3f"));
    }
    String md = String.format("""
        ## Spark overhead: the job in local mode against the bare runtime

        Same %d rows at eta_scale 1; the job reads them from Parquet (one file), scores them
        on local[%d] and writes Parquet plus its summary; the bare runtime scores them on %d
        threads. %d interleaved repetitions after a warm-up run of each; the output was read
        back: %d rows, all OK. Starting the Spark session (once per JVM, not counted): %.1f s.

        | figure | value |
        |---|---|
        | rows/s, job | %s |
        | rows/s, bare runtime | %s |
        | job time / bare time | %s |
        | Spark overhead | **%.1f%%** |
        """ + vsBase + """

        This is the job warm in the bench's JVM on %d rows of one Parquet file; the job
        section runs it the way a user does (a cold JVM on the mails' JSON files).
        """, n, callers, callers, reps, written, startup,
        t.get("job").inverted(n).format("%.1f"), t.get("bare").inverted(n).format("%.1f"),
        ratio.format("%.3f"), 100 * overhead, n);
    return new Result(new Section("spark", json, md), overhead);
  }

  /** The local session the job will find (getOrCreate): one thread per caller. */
  static SparkSession session(int callers) {
    SparkSession spark = SparkSession.builder().appName("adapler-bench")
        .master("local[" + callers + "]").config("spark.ui.enabled", "false")
        .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
        .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    return spark;
  }

  /** Writes the rows (id, text) as one Parquet file, for the job to read. */
  static String writeCorpus(SparkSession spark, BenchCorpus corpus, Path file) {
    StructType schema = new StructType().add("id", DataTypes.StringType)
        .add("text", DataTypes.StringType);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < corpus.size(); i++) {
      rows.add(RowFactory.create(corpus.ids().get(i), corpus.texts().get(i).text()));
    }
    spark.createDataFrame(rows, schema).coalesce(1).write().mode("overwrite")
        .parquet(file.toString());
    return file.toString();
  }

  /** Runs the job in this JVM; returns its seconds, or throws with its log. */
  static double job(String[] args) {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    long start = System.nanoTime();
    int code = ScoringJob.run(args, new PrintStream(log, true, StandardCharsets.UTF_8),
        new PrintStream(log, true, StandardCharsets.UTF_8));
    double seconds = (System.nanoTime() - start) / 1e9;
    if (code != 0) {
      throw new IllegalStateException("the job exited with " + code + ":\n"
          + log.toString(StandardCharsets.UTF_8));
    }
    return seconds;
  }
}
