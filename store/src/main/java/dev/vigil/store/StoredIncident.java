package dev.vigil.store;

import java.util.List;

/**
 * An incident as stored: the columns analysts filter on, plus {@code body}, the incident's full JSON
 * (OCSF Incident Finding with Vigil's details: stages, tenants with objects/bytes, alert ids).
 */
public record StoredIncident(String id, String title, String severity, int severityRank, String status,
    String assignee, long openedAt, long updatedAt, String body, List<Touch> touches) {}
