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
    m.put("cpu_flags", cpuFlags());
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
    return String.format("Measured %s on %s: %s, %s cores (flags: %s), %s, %s, ONNX Runtime %s."
        + " Bundle %s (%s).%n", m.get("date"), m.get("host"), m.get("cpu"), m.get("cores"),
        m.get("cpu_flags"), m.get("os"),
        m.get("java"), m.get("onnxruntime"), m.get("bundle"), m.get("geometry"));
  }

  static String cpuModel() {
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

  /** Instruction sets that decide fp32, int8 and bf16 kernels, as /proc/cpuinfo lists them. */
  static final java.util.List<String> FLAGS_OF_INTEREST = java.util.List.of("avx2", "fma",
      "avx512f", "avx512bw", "avx512_vnni", "avx_vnni", "avx512_bf16", "amx_tile", "amx_int8",
      "amx_bf16");

  /** The flags of {@link #FLAGS_OF_INTEREST} this CPU has (empty when not Linux). */
  static java.util.List<String> cpuFlags() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("flags")) {
          java.util.Set<String> have = java.util.Set.of(
              line.substring(line.indexOf(':') + 1).trim().split("\\s+"));
          return FLAGS_OF_INTEREST.stream().filter(have::contains).toList();
        }
      }
    } catch (IOException | RuntimeException ignored) {
      // not Linux: no flags
    }
    return java.util.List.of();
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
