package com.salespulse.jobs;

/**
 * Row conservation for one dataset in one run: {@code rowsRead = rowsStaged + rowsQuarantined +
 * rowsDuplicate}, where duplicates are extra copies of a record within the drop (another mailbox's
 * copy, a re-sent line) collapsed into the staged row.
 */
public record DatasetCounts(String dataset, String tableName, int files, long rowsRead, long rowsStaged,
                            long rowsQuarantined, long rowsDuplicate) {

  public double quarantinedShare() {
    return rowsRead == 0 ? 0.0 : (double) rowsQuarantined / rowsRead;
  }

  public boolean conserved() {
    return rowsRead == rowsStaged + rowsQuarantined + rowsDuplicate;
  }
}
