package io.adapler.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.adapler.job.chart.TradeoffChart;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * {@code submit.sh chart --bundle DIR --out FILE.svg}: draws a model's trade-off chart from the
 * figures its {@code adapler.json} carries ({@code metrics.test_tradeoff}, measured by the job's
 * calibration mode, and {@code metrics.test_teacher}), with the same code as calibration.html.
 *
 * <p>Exit codes: 0 written; 2 bad options; 3 the bundle carries no measured trade-off.
 */
public final class ModelChart {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String USAGE = "usage: submit.sh chart --bundle DIR --out FILE.svg\n"
      + "  draws accuracy and F1 against FLOPs speedup from the bundle's adapler.json\n"
      + "  (metrics.test_tradeoff and, if present, metrics.test_teacher)\n";

  private ModelChart() {}

  /** Entry point for {@code submit.sh chart}. */
  public static void main(String[] args) {
    int code = run(args, System.out, System.err);
    if (code != 0) {
      System.exit(code);
    }
  }

  /** Draws the chart; returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    String bundle = null;
    String target = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--help") || a.equals("-h")) {
        out.print(USAGE);
        return 0;
      }
      if ((a.equals("--bundle") || a.equals("--out")) && i + 1 < args.length) {
        if (a.equals("--bundle")) {
          bundle = args[++i];
        } else {
          target = args[++i];
        }
      } else {
        err.print("error: unknown or incomplete option " + a + "\n" + USAGE);
        return ScoringJob.EXIT_OPTIONS;
      }
    }
    if (bundle == null || target == null) {
      err.print("error: --bundle and --out are both required\n" + USAGE);
      return ScoringJob.EXIT_OPTIONS;
    }
    Configuration conf = new Configuration();
    try {
      String svg = chart(readManifest(bundle, conf), bundle);
      Path path = new Path(target);
      FileSystem fs = path.getFileSystem(conf);
      fs.setWriteChecksum(false); // no .crc file beside a chart on a local disk
      try (OutputStream o = fs.create(path, true)) {
        o.write(svg.getBytes(StandardCharsets.UTF_8));
      }
      out.println("[adapler] chart: " + target);
      return 0;
    } catch (IllegalArgumentException | IOException e) {
      err.println("error: " + e.getMessage());
      return ScoringJob.EXIT_BUNDLE;
    }
  }

  /** The chart of a manifest's measured trade-off; the teacher as its own point when present. */
  static String chart(JsonNode manifest, String bundle) {
    JsonNode metrics = manifest.path("metrics");
    JsonNode curve = metrics.path("test_tradeoff");
    if (!curve.isArray() || curve.isEmpty()) {
      throw new IllegalArgumentException(bundle + "/adapler.json has no metrics.test_tradeoff: "
          + "measure the model with submit.sh calibrate first (model/scripts/ship-spam-model.sh "
          + "shows how)");
    }
    List<TradeoffChart.Point> points = new ArrayList<>();
    for (JsonNode p : curve) {
      points.add(new TradeoffChart.Point(p.path("eta_scale").asDouble(),
          p.path("speedup").asDouble(), p.path("accuracy").asDouble(), p.path("f1").asDouble()));
    }
    String name = new Path(bundle).getName();
    TradeoffChart.Builder chart = TradeoffChart.builder(points)
        .optTitle(name + ": accuracy and F1 against FLOPs speedup on its test split");
    JsonNode teacher = metrics.path("test_teacher");
    if (teacher.has("accuracy")) {
      chart.optTeacher(teacher.get("accuracy").asDouble());
    }
    JsonNode operating = manifest.path("operating_point").path("eta_scale");
    double defaultEta = operating.isNumber() ? operating.asDouble() : 1;
    if (points.stream().anyMatch(p -> p.etaScale() == defaultEta)) {
      chart.optRecommended(defaultEta, operating.isNumber() ? "the bundle's default"
          : "the trained point (default)");
    }
    return chart.svg();
  }

  private static JsonNode readManifest(String bundle, Configuration conf) throws IOException {
    Path manifest = new Path(bundle, "adapler.json");
    FileSystem fs = manifest.getFileSystem(conf);
    if (!fs.exists(manifest)) {
      throw new IllegalArgumentException(manifest + " not found: --bundle must name a model "
          + "bundle directory");
    }
    try (InputStream in = fs.open(manifest)) {
      return JSON.readTree(in);
    }
  }
}
