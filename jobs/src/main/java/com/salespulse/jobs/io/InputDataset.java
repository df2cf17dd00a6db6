package com.salespulse.jobs.io;

import com.salespulse.transforms.staging.StagingTable;
import com.salespulse.transforms.staging.StgCommsCalls;
import com.salespulse.transforms.staging.StgCommsEmails;
import com.salespulse.transforms.staging.StgCommsMeetings;
import com.salespulse.transforms.staging.StgCompPayouts;
import com.salespulse.transforms.staging.StgCrmAccounts;
import com.salespulse.transforms.staging.StgCrmContacts;
import com.salespulse.transforms.staging.StgCrmEmailMessages;
import com.salespulse.transforms.staging.StgCrmEvents;
import com.salespulse.transforms.staging.StgCrmForecastingQuotas;
import com.salespulse.transforms.staging.StgCrmOpportunities;
import com.salespulse.transforms.staging.StgCrmOpportunityContactRoles;
import com.salespulse.transforms.staging.StgCrmOpportunityHistory;
import com.salespulse.transforms.staging.StgCrmOpportunitySplits;
import com.salespulse.transforms.staging.StgCrmOpportunityVersions;
import com.salespulse.transforms.staging.StgCrmTasks;
import com.salespulse.transforms.staging.StgCrmUserRoles;
import com.salespulse.transforms.staging.StgCrmUserVersions;
import com.salespulse.transforms.staging.StgCrmUsers;
import com.salespulse.transforms.staging.VersionsTable;
import java.util.Optional;

/** The datasets of the input contract, where they live in a drop and the table each feeds. */
public enum InputDataset {
  USER("crm/User", new StgCrmUsers(), new StgCrmUserVersions(), true),
  USER_ROLE("crm/UserRole", new StgCrmUserRoles(), null, true),
  ACCOUNT("crm/Account", new StgCrmAccounts(), null, true),
  CONTACT("crm/Contact", new StgCrmContacts(), null, true),
  OPPORTUNITY("crm/Opportunity", new StgCrmOpportunities(), new StgCrmOpportunityVersions(), true),
  OPPORTUNITY_HISTORY("crm/OpportunityHistory", new StgCrmOpportunityHistory(), null, true),
  OPPORTUNITY_CONTACT_ROLE("crm/OpportunityContactRole", new StgCrmOpportunityContactRoles(), null, true),
  FORECASTING_QUOTA("crm/ForecastingQuota", new StgCrmForecastingQuotas(), null, true),
  OPPORTUNITY_SPLIT("crm/OpportunitySplit", new StgCrmOpportunitySplits(), null, false),
  TASK("crm/Task", new StgCrmTasks(), null, false),
  EVENT("crm/Event", new StgCrmEvents(), null, false),
  EMAIL_MESSAGE("crm/EmailMessage", new StgCrmEmailMessages(), null, false),
  EMAIL("comms/email", new StgCommsEmails(), null, true),
  MEETING("comms/meeting", new StgCommsMeetings(), null, true),
  CALL("comms/call", new StgCommsCalls(), null, true),
  PAYOUT("comp/payout", new StgCompPayouts(), null, true);

  /** Folder below the input root, before {@code dt=YYYY-MM-DD}. */
  public final String path;
  public final StagingTable table;
  private final VersionsTable versions;
  /** Whether every drop must contain it (OpportunitySplit, Task, Event and EmailMessage are optional). */
  public final boolean required;

  InputDataset(String path, StagingTable table, VersionsTable versions, boolean required) {
    this.path = path;
    this.table = table;
    this.versions = versions;
    this.required = required;
  }

  public static InputDataset fromPath(String path) {
    for (InputDataset ds : values()) {
      if (ds.path.equals(path)) {
        return ds;
      }
    }
    throw new IllegalArgumentException("Cannot find dataset " + path + ": not in the input contract");
  }

  public Optional<VersionsTable> versions() {
    return Optional.ofNullable(versions);
  }
}
