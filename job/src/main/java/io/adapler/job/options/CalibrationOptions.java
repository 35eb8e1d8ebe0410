package io.adapler.job.options;

import io.adapler.udf.calibration.Criterion;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The calibration mode's options: its own ({@code --label-column}, {@code --eta-scales},
 * {@code --max-accuracy-drop} or {@code --target-speedup}, {@code --write-bundle}) plus the
 * job's options for reading the input and running the model ({@link JobOptions}); its
 * {@code --output} is the directory that receives the curve.
 *
 * @param job the job's options (input, columns, bundle, device, batching, output, mode)
 * @param labelColumn the column with the true labels
 * @param scales the eta-scale grid
 * @param criterion how the operating point is picked
 * @param writeBundle where to write a copy of the bundle with the operating point as its
 *     default, or empty for none
 */
public record CalibrationOptions(JobOptions job, String labelColumn, float[] scales,
    Criterion criterion, String writeBundle) {

  /** The default grid: 0 to 3 in steps of 0.25. */
  static final String DEFAULT_SCALES = "0,0.25,0.5,0.75,1,1.25,1.5,1.75,2,2.25,2.5,2.75,3";
  /** The default criterion: at most half a point of accuracy below eta scale 0. */
  static final double DEFAULT_DROP = 0.005;

  private static final List<String> OWN = List.of("label-column", "eta-scales",
      "max-accuracy-drop", "target-speedup", "write-bundle");

  /**
   * Parses the arguments.
   *
   * @param args {@code --name value} or {@code --name=value} pairs
   * @return the options, or null when {@code --help} was asked for
   * @throws IllegalArgumentException naming the option and what it accepts
   */
  public static CalibrationOptions parse(String... args) {
    List<String> rest = new ArrayList<>();
    String label = null;
    String scales = DEFAULT_SCALES;
    String drop = null;
    String target = null;
    String bundleOut = "";
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String name = a.startsWith("--") ? a.substring(2) : a;
      String value = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      if (!a.startsWith("--") || !OWN.contains(name)) {
        rest.add(a);
        continue;
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("option --" + name + " needs a value");
        }
        value = args[++i];
      }
      switch (name) {
        case "label-column" -> label = value.strip();
        case "eta-scales" -> scales = value;
        case "max-accuracy-drop" -> drop = value;
        case "target-speedup" -> target = value;
        default -> bundleOut = value.strip();
      }
    }
    if (rest.contains("--help")) {
      return null;
    }
    if (label == null || label.isEmpty()) {
      throw new IllegalArgumentException("--label-column is required: the column with the true "
          + "labels (the bundle's label strings, or class indexes)");
    }
    rest.add("--pass-through"); // the reader keeps only the columns it is told of
    rest.add(label);
    JobOptions job = JobOptions.parse(rest.toArray(String[]::new));
    return new CalibrationOptions(job, label, scales(scales), criterion(drop, target), bundleOut);
  }

  private static float[] scales(String csv) {
    String[] parts = csv.split(",");
    float[] out = new float[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        out[i] = Float.parseFloat(parts[i].strip());
      } catch (NumberFormatException e) {
        out[i] = Float.NaN;
      }
      if (!(out[i] >= 0) || Float.isInfinite(out[i])) {
        throw new IllegalArgumentException("--eta-scales must be comma-separated numbers >= 0, "
            + "found '" + parts[i].strip() + "' in '" + csv + "'");
      }
    }
    return out;
  }

  private static Criterion criterion(String drop, String target) {
    if (drop != null && target != null) {
      throw new IllegalArgumentException("give --max-accuracy-drop or --target-speedup, not both");
    }
    try {
      if (target != null) {
        return new Criterion.TargetSpeedup(Double.parseDouble(target.strip()));
      }
      return new Criterion.MaxAccuracyDrop(drop == null ? DEFAULT_DROP
          : Double.parseDouble(drop.strip()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + (target != null ? "target-speedup" : "max-accuracy-drop")
          + " must be a number, found '" + (target != null ? target : drop) + "'", e);
    }
  }

  /** Returns the text {@code --help} prints. */
  public static String helpText() {
    return "Usage: submit.sh calibrate --input PATH --label-column COL --bundle PATH --output DIR "
        + "[options]\n\n"
        + "Scores a labelled sample at a grid of eta scales in one pass and writes the speed/\n"
        + "accuracy curve (DIR/calibration.json, DIR/calibration.html) and the recommended eta "
        + "scale.\n\nCalibration options:\n"
        + String.format(Locale.ROOT, "  --%-20s %s%n", "label-column",
            "Column with the true labels: the bundle's label strings or class indexes (required).")
        + String.format(Locale.ROOT, "  --%-20s %s%n  %-22s default: %s%n", "eta-scales",
            "Comma-separated eta scales to measure (0 is always added).", "", DEFAULT_SCALES)
        + String.format(Locale.ROOT, "  --%-20s %s%n  %-22s default: %s%n", "max-accuracy-drop",
            "Recommend the fastest eta scale whose accuracy is at most this far below eta scale "
                + "0's (a fraction: 0.005 is half a point).", "", DEFAULT_DROP)
        + String.format(Locale.ROOT, "  --%-20s %s%n", "target-speedup",
            "Or: recommend the most accurate eta scale with at least this FLOPs speedup.")
        + String.format(Locale.ROOT, "  --%-20s %s%n", "write-bundle",
            "Also write a copy of the bundle here whose default eta scale is the recommended one.")
        + "\nThe job's options below read the input and run the model (--eta-scale, --id-column,\n"
        + "--pass-through, --partitions and --summary do not apply).\n\n"
        + JobOption.helpText();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CalibrationOptions c && job.equals(c.job) && labelColumn.equals(c.labelColumn)
        && Arrays.equals(scales, c.scales) && criterion.equals(c.criterion)
        && writeBundle.equals(c.writeBundle);
  }

  @Override
  public int hashCode() {
    return 31 * job.hashCode() + Arrays.hashCode(scales);
  }

  @Override
  public String toString() {
    return "CalibrationOptions[label " + labelColumn + ", scales " + Arrays.toString(scales) + ", "
        + criterion + ", write-bundle '" + writeBundle + "', " + job + "]";
  }
}
