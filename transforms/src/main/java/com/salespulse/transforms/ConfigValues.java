package com.salespulse.transforms;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Typed, range-checked reading of the configuration's key/value pairs (every default lives in
 * {@code conf/local.properties}; nothing here falls back to a value of its own). Each rules record
 * builds itself from these with its keys as constants; a wrong value fails with
 * "Cannot set KEY to VALUE: reason" (an {@link IllegalArgumentException} the CLI turns into a
 * usage error).
 */
public final class ConfigValues {

  private final Map<String, String> values;

  public ConfigValues(Map<String, String> values) {
    this.values = new TreeMap<>(values);
  }

  /** These values with some replaced (for tests and embedding). */
  public ConfigValues with(String key, String value) {
    Map<String, String> m = new TreeMap<>(values);
    m.put(key, value);
    return new ConfigValues(m);
  }

  public String text(String key) {
    String v = values.get(key);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException("Cannot read setting " + key + ": it is not set (conf/local.properties holds "
          + "every default; a --conf file may override it)");
    }
    return v.trim();
  }

  /** A text that may be left empty (its default in conf/local.properties is the empty value): "" when so. */
  public String optionalText(String key) {
    String v = values.get(key);
    return v == null ? "" : v.trim();
  }

  public int integer(String key, int min, int max) {
    String v = text(key);
    int n;
    try {
      n = Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Cannot set " + key + " to " + v + ": not a whole number");
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException("Cannot set " + key + " to " + v + ": must be between " + min + " and " + max);
    }
    return n;
  }

  /** A number in [min, max]. */
  public double decimal(String key, double min, double max) {
    String v = text(key);
    double d;
    try {
      d = Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Cannot set " + key + " to " + v + ": not a number");
    }
    if (!(d >= min && d <= max)) {
      throw new IllegalArgumentException("Cannot set " + key + " to " + v + ": must be between " + min + " and " + max);
    }
    return d;
  }

  public boolean bool(String key) {
    String v = text(key).toLowerCase(Locale.ROOT);
    return switch (v) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("Cannot set " + key + " to " + v + ": must be true or false");
    };
  }

  public String choice(String key, String... allowed) {
    String v = text(key).toLowerCase(Locale.ROOT);
    if (!Arrays.asList(allowed).contains(v)) {
      throw new IllegalArgumentException("Cannot set " + key + " to " + v + ": must be one of " + String.join(", ", allowed));
    }
    return v;
  }

  /** A comma-separated list, lower-cased (may be empty). */
  public List<String> list(String key) {
    String v = values.get(key);
    return v == null ? List.of() : Arrays.stream(v.split(","))
        .map(s -> s.trim().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty()).toList();
  }

  /** An IANA time zone id. */
  public String timezone(String key) {
    String v = text(key);
    try {
      java.time.ZoneId.of(v);
    } catch (java.time.DateTimeException e) {
      throw new IllegalArgumentException("Cannot set " + key + " to " + v + ": not a time zone id (e.g. America/New_York)");
    }
    return v;
  }
}
