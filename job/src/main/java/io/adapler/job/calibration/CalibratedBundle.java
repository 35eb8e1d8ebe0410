package io.adapler.job.calibration;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.adapler.udf.bundle.BundleManifest;
import io.adapler.udf.bundle.ModelBundle;
import io.adapler.udf.calibration.CurvePoint;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes a copy of a bundle whose manifest carries a calibrated operating point
 * ({@code operating_point} in {@code adapler.json}) as its default eta scale, with the
 * calibration's data, criterion and curve in its provenance. The graph and tokenizer are copied
 * unchanged, so their checksums still hold.
 */
public final class CalibratedBundle {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private CalibratedBundle() {}

  /**
   * Writes the copy.
   *
   * @param source the loaded (verified) bundle
   * @param target the new bundle directory, on any Hadoop FileSystem
   * @param report the calibration, with a recommended point
   * @param mode the job's save mode: the target must not exist unless it is "overwrite"
   * @return the target path
   */
  public static String write(ModelBundle source, String target, CalibrationReport report,
      String mode,
      Configuration conf) throws IOException {
    CurvePoint p = report.recommended();
    if (p == null) {
      throw new IllegalStateException("no recommended point to write");
    }
    Path dir = new Path(target);
    FileSystem fs = dir.getFileSystem(conf);
    if (fs.exists(dir)) {
      if (!mode.equals("overwrite")) {
        throw new IllegalArgumentException("--write-bundle " + target + " exists; choose another "
            + "path or pass --mode overwrite");
      }
      fs.delete(dir, true);
    }
    fs.mkdirs(dir);
    for (String name : source.manifest().files().keySet()) {
      fs.copyFromLocalFile(false, true, new Path(source.localDir().resolve(name).toUri()),
          new Path(dir, name));
    }
    ObjectNode manifest = (ObjectNode) JSON.readTree(
        Files.readAllBytes(source.localDir().resolve(BundleManifest.FILE_NAME)));
    String on = String.format(Locale.ROOT, "%,d labelled rows of %s (label column '%s')",
        report.curve().rows(), report.input(), report.labelColumn());
    ObjectNode point = manifest.putObject("operating_point");
    point.put("eta_scale", p.etaScale()).put("criterion", report.criterion().describe())
        .put("calibrated_on", on).put("accuracy", p.accuracy()).put("f1", p.f1())
        .put("flops_speedup", p.flopsSpeedup())
        .put("accuracy_at_eta_scale_0", report.curve().full().accuracy());
    ObjectNode provenance = manifest.has("provenance") && manifest.get("provenance").isObject()
        ? (ObjectNode) manifest.get("provenance") : manifest.putObject("provenance");
    ObjectNode calibration = report.toJson();
    calibration.put("calibrated_at", Instant.now().toString())
        .put("calibrated_from_bundle", source.uri()).put("source_manifest_sha256", source.checksum());
    provenance.set("calibration", calibration);
    try (OutputStream out = fs.create(new Path(dir, BundleManifest.FILE_NAME), true)) {
      out.write(JSON.writeValueAsBytes(manifest));
    }
    return dir.toString();
  }
}
