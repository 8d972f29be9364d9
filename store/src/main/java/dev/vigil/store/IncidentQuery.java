package dev.vigil.store;

/**
 * Filters and a page for listing incidents. {@code viewerTenant} restricts to incidents touching that tenant's
 * buckets, prefixes or accounts (tenant isolation); null means every incident.
 */
public record IncidentQuery(String status, Integer minSeverityRank, String touching, String viewerTenant,
    int offset, int limit) {
  public IncidentQuery {
    if (offset < 0) throw new IllegalArgumentException("offset must be >= 0");
    if (limit < 1 || limit > 500) throw new IllegalArgumentException("limit must be between 1 and 500");
  }

  public static IncidentQuery all() {
    return new IncidentQuery(null, null, null, null, 0, 100);
  }
}
