package com.salespulse.transforms.staging;

import org.apache.spark.sql.Column;

/** A parsed field: its typed value (aliased to the staging column) and its error, null when valid. */
public record Parsed(Column value, Column error) {}
