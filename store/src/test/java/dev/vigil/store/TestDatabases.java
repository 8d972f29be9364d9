package dev.vigil.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;

/** Fresh stores for tests: an embedded file, or a new schema in the CI's PostgreSQL server. */
public final class TestDatabases {
  private TestDatabases() {}

  /**
   * The PostgreSQL server the tests must use ({@code -Dvigil.test.postgresql} or env {@code VIGIL_TEST_POSTGRESQL},
   * as {@code postgresql://user:password@host:port/db}). Missing means the tests fail: they never skip.
   */
  public static String postgresqlUrl() {
    String url = System.getProperty("vigil.test.postgresql");
    if (url == null || url.isBlank() || url.startsWith("${")) {
      url = System.getenv("VIGIL_TEST_POSTGRESQL");
    }
    if (url == null || url.isBlank()) {
      throw new IllegalStateException("no PostgreSQL for the store tests: set VIGIL_TEST_POSTGRESQL="
          + "postgresql://vigil:vigil@127.0.0.1:5432/vigil (.ci/run installs and starts one)");
    }
    return url;
  }

  /** A store location for the named engine, empty. */
  public static String fresh(String engine, Path dir) throws Exception {
    if (engine.equals("h2")) {
      return dir.resolve("vigil-" + UUID.randomUUID()).toString();
    }
    String url = postgresqlUrl();
    String schema = "t_" + UUID.randomUUID().toString().replace("-", "");
    String rest = url.substring(url.indexOf("://") + 3);
    String cred = rest.substring(0, rest.lastIndexOf('@'));
    String hostDb = rest.substring(rest.lastIndexOf('@') + 1);
    String user = cred.contains(":") ? cred.substring(0, cred.indexOf(':')) : cred;
    String password = cred.contains(":") ? cred.substring(cred.indexOf(':') + 1) : "";
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + hostDb, user, password);
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }
}
