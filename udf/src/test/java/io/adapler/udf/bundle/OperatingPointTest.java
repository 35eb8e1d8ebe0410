package io.adapler.udf.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.adapler.udf.testing.BundleCopies;
import io.adapler.udf.testing.TinyBundle;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bundle's optional calibrated operating point: read, defaulted, and refused when wrong. */
class OperatingPointTest {
  @TempDir Path tmp;

  @Test
  void withoutOneTheDefaultIsTheTrainedPoint() throws Exception {
    BundleManifest m = new BundleLoader(tmp.resolve("cache")).load(TinyBundle.dir().toString())
        .manifest();
    assertNull(m.operatingPoint());
    assertEquals(1f, m.defaultEtaScale());
  }

  @Test
  void aCalibratedOneIsTheDefault() throws Exception {
    Path dir = BundleCopies.copy(tmp.resolve("b"));
    BundleCopies.editManifest(dir, m -> m.putObject("operating_point").put("eta_scale", 1.75)
        .put("criterion", "drop <= 0.005").put("calibrated_on", "606 mails"));
    BundleManifest m = new BundleLoader(tmp.resolve("cache")).load(dir.toString()).manifest();
    assertEquals(1.75f, m.defaultEtaScale());
    assertEquals("606 mails", m.operatingPoint().calibratedOn());
  }

  @Test
  void aNegativeOrMissingEtaScaleIsRefusedNamingTheField() throws Exception {
    for (String bad : new String[] {"-1", "missing", "\"fast\""}) {
      Path dir = BundleCopies.copy(tmp.resolve("b" + bad.hashCode()));
      BundleCopies.editManifest(dir, m -> {
        ObjectNode p = m.putObject("operating_point");
        if (bad.equals("-1")) {
          p.put("eta_scale", -1);
        } else if (!bad.equals("missing")) {
          p.put("eta_scale", "fast");
        }
      });
      BundleLoadException e = assertThrows(BundleLoadException.class,
          () -> new BundleLoader(tmp.resolve("cache")).load(dir.toString()));
      assertTrue(e.getMessage().contains("'operating_point.eta_scale'")
          && e.getMessage().contains("a number >= 0"), e.getMessage());
    }
  }
}
