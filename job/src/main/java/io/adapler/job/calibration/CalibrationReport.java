package io.adapler.job.calibration;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.adapler.udf.calibration.CalibrationCurve;
import io.adapler.udf.calibration.Criterion;
import io.adapler.udf.calibration.CurvePoint;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * What a calibration found: the curve, the criterion and the recommended point. Written as
 * {@code calibration.json} and as {@code calibration.html} (a self-contained page with an SVG
 * chart of accuracy and F1 against FLOPs speedup), and printed as a table.
 *
 * @param bundle the bundle's name
 * @param input the labelled input
 * @param labelColumn its label column
 * @param criterion the rule that picked the recommendation
 * @param curve the measured curve
 * @param recommended the picked point, or null when no point meets the criterion
 * @param seconds wall time of the sweep
 */
public record CalibrationReport(String bundle, String input, String labelColumn,
    Criterion criterion,
    CalibrationCurve curve, CurvePoint recommended, double seconds) {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Writes both files into the directory (any Hadoop FileSystem); returns the JSON's path. */
  public Path write(String dir, Configuration conf) throws IOException {
    Path base = new Path(dir);
    FileSystem fs = base.getFileSystem(conf);
    Path json = new Path(base, "calibration.json");
    try (OutputStream out = fs.create(json, true)) {
      out.write(JSON.writeValueAsBytes(toJson()));
    }
    try (OutputStream out = fs.create(new Path(base, "calibration.html"), true)) {
      out.write(CalibrationChart.page(this).getBytes(StandardCharsets.UTF_8));
    }
    return json;
  }

  /** The JSON document: settings, rows, the curve and the recommendation. */
  ObjectNode toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("bundle", bundle).put("input", input).put("label_column", labelColumn)
        .put("criterion", criterion.describe()).put("rows", curve.rows())
        .put("mean_input_length", curve.meanInputLength()).put("seconds", seconds);
    ObjectNode skipped = root.putObject("rows_left_out");
    curve.skipped().forEach(skipped::put);
    ArrayNode points = root.putArray("curve");
    for (CurvePoint p : curve.points()) {
      points.add(point(p));
    }
    if (recommended == null) {
      root.putNull("recommended");
    } else {
      root.set("recommended", point(recommended));
    }
    return root;
  }

  static ObjectNode point(CurvePoint p) {
    ObjectNode n = JSON.createObjectNode();
    n.put("eta_scale", p.etaScale()).put("accuracy", p.accuracy()).put("f1", p.f1())
        .put("flops_speedup", p.flopsSpeedup());
    ArrayNode layers = n.putArray("mean_layer_lengths");
    for (double l : p.meanLayerLengths()) {
      layers.add(Math.round(l * 100) / 100.0);
    }
    return n;
  }

  /** The printed table and recommendation. */
  public String toText() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "rows             %,d labelled rows scored at %d eta "
        + "scales in %.1f s; left out: %s%n", curve.rows(), curve.points().size(), seconds,
        curve.skipped()));
    sb.append(String.format(Locale.ROOT, "%10s %9s %8s %14s%n", "eta scale", "accuracy", "F1",
        "FLOPs speedup"));
    for (CurvePoint p : curve.points()) {
      sb.append(String.format(Locale.ROOT, "%10s %9.4f %8.4f %13.2fx%s%n", p.etaScale(),
          p.accuracy(), p.f1(), p.flopsSpeedup(), p == recommended ? "  <- recommended" : ""));
    }
    if (recommended == null) {
      sb.append("recommended      none: no eta scale of the grid meets ").append(criterion.describe())
          .append("; the largest speedup measured is ").append(String.format(Locale.ROOT, "%.2fx",
              curve.points().stream().mapToDouble(CurvePoint::flopsSpeedup).max().orElse(0)))
          .append(" (extend --eta-scales)\n");
    } else {
      sb.append(String.format(Locale.ROOT, "recommended      eta scale %s: accuracy %.4f "
          + "(%+.4f against eta scale 0), FLOPs speedup %.2fx (%s)%n", recommended.etaScale(),
          recommended.accuracy(), recommended.accuracy() - curve.full().accuracy(),
          recommended.flopsSpeedup(), criterion.describe()));
    }
    return sb.toString();
  }
}
