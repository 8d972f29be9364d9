package dev.vigil.respond.notice;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What an investigation established, in the terms a GDPR notification needs.
 *
 * @param controller       the organisation notifying (the controller, or the processor informing controllers)
 * @param contactPoint     name and contact details of the DPO or other contact point (Art. 33(3)(b))
 * @param awareness        when the organisation became aware of the breach: the 72-hour clock starts here
 * @param breachStart      first malicious activity
 * @param breachEnd        last malicious activity seen
 * @param nature           one paragraph: what happened, how (Art. 33(3)(a))
 * @param tenants          per affected tenant (client, data controller) figures
 * @param measuresTaken    what was done to address the breach and mitigate its effects (Art. 33(3)(d))
 * @param measuresProposed what is still to be done
 */
public record BreachFacts(
    String controller,
    String contactPoint,
    Instant awareness,
    Instant breachStart,
    Instant breachEnd,
    String nature,
    List<TenantImpact> tenants,
    List<String> measuresTaken,
    List<String> measuresProposed) {

  public BreachFacts {
    Objects.requireNonNull(controller, "controller");
    Objects.requireNonNull(awareness, "awareness");
    tenants = List.copyOf(tenants);
    measuresTaken = List.copyOf(measuresTaken);
    measuresProposed = List.copyOf(measuresProposed);
  }

  /**
   * One tenant's share of the breach.
   *
   * @param dataSubjects approximate number of people concerned (distinct e-mail addresses)
   * @param records      approximate number of personal data records (messages and other objects holding them)
   * @param categories   categories of personal data
   * @param samples      redacted examples, never the data itself
   */
  public record TenantImpact(
      String tenant,
      String contact,
      long objectsRead,
      long bytesRead,
      long dataSubjects,
      long records,
      List<String> categories,
      List<String> samples) {

    public TenantImpact {
      categories = List.copyOf(categories);
      samples = List.copyOf(samples);
    }
  }

  public long totalDataSubjects() {
    return tenants.stream().mapToLong(TenantImpact::dataSubjects).sum();
  }

  public long totalRecords() {
    return tenants.stream().mapToLong(TenantImpact::records).sum();
  }

  public long totalBytes() {
    return tenants.stream().mapToLong(TenantImpact::bytesRead).sum();
  }

  public long totalObjects() {
    return tenants.stream().mapToLong(TenantImpact::objectsRead).sum();
  }

  /** Every category present in any tenant, in first-seen order. */
  public List<String> categories() {
    return tenants.stream().flatMap(t -> t.categories().stream()).distinct().toList();
  }
}
