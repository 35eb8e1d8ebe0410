package io.adapler.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One way to run the job in the job section: a name, extra options and extra environment.
 *
 * @param name how the tables name it
 * @param args job options added after the defaults (a later option wins)
 * @param env environment variables set for the JVM ({@code JAVA_OPTS=a,b} replaces its options)
 */
record JobVariant(String name, List<String> args, Map<String, String> env) {
  /**
   * Parses {@code name=--opt value --opt2 value2 ENV=value}; a word with {@code =} and no
   * leading dash is an environment variable.
   */
  static JobVariant parse(String spec) {
    int eq = spec.indexOf('=');
    String name = eq < 0 ? spec.trim() : spec.substring(0, eq).trim();
    if (name.isEmpty()) {
      throw new IllegalArgumentException("--job-variants: expected NAME=OPTIONS, found '" + spec
          + "'");
    }
    List<String> args = new ArrayList<>();
    Map<String, String> env = new LinkedHashMap<>();
    if (eq >= 0) {
      for (String w : spec.substring(eq + 1).trim().split("\\s+")) {
        if (w.isEmpty()) {
          continue;
        }
        if (!w.startsWith("-") && w.contains("=")) {
          env.put(w.substring(0, w.indexOf('=')), w.substring(w.indexOf('=') + 1));
        } else {
          args.add(w);
        }
      }
    }
    return new JobVariant(name, List.copyOf(args), Map.copyOf(env));
  }

  /** The name with its options and environment, as the tables show it. */
  String describe() {
    if (args.isEmpty() && env.isEmpty()) {
      return name;
    }
    List<String> words = new ArrayList<>(args);
    env.forEach((k, v) -> words.add(k + "=" + v));
    return name + " (`" + String.join(" ", words) + "`)";
  }
}
