package io.adapler.bench;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.adapler.job.ScoringJob;
import io.adapler.udf.bundle.BundleLoader;
import io.adapler.udf.bundle.ModelBundle;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A memory soak of the scoring job: many rows through ONE executor (Spark local mode, so the
 * driver, the executor and its shared runtime are this JVM), sampling heap and resident memory
 * every few thousand rows, then the verdict of {@link SoakReport}: after warm-up the resident
 * memory must stay flat. The rows are the SpamAssassin mails cycled, each copy with its own
 * id; they go through {@link ScoringJob#run}, the job exactly as {@code submit.sh} runs it
 * (read Parquet, repartition, score, write Parquet and the summary).
 *
 * <p>Run with {@code ./bench.sh --soak} (which pins the heap, so that what grows is what the
 * scoring path holds, not the heap being committed lazily); options: {@link SoakSettings}.
 * Exit code 1 when the growth is over the limit.
 */
public final class MemorySoak {
  private MemorySoak() {}

  public static void main(String[] args) throws Exception {
    SoakSettings s;
    try {
      s = SoakSettings.parse(args);
    } catch (IllegalArgumentException e) { // a usage error: the message says it all
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    if (s == null) {
      System.out.print(SoakSettings.HELP);
      return;
    }
    SoakReport report = run(s, System.out);
    if (!report.passed()) {
      System.exit(1);
    }
  }

  /**
   * Runs the soak in this JVM and writes {@code soak.json} and {@code soak.md} under the
   * settings' out directory.
   *
   * @return the samples and the verdict
   */
  static SoakReport run(SoakSettings s, PrintStream log) throws Exception {
    Files.createDirectories(s.out());
    Path work = Files.createTempDirectory(s.out(), "work");
    SparkSession spark = SparkSession.builder().appName("adapler-soak")
        .master("local[" + s.callers() + "]").config("spark.ui.enabled", "false")
        .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
        .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    try {
      ModelBundle bundle = BundleLoader.shared().load(s.bundle());
      String input = work.resolve("corpus.parquet").toString();
      String output = work.resolve("scored").toString();
      int mails = writeInput(spark, s, input);
      log.printf(Locale.ROOT, "[soak] %s: %,d rows (%,d mails cycled) in %d tasks on local[%d],"
          + " a sample every %,d rows; heap max %.0f MiB%n", bundle.label(), s.rows(), mails,
          s.partitions(), s.callers(), s.sampleEvery(),
          Runtime.getRuntime().maxMemory() / (1024.0 * 1024.0));
      String[] args = {"--bundle", s.bundle(), "--input", input, "--id-column", "id",
          "--output", output, "--mode", "overwrite", "--partitions", String.valueOf(s.partitions()),
          "--progress-seconds", "0"};
      long start = System.nanoTime();
      List<MemorySampler.Sample> samples;
      try (MemorySampler sampler = MemorySampler.start(spark.sparkContext(), s.sampleEvery(),
          x -> log.printf(Locale.ROOT, "[soak] %,8d rows %6.0f s  heap %7.1f MiB  direct %5.1f"
              + " MiB  RSS %7.1f MiB%n", x.rows(), x.seconds(), x.heapMiB(), x.directMiB(),
              x.rssMiB()))) {
        int code = ScoringJob.run(args, log, log);
        if (code != 0) {
          throw new IllegalStateException("the scoring job exited with " + code);
        }
        waitForEvents(sampler, s.rows());
        sampler.take(sampler.rows());
        samples = sampler.samples();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      checkOutput(spark, output, s.rows());
      SoakReport report = SoakReport.of(samples, s.warmupFraction(), s.rows(), seconds,
          MemorySampler.procStatusKiB("VmHWM") / 1024.0, Files.size(bundle.modelPath()),
          bytes(bundle.localDir()), s.window(), s.maxGrowth());
      write(s, bundle, report, log);
      return report;
    } finally {
      spark.stop();
      deleteTree(work);
    }
  }

  /** The mails cycled to {@code rows} rows with ids {@code <mail id>#<n>}, as one Parquet file. */
  private static int writeInput(SparkSession spark, SoakSettings s, String path)
      throws IOException {
    BenchCorpus corpus = BenchCorpus.all(s.data(), s.seed());
    List<Row> mails = new ArrayList<>(corpus.size());
    for (int i = 0; i < corpus.size(); i++) {
      String text = corpus.texts().get(i).text();
      if (s.maxChars() > 0 && text.length() > s.maxChars()) {
        text = text.substring(0, s.maxChars());
      }
      mails.add(RowFactory.create((long) i, corpus.ids().get(i), text));
    }
    StructType schema = new StructType().add("k", DataTypes.LongType)
        .add("mail", DataTypes.StringType).add("text", DataTypes.StringType);
    // Built by Spark from a range, so the driver never holds the cycled rows themselves.
    Dataset<Row> rows = spark.range(0, s.rows(), 1, 1).withColumn("k", col("id").mod(mails.size()));
    rows.join(broadcast(spark.createDataFrame(mails, schema)), "k")
        .select(concat(col("mail"), lit("#"), col("id")).as("id"), col("text"))
        .write().mode("overwrite").parquet(path);
    return mails.size();
  }

  /** The listener bus is asynchronous: the last tasks' ends may arrive after the job returns. */
  private static void waitForEvents(MemorySampler sampler, long rows) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (sampler.rows() < rows && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
  }

  private static void checkOutput(SparkSession spark, String output, long rows) {
    Dataset<Row> out = spark.read().parquet(output);
    long written = out.count();
    long ok = out.filter("status = 'OK'").count();
    if (written != rows) {
      throw new IllegalStateException("the job wrote " + written + " rows for " + rows
          + " input rows");
    }
    if (ok < rows * 0.9) { // a few mails may be EMPTY; many failures would void the soak
      throw new IllegalStateException("only " + ok + " of " + rows + " rows scored OK");
    }
  }

  private static void write(SoakSettings s, ModelBundle bundle, SoakReport report,
      PrintStream log) throws IOException {
    Map<String, Object> machine = Machine.describe(bundle);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("machine", machine);
    json.put("settings", s.toJson());
    json.put("jvm", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()
        .stream().filter(a -> a.startsWith("-X")).toList());
    json.put("soak", report.toJson());
    Path jsonFile = s.out().resolve("soak.json");
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(jsonFile.toFile(),
        json);
    String md = "# adapler-spark memory soak\n\n" + Machine.markdown(machine) + "JVM: "
        + json.get("jvm") + ".\n\n" + report.markdown();
    Path mdFile = s.out().resolve("soak.md");
    Files.writeString(mdFile, md, StandardCharsets.UTF_8);
    log.println();
    log.print(report.markdown());
    log.printf("[soak] wrote %s and %s%n", jsonFile, mdFile);
  }

  private static long bytes(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
