package com.salespulse.transforms;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/** The shipped defaults (conf/local.properties), the one place they live, as the tests' configuration. */
public final class TestRules {

  private TestRules() {}

  public static ConfigValues defaults() {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(Path.of("..", "conf", "local.properties"), StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read ../conf/local.properties: " + e.getMessage(), e);
    }
    Map<String, String> m = new TreeMap<>();
    p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k).trim()));
    return new ConfigValues(m);
  }
}
