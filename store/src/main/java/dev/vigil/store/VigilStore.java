package dev.vigil.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Vigil's store: alerts, incidents, events (for de-duplication and evidence), detector state, ingestion
 * checkpoints, tenants, users, tokens and the audit log. Embedded H2 (one file, no set-up) or PostgreSQL; the
 * same schema through {@link Migrations}. Thread-safe: a small fixed pool of connections.
 */
public final class VigilStore implements AutoCloseable {

  /** Which engine; a few statements differ. */
  public enum Engine { H2, POSTGRESQL }

  private static final SecureRandom RANDOM = new SecureRandom();
  private final BlockingQueue<Connection> pool;
  private final List<Connection> all = new ArrayList<>();
  private final Engine engine;
  private final String description;

  private VigilStore(String jdbcUrl, String user, String password, Engine engine, String description, int size)
      throws SQLException {
    this.engine = engine;
    this.description = description;
    this.pool = new ArrayBlockingQueue<>(size);
    for (int i = 0; i < size; i++) {
      Connection c = user == null ? DriverManager.getConnection(jdbcUrl)
          : DriverManager.getConnection(jdbcUrl, user, password);
      all.add(c);
      pool.add(c);
    }
    Connection first = all.get(0);
    Migrations.migrate(first);
  }

  /**
   * Opens a store. {@code location} is {@code postgresql://USER:PASSWORD@HOST:PORT/DB} (user, password and port
   * optional), a {@code jdbc:} URL,
   * or a file path for the embedded store (H2 adds {@code .mv.db}).
   */
  public static VigilStore open(String location) throws SQLException {
    if (location.startsWith("postgresql://") || location.startsWith("postgres://")) {
      String rest = location.substring(location.indexOf("://") + 3);
      String user = null;
      String password = null;
      int at = rest.lastIndexOf('@');
      if (at >= 0) {
        String cred = rest.substring(0, at);
        rest = rest.substring(at + 1);
        int colon = cred.indexOf(':');
        user = colon < 0 ? cred : cred.substring(0, colon);
        password = colon < 0 ? null : cred.substring(colon + 1);
      }
      String safe = "postgresql://" + (user == null ? "" : user + "@") + rest;
      return new VigilStore("jdbc:postgresql://" + rest, user, password == null ? "" : password,
          Engine.POSTGRESQL, safe, 8);
    }
    if (location.startsWith("jdbc:postgresql:")) {
      return new VigilStore(location, null, null, Engine.POSTGRESQL, "PostgreSQL", 8);
    }
    if (location.startsWith("jdbc:h2:")) {
      return new VigilStore(location, "sa", "", Engine.H2, location, 4);
    }
    Path file = Path.of(location).toAbsolutePath();
    String base = file.toString().endsWith(".mv.db")
        ? file.toString().substring(0, file.toString().length() - 6) : file.toString();
    return new VigilStore("jdbc:h2:file:" + base + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0", "sa", "", Engine.H2,
        base + ".mv.db", 4);
  }

  public Engine engine() {
    return engine;
  }

  /** Where the store lives, without any password. */
  public String description() {
    return description;
  }

  public int schemaVersion() throws SQLException {
    return with(Migrations::currentVersion);
  }

  // ---- tenants ----

  /** Creates or replaces a tenant and what it owns (kind: bucket, prefix or account). */
  public void putTenant(String name, String displayName, Collection<Touch> resources) throws SQLException {
    tx(c -> {
      if (update(c, "UPDATE tenants SET display_name = ? WHERE name = ?", displayName, name) == 0) {
        update(c, "INSERT INTO tenants (name, display_name) VALUES (?, ?)", name, displayName);
      }
      update(c, "DELETE FROM tenant_resources WHERE tenant = ?", name);
      try (PreparedStatement p = c.prepareStatement(
          "INSERT INTO tenant_resources (tenant, kind, item) VALUES (?, ?, ?)")) {
        for (Touch r : new java.util.LinkedHashSet<>(resources)) {
          p.setString(1, name);
          p.setString(2, r.kind());
          p.setString(3, r.value());
          p.addBatch();
        }
        p.executeBatch();
      }
      return null;
    });
  }

  /** Tenant name to its resources, by name. */
  public Map<String, List<Touch>> tenants() throws SQLException {
    return with(c -> {
      Map<String, List<Touch>> out = new LinkedHashMap<>();
      try (PreparedStatement p = c.prepareStatement("SELECT name FROM tenants ORDER BY name");
          ResultSet r = p.executeQuery()) {
        while (r.next()) {
          out.put(r.getString(1), new ArrayList<>());
        }
      }
      try (PreparedStatement p = c.prepareStatement(
          "SELECT tenant, kind, item FROM tenant_resources ORDER BY tenant, kind, item");
          ResultSet r = p.executeQuery()) {
        while (r.next()) {
          out.get(r.getString(1)).add(new Touch(r.getString(2), r.getString(3)));
        }
      }
      return out;
    });
  }

  // ---- users and tokens ----

  public void putUser(User user) throws SQLException {
    tx(c -> {
      if (update(c, "UPDATE users SET role = ?, tenant = ? WHERE name = ?", user.role().wire(), user.tenant(),
          user.name()) == 0) {
        update(c, "INSERT INTO users (name, role, tenant, created_at) VALUES (?, ?, ?, ?)", user.name(),
            user.role().wire(), user.tenant(), System.currentTimeMillis());
      }
      return null;
    });
  }

  public long userCount() throws SQLException {
    return count("SELECT COUNT(*) FROM users");
  }

  /** Issues a new token for a user and returns the secret; only its SHA-256 is stored. */
  public String issueToken(String userName) throws SQLException {
    byte[] raw = new byte[24];
    RANDOM.nextBytes(raw);
    String secret = "vgl_" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    tx(c -> update(c, "INSERT INTO tokens (token_hash, user_name, hint, created_at) VALUES (?, ?, ?, ?)",
        hash(secret), userName, hint(secret), System.currentTimeMillis()));
    return secret;
  }

  /** The user a token secret belongs to, if any. */
  public Optional<User> authenticate(String secret) throws SQLException {
    if (secret == null || secret.isBlank() || secret.length() > 200) {
      return Optional.empty();
    }
    return with(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT u.name, u.role, u.tenant FROM tokens t "
          + "JOIN users u ON u.name = t.user_name WHERE t.token_hash = ?")) {
        p.setString(1, hash(secret));
        try (ResultSet r = p.executeQuery()) {
          return r.next() ? Optional.of(new User(r.getString(1), Role.parse(r.getString(2)), r.getString(3)))
              : Optional.<User>empty();
        }
      }
    });
  }

  /** A token's first characters, safe to print in logs. */
  public static String hint(String secret) {
    return secret.substring(0, Math.min(8, secret.length())) + "…";
  }

  static String hash(String secret) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- events (de-duplication by event id) ----

  /** One raw event to keep. */
  public record EventRow(String eventId, long time, String raw) {}

  /**
   * Stores the events not seen before and returns their ids; events already stored (a replay after a restart,
   * a re-POSTed batch) are left out, which is how ingestion stays at-least-once without duplicate alerts.
   */
  public Set<String> storeNewEvents(List<EventRow> events) throws SQLException {
    if (events.isEmpty()) {
      return Set.of();
    }
    return tx(c -> {
      Set<String> seen = new HashSet<>();
      for (int from = 0; from < events.size(); from += 500) {
        List<EventRow> chunk = events.subList(from, Math.min(events.size(), from + 500));
        StringBuilder sql = new StringBuilder("SELECT event_id FROM events WHERE event_id IN (");
        for (int i = 0; i < chunk.size(); i++) {
          sql.append(i == 0 ? "?" : ",?");
        }
        try (PreparedStatement p = c.prepareStatement(sql.append(')').toString())) {
          for (int i = 0; i < chunk.size(); i++) {
            p.setString(i + 1, chunk.get(i).eventId());
          }
          try (ResultSet r = p.executeQuery()) {
            while (r.next()) {
              seen.add(r.getString(1));
            }
          }
        }
      }
      Set<String> fresh = new java.util.LinkedHashSet<>();
      try (PreparedStatement p = c.prepareStatement("INSERT INTO events (event_id, event_time, raw) VALUES (?, ?, ?)")) {
        for (EventRow e : events) {
          if (seen.contains(e.eventId()) || !fresh.add(e.eventId())) {
            continue;
          }
          p.setString(1, e.eventId());
          p.setLong(2, e.time());
          p.setString(3, e.raw());
          p.addBatch();
        }
        p.executeBatch();
      }
      return fresh;
    });
  }

  /** Raw JSON of the given events that are stored, oldest first. */
  public List<String> events(Collection<String> ids) throws SQLException {
    if (ids.isEmpty()) {
      return List.of();
    }
    return with(c -> {
      List<String> out = new ArrayList<>();
      List<String> list = new ArrayList<>(new java.util.LinkedHashSet<>(ids));
      List<long[]> order = new ArrayList<>();
      List<String> raws = new ArrayList<>();
      for (int from = 0; from < list.size(); from += 500) {
        List<String> chunk = list.subList(from, Math.min(list.size(), from + 500));
        StringBuilder sql = new StringBuilder("SELECT event_time, raw FROM events WHERE event_id IN (");
        for (int i = 0; i < chunk.size(); i++) {
          sql.append(i == 0 ? "?" : ",?");
        }
        try (PreparedStatement p = c.prepareStatement(sql.append(')').toString())) {
          for (int i = 0; i < chunk.size(); i++) {
            p.setString(i + 1, chunk.get(i));
          }
          try (ResultSet r = p.executeQuery()) {
            while (r.next()) {
              order.add(new long[] {r.getLong(1), raws.size()});
              raws.add(r.getString(2));
            }
          }
        }
      }
      order.sort((a, b) -> Long.compare(a[0], b[0]));
      for (long[] o : order) {
        out.add(raws.get((int) o[1]));
      }
      return out;
    });
  }

  /**
   * Every stored event's raw JSON in ingestion order, page by page (keyset pagination: memory stays flat, and it
   * reads the same on H2 and PostgreSQL). A restarted server replays them to rebuild its detectors' state.
   */
  public long replayEvents(java.util.function.Consumer<String> sink) throws SQLException {
    long last = Long.MIN_VALUE;
    long n = 0;
    while (true) {
      long from = last;
      List<Object[]> page = with(c -> {
        List<Object[]> rows = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(
            "SELECT seq, raw FROM events WHERE seq > ? ORDER BY seq FETCH FIRST 5000 ROWS ONLY")) {
          p.setLong(1, from);
          try (ResultSet r = p.executeQuery()) {
            while (r.next()) {
              rows.add(new Object[] {r.getLong(1), r.getString(2)});
            }
          }
        }
        return rows;
      });
      if (page.isEmpty()) {
        return n;
      }
      for (Object[] row : page) {
        sink.accept((String) row[1]);
        n++;
      }
      last = (Long) page.get(page.size() - 1)[0];
    }
  }

  public long eventCount() throws SQLException {
    return count("SELECT COUNT(*) FROM events");
  }

  // ---- alerts ----

  /** Stores an alert unless one with its id exists; true when it was new. */
  public boolean putAlert(StoredAlert a) throws SQLException {
    return tx(c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM alerts WHERE id = ?")) {
        p.setString(1, a.id());
        try (ResultSet r = p.executeQuery()) {
          if (r.next()) {
            update(c, "UPDATE alerts SET incident_id = ? WHERE id = ?", a.incidentId(), a.id());
            return false;
          }
        }
      }
      update(c, "INSERT INTO alerts (id, incident_id, rule_id, severity, alert_time, actor_key, source_ip, "
              + "event_ids, ocsf) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", a.id(), a.incidentId(), a.ruleId(),
          a.severity(), a.time(), a.actorKey(), a.sourceIp(), String.join(",", a.eventIds()), a.ocsf());
      return true;
    });
  }

  /** Alerts, newest first, optionally of one incident. */
  public List<StoredAlert> alerts(String incidentId, String ruleId, int offset, int limit) throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT id, incident_id, rule_id, severity, alert_time, actor_key, "
        + "source_ip, event_ids, ocsf FROM alerts WHERE 1=1");
    List<Object> args = new ArrayList<>();
    if (incidentId != null) {
      sql.append(" AND incident_id = ?");
      args.add(incidentId);
    }
    if (ruleId != null) {
      sql.append(" AND rule_id = ?");
      args.add(ruleId);
    }
    sql.append(" ORDER BY alert_time, id LIMIT ? OFFSET ?");
    args.add(limit);
    args.add(offset);
    return with(c -> {
      List<StoredAlert> out = new ArrayList<>();
      try (PreparedStatement p = prepare(c, sql.toString(), args.toArray()); ResultSet r = p.executeQuery()) {
        while (r.next()) {
          String ids = r.getString(8);
          out.add(new StoredAlert(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getLong(5),
              r.getString(6), r.getString(7), ids.isEmpty() ? List.of() : List.of(ids.split(",")),
              r.getString(9)));
        }
      }
      return out;
    });
  }

  /** Records which incident the given alerts belong to. */
  public void linkAlerts(String incidentId, Collection<String> alertIds) throws SQLException {
    tx(c -> {
      try (PreparedStatement p = c.prepareStatement("UPDATE alerts SET incident_id = ? WHERE id = ?")) {
        for (String id : alertIds) {
          p.setString(1, incidentId);
          p.setString(2, id);
          p.addBatch();
        }
        p.executeBatch();
      }
      return null;
    });
  }

  public long alertCount() throws SQLException {
    return count("SELECT COUNT(*) FROM alerts");
  }

  // ---- incidents ----

  /**
   * Creates or updates an incident from detection. Status and assignee set by analysts are kept; returns the
   * previous severity rank, or -1 when the incident is new (for "new" and "escalated" notifications).
   */
  public int putIncident(StoredIncident i) throws SQLException {
    return tx(c -> {
      int previous = -1;
      try (PreparedStatement p = c.prepareStatement("SELECT severity_rank FROM incidents WHERE id = ?")) {
        p.setString(1, i.id());
        try (ResultSet r = p.executeQuery()) {
          if (r.next()) {
            previous = r.getInt(1);
          }
        }
      }
      if (previous < 0) {
        update(c, "INSERT INTO incidents (id, title, severity, severity_rank, status, assignee, opened_at, "
                + "updated_at, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", i.id(), i.title(), i.severity(),
            i.severityRank(), i.status(), i.assignee(), i.openedAt(), i.updatedAt(), i.body());
      } else {
        update(c, "UPDATE incidents SET title = ?, severity = ?, severity_rank = ?, updated_at = ?, body = ? "
            + "WHERE id = ?", i.title(), i.severity(), i.severityRank(), i.updatedAt(), i.body(), i.id());
      }
      try (PreparedStatement p = c.prepareStatement(
          "SELECT 1 FROM incident_touches WHERE incident_id = ? AND kind = ? AND item = ?");
          PreparedStatement ins = c.prepareStatement(
              "INSERT INTO incident_touches (incident_id, kind, item) VALUES (?, ?, ?)")) {
        for (Touch t : new java.util.LinkedHashSet<>(i.touches())) {
          p.setString(1, i.id());
          p.setString(2, t.kind());
          p.setString(3, t.value());
          try (ResultSet r = p.executeQuery()) {
            if (r.next()) {
              continue;
            }
          }
          ins.setString(1, i.id());
          ins.setString(2, t.kind());
          ins.setString(3, t.value());
          ins.executeUpdate();
        }
      }
      return previous;
    });
  }

  private static final String VISIBLE = " AND EXISTS (SELECT 1 FROM incident_touches t WHERE t.incident_id = i.id"
      + " AND ((t.kind = 'tenant' AND t.item = ?) OR EXISTS (SELECT 1 FROM tenant_resources r"
      + " WHERE r.tenant = ? AND r.kind = t.kind AND r.item = t.item)))";

  /** Incidents by severity (worst first), then most recently updated. */
  public List<StoredIncident> incidents(IncidentQuery q) throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT i.id, i.title, i.severity, i.severity_rank, i.status, i.assignee,"
        + " i.opened_at, i.updated_at, i.body FROM incidents i WHERE 1=1");
    List<Object> args = new ArrayList<>();
    if (q.status() != null) {
      sql.append(" AND i.status = ?");
      args.add(q.status());
    }
    if (q.minSeverityRank() != null) {
      sql.append(" AND i.severity_rank >= ?");
      args.add(q.minSeverityRank());
    }
    if (q.touching() != null) {
      sql.append(" AND EXISTS (SELECT 1 FROM incident_touches x WHERE x.incident_id = i.id AND x.item = ?)");
      args.add(q.touching());
    }
    if (q.viewerTenant() != null) {
      sql.append(VISIBLE);
      args.add(q.viewerTenant());
      args.add(q.viewerTenant());
    }
    sql.append(" ORDER BY i.severity_rank DESC, i.updated_at DESC, i.id LIMIT ? OFFSET ?");
    args.add(q.limit());
    args.add(q.offset());
    return with(c -> {
      List<StoredIncident> out = new ArrayList<>();
      try (PreparedStatement p = prepare(c, sql.toString(), args.toArray()); ResultSet r = p.executeQuery()) {
        while (r.next()) {
          out.add(incident(c, r));
        }
      }
      return out;
    });
  }

  /** One incident; empty when it does not exist or (with a viewer tenant) does not touch that tenant. */
  public Optional<StoredIncident> incident(String id, String viewerTenant) throws SQLException {
    String sql = "SELECT i.id, i.title, i.severity, i.severity_rank, i.status, i.assignee, i.opened_at,"
        + " i.updated_at, i.body FROM incidents i WHERE i.id = ?" + (viewerTenant == null ? "" : VISIBLE);
    Object[] args = viewerTenant == null ? new Object[] {id} : new Object[] {id, viewerTenant, viewerTenant};
    return with(c -> {
      try (PreparedStatement p = prepare(c, sql, args); ResultSet r = p.executeQuery()) {
        return r.next() ? Optional.of(incident(c, r)) : Optional.<StoredIncident>empty();
      }
    });
  }

  public boolean incidentExists(String id) throws SQLException {
    return incident(id, null).isPresent();
  }

  /** An analyst's action on an incident; written to the audit log in the same transaction. */
  public boolean updateIncident(String id, String status, String assignee, User by, String action, String comment)
      throws SQLException {
    return tx(c -> {
      int n = update(c, "UPDATE incidents SET status = COALESCE(?, status), assignee = COALESCE(?, assignee), "
          + "updated_at = ? WHERE id = ?", status, assignee, System.currentTimeMillis(), id);
      if (n == 0) {
        return false;
      }
      audit(c, by.name(), action, "incident/" + id, comment);
      return true;
    });
  }

  private static StoredIncident incident(Connection c, ResultSet r) throws SQLException {
    String id = r.getString(1);
    List<Touch> touches = new ArrayList<>();
    try (PreparedStatement p = c.prepareStatement(
        "SELECT kind, item FROM incident_touches WHERE incident_id = ? ORDER BY kind, item")) {
      p.setString(1, id);
      try (ResultSet t = p.executeQuery()) {
        while (t.next()) {
          touches.add(new Touch(t.getString(1), t.getString(2)));
        }
      }
    }
    return new StoredIncident(id, r.getString(2), r.getString(3), r.getInt(4), r.getString(5), r.getString(6),
        r.getLong(7), r.getLong(8), r.getString(9), touches);
  }

  public long incidentCount() throws SQLException {
    return count("SELECT COUNT(*) FROM incidents");
  }

  // ---- detector state and checkpoints ----

  public void putDetectorState(String name, byte[] state) throws SQLException {
    tx(c -> {
      if (update(c, "UPDATE detector_state SET state = ?, updated_at = ? WHERE name = ?", state,
          System.currentTimeMillis(), name) == 0) {
        update(c, "INSERT INTO detector_state (name, state, updated_at) VALUES (?, ?, ?)", name, state,
            System.currentTimeMillis());
      }
      return null;
    });
  }

  public Optional<byte[]> detectorState(String name) throws SQLException {
    return with(c -> {
      try (PreparedStatement p = prepare(c, "SELECT state FROM detector_state WHERE name = ?", name);
          ResultSet r = p.executeQuery()) {
        return r.next() ? Optional.of(r.getBytes(1)) : Optional.<byte[]>empty();
      }
    });
  }

  public void putCheckpoint(String source, String position) throws SQLException {
    tx(c -> {
      if (update(c, "UPDATE checkpoints SET pos = ?, updated_at = ? WHERE source = ?", position,
          System.currentTimeMillis(), source) == 0) {
        update(c, "INSERT INTO checkpoints (source, pos, updated_at) VALUES (?, ?, ?)", source, position,
            System.currentTimeMillis());
      }
      return null;
    });
  }

  public Optional<String> checkpoint(String source) throws SQLException {
    return with(c -> {
      try (PreparedStatement p = prepare(c, "SELECT pos FROM checkpoints WHERE source = ?", source);
          ResultSet r = p.executeQuery()) {
        return r.next() ? Optional.of(r.getString(1)) : Optional.<String>empty();
      }
    });
  }

  // ---- audit log and quarantine ----

  public record AuditEntry(long id, long at, String user, String action, String target, String detail) {}

  public void audit(String user, String action, String target, String detail) throws SQLException {
    tx(c -> {
      audit(c, user, action, target, detail);
      return null;
    });
  }

  private static void audit(Connection c, String user, String action, String target, String detail)
      throws SQLException {
    update(c, "INSERT INTO audit_log (at, user_name, action, target, detail) VALUES (?, ?, ?, ?, ?)",
        System.currentTimeMillis(), user, action, target, detail);
  }

  public List<AuditEntry> auditLog(int limit) throws SQLException {
    return with(c -> {
      List<AuditEntry> out = new ArrayList<>();
      try (PreparedStatement p = prepare(c, "SELECT id, at, user_name, action, target, detail FROM audit_log "
          + "ORDER BY id DESC LIMIT ?", limit); ResultSet r = p.executeQuery()) {
        while (r.next()) {
          out.add(new AuditEntry(r.getLong(1), r.getLong(2), r.getString(3), r.getString(4), r.getString(5),
              r.getString(6)));
        }
      }
      return out;
    });
  }

  public void quarantine(String origin, String reason, String raw) throws SQLException {
    tx(c -> update(c, "INSERT INTO quarantine (at, origin, reason, raw) VALUES (?, ?, ?, ?)",
        System.currentTimeMillis(), origin, reason,
        raw == null ? null : raw.substring(0, Math.min(raw.length(), 100_000))));
  }

  public long quarantineCount() throws SQLException {
    return count("SELECT COUNT(*) FROM quarantine");
  }

  // ---- plumbing ----

  @FunctionalInterface
  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private long count(String sql) throws SQLException {
    return with(c -> {
      try (PreparedStatement p = c.prepareStatement(sql); ResultSet r = p.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    });
  }

  private <T> T with(Work<T> work) throws SQLException {
    Connection c = borrow();
    try {
      return work.run(c);
    } finally {
      pool.add(c);
    }
  }

  private <T> T tx(Work<T> work) throws SQLException {
    Connection c = borrow();
    try {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } finally {
      pool.add(c);
    }
  }

  private Connection borrow() throws SQLException {
    try {
      return pool.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted waiting for a store connection", e);
    }
  }

  private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
    PreparedStatement p = c.prepareStatement(sql);
    for (int i = 0; i < args.length; i++) {
      Object a = args[i];
      if (a == null) {
        p.setNull(i + 1, java.sql.Types.VARCHAR);
      } else if (a instanceof byte[] b) {
        p.setBytes(i + 1, b);
      } else {
        p.setObject(i + 1, a);
      }
    }
    return p;
  }

  private static int update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement p = prepare(c, sql, args)) {
      return p.executeUpdate();
    }
  }

  @Override
  public void close() throws SQLException {
    SQLException first = null;
    for (Connection c : all) {
      try {
        c.close();
      } catch (SQLException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
