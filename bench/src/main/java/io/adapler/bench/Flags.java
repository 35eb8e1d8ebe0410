package io.adapler.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A command line of {@code --name value} pairs, read once, then taken flag by flag with a
 * validator and a default. Every error names the flag, what was expected and what was found.
 * {@link #done} reports the flags that no setting took, so a misspelt one fails instead of
 * being ignored.
 */
final class Flags {
  private final Map<String, String> values;
  private final Set<String> taken = new HashSet<>();
  private final String usage;

  private Flags(Map<String, String> values, String usage) {
    this.values = values;
    this.usage = usage;
  }

  /**
   * Reads the pairs.
   *
   * @param args the command line
   * @param usage the help text, appended to errors about the command line's shape
   * @return the flags, or null when {@code --help} or {@code -h} is among the arguments
   * @throws IllegalArgumentException for a word that is not a flag, a flag without a value, or
   *     a flag given twice
   */
  static Flags parse(String[] args, String usage) {
    if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
      return null;
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      if (!args[i].startsWith("--") || args[i].length() == 2) {
        throw new IllegalArgumentException("expected a --name value pair, found '" + args[i]
            + "'\n" + usage);
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(args[i] + ": expected a value, found the end of the"
            + " command line\n" + usage);
      }
      String previous = values.put(args[i].substring(2), args[i + 1]);
      if (previous != null) {
        throw new IllegalArgumentException(args[i] + ": expected once, found twice ('"
            + previous + "' and '" + args[i + 1] + "')");
      }
    }
    return new Flags(values, usage);
  }

  /** Whether the flag was given. */
  boolean has(String name) {
    return values.containsKey(name);
  }

  /** The flag's text, or {@code fallback}. */
  String string(String name, String fallback) {
    String v = take(name);
    return v == null ? fallback : v;
  }

  /** The flag as a path, or {@code fallback}. */
  Path path(String name, Path fallback) {
    String v = take(name);
    return v == null ? fallback : Path.of(v);
  }

  /** An integer of at least {@code min}, or {@code fallback} (not checked) when absent. */
  int integer(String name, int fallback, int min) {
    return integer(name, fallback, min, Integer.MAX_VALUE);
  }

  /** An integer from {@code min} to {@code max}, or {@code fallback} when absent. */
  int integer(String name, int fallback, int min, int max) {
    String v = take(name);
    if (v == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v.strip());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw invalid(name, max == Integer.MAX_VALUE ? "an integer >= " + min
        : "an integer from " + min + " to " + max, v);
  }

  /** Any long integer, or {@code fallback}. */
  long longInteger(String name, long fallback) {
    String v = take(name);
    if (v == null) {
      return fallback;
    }
    try {
      return Long.parseLong(v.strip());
    } catch (NumberFormatException e) {
      throw invalid(name, "an integer", v);
    }
  }

  /** A finite number of at least {@code min}, or {@code fallback}. */
  float number(String name, float fallback, float min) {
    String v = take(name);
    if (v == null) {
      return fallback;
    }
    try {
      float f = Float.parseFloat(v.strip());
      if (Float.isFinite(f) && f >= min) {
        return f;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw invalid(name, "a number >= " + min, v);
  }

  /**
   * The flag split at {@code separator}, blank items dropped, or {@code fallback} split alike.
   *
   * @throws IllegalArgumentException when no item is left
   */
  List<String> list(String name, String fallback, String separator) {
    String v = take(name);
    List<String> items = new ArrayList<>();
    for (String item : (v == null ? fallback : v).split(separator)) {
      if (!item.isBlank()) {
        items.add(item.strip());
      }
    }
    if (items.isEmpty()) {
      throw invalid(name, "at least one item, separated by '" + separator + "'", v);
    }
    return List.copyOf(items);
  }

  /** A comma list whose items are all among {@code allowed}, or {@code fallback}. */
  Set<String> someOf(String name, String fallback, Collection<String> allowed) {
    Set<String> items = new LinkedHashSet<>(list(name, fallback, ","));
    if (!allowed.containsAll(items)) {
      throw invalid(name, "some of " + new TreeSet<>(allowed), String.join(",", items));
    }
    return Set.copyOf(items);
  }

  /**
   * Ends the reading.
   *
   * @throws IllegalArgumentException naming every flag that no setting took
   */
  void done() {
    Set<String> unknown = new TreeSet<>(values.keySet());
    unknown.removeAll(taken);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unknown options " + unknown.stream().map(u -> "--" + u)
          .toList() + "\n" + usage);
    }
  }

  private String take(String name) {
    taken.add(name);
    return values.get(name);
  }

  private static IllegalArgumentException invalid(String name, String expected, String found) {
    return new IllegalArgumentException("--" + name + ": expected " + expected + ", found '"
        + found + "'");
  }
}
