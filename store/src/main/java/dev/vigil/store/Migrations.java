package dev.vigil.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A tiny versioned migration runner (JDK only, no Flyway): applies {@code migrations/V<n>__<name>.sql} in order,
 * each in one transaction, and records it in {@code schema_version}. The same files run on H2 and PostgreSQL.
 */
final class Migrations {

  /** Every migration, oldest first. Add new files here; never edit an applied one. */
  static final List<String> ALL = List.of("V1__schema.sql", "V2__event_order_and_large_bodies.sql");

  private Migrations() {}

  /** Applies the migrations the database has not seen; returns the schema version afterwards. */
  static int migrate(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INT PRIMARY KEY, "
          + "description VARCHAR(200) NOT NULL, applied_at BIGINT NOT NULL)");
    }
    int current = currentVersion(c);
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      for (String file : ALL) {
        int version = Integer.parseInt(file.substring(1, file.indexOf("__")));
        if (version <= current) {
          continue;
        }
        try (Statement s = c.createStatement()) {
          for (String sql : statements(read(file))) {
            s.execute(sql);
          }
        }
        try (PreparedStatement p = c.prepareStatement(
            "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)")) {
          p.setInt(1, version);
          p.setString(2, file);
          p.setLong(3, System.currentTimeMillis());
          p.executeUpdate();
        }
        c.commit();
        current = version;
      }
    } catch (SQLException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(auto);
    }
    return current;
  }

  static int currentVersion(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
      r.next();
      return r.getInt(1);
    }
  }

  private static String read(String file) {
    try (InputStream in = Migrations.class.getResourceAsStream("migrations/" + file)) {
      if (in == null) {
        throw new IllegalStateException("migration " + file + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Splits a script on semicolons at line ends, dropping comment lines. */
  static List<String> statements(String script) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : script.split("\n")) {
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("--")) {
        continue;
      }
      current.append(line).append('\n');
      if (t.endsWith(";")) {
        String sql = current.toString().strip();
        out.add(sql.substring(0, sql.length() - 1));
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      out.add(current.toString().strip());
    }
    return out;
  }
}
