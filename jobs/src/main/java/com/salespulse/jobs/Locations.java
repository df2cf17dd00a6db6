package com.salespulse.jobs;

import java.nio.file.Path;

/** Turns user-given locations into absolute URIs (Delta MERGE needs absolute paths). */
public final class Locations {

  private Locations() {}

  public static String absolute(String location) {
    if (location.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:/.*")) {
      return location.replaceAll("/+$", "");
    }
    return Path.of(location).toAbsolutePath().normalize().toUri().toString().replaceAll("/+$", "");
  }

  public static String child(String root, String... parts) {
    StringBuilder sb = new StringBuilder(root.replaceAll("/+$", ""));
    for (String p : parts) {
      sb.append('/').append(p);
    }
    return sb.toString();
  }
}
