package io.adapler.bench;

import ai.onnxruntime.OrtEnvironment;
import io.adapler.udf.bundle.ModelBundle;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the figures were measured on: machine, software, bundle and date. */
final class Machine {
  private Machine() {}

  static Map<String, Object> describe(ModelBundle bundle) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    m.put("host", host());
    m.put("cpu", cpuModel());
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
        + System.getProperty("os.arch"));
    m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    m.put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
    m.put("onnxruntime", OrtEnvironment.getEnvironment().getVersion());
    var g = bundle.manifest().geometry();
    m.put("bundle", bundle.manifest().name());
    m.put("bundle_checksum", bundle.checksum());
    m.put("geometry", String.format("%d layers, hidden %d, intermediate %d, heads %d, max %d"
        + " tokens", g.layers(), g.hidden(), g.intermediate(), g.heads(),
        bundle.manifest().tokenizer().maxLength()));
    return m;
  }

  static String markdown(Map<String, Object> m) {
    return String.format("Measured %s on %s: %s, %s cores, %s, %s, ONNX Runtime %s. Bundle %s"
        + " (%s).%n", m.get("date"), m.get("host"), m.get("cpu"), m.get("cores"), m.get("os"),
        m.get("java"), m.get("onnxruntime"), m.get("bundle"), m.get("geometry"));
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | RuntimeException ignored) {
      // not Linux: fall through
    }
    return System.getProperty("os.arch");
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
