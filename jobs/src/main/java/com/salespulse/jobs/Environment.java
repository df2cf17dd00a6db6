package com.salespulse.jobs;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The process environment, where secrets come from (never a settings file or the command line).
 * Tests that run commands in-process set values here instead of in the JVM's environment.
 */
final class Environment {

  private static final Map<String, String> OVERRIDES = new ConcurrentHashMap<>();

  private Environment() {}

  static String get(String name) {
    String v = OVERRIDES.get(name);
    return v != null ? v : System.getenv(name);
  }

  /** For tests in this JVM: a value that {@link #get} returns instead of the environment's (null: remove). */
  static void set(String name, String value) {
    if (value == null) {
      OVERRIDES.remove(name);
    } else {
      OVERRIDES.put(name, value);
    }
  }
}
