package dev.vigil.simulate;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The simulated account: tenants and their buckets, IAM users and keys, SSO roles and people, machines and their
 * addresses, and the attack's fixed facts. Everything is derived from the seed.
 */
final class World {
  static final String ACCOUNT = "493771820654";
  static final String HOME = "eu-west-1";
  static final String SECOND = "eu-central-1";
  static final String GLOBAL = "us-east-1";
  static final String VENDOR_ACCOUNT = "737859062117";

  /** Azure prefixes GitHub-hosted runners draw their addresses from (a new address on every run). */
  static final String[] RUNNER_NETWORKS = {
    "4.148.0.0/16", "4.175.0.0/16", "13.64.0.0/16", "13.83.0.0/16", "20.1.128.0/17", "20.7.0.0/16",
    "20.14.0.0/16", "20.22.0.0/16", "20.25.0.0/16", "20.38.0.0/16", "20.42.0.0/16", "20.57.0.0/16",
    "20.59.0.0/16", "20.65.0.0/16", "20.69.0.0/16", "20.75.0.0/16", "20.84.0.0/16", "40.76.0.0/16",
    "52.176.0.0/16", "172.176.0.0/15", "172.182.0.0/15", "172.210.0.0/15"
  };
  /** The organisation's own egress (offices, VPN, on-premises servers). */
  static final String CORPORATE_NETWORK = "158.166.0.0/16";
  /** AWS eu-west-1 ranges: the account's instances and Lambda functions. */
  static final String[] AWS_HOME_NETWORKS = {"34.240.0.0/13", "52.16.0.0/15", "54.216.0.0/15", "3.248.0.0/13"};
  /** The monitoring vendor's collectors (AWS us-east-1). */
  static final String VENDOR_NETWORK = "3.233.144.0/20";

  /** Addresses the public reporting ties to TeamPCP's cloud activity (teampcp-iocs.json). */
  static final String IP_TRUFFLEHOG = "209.159.147.239";
  static final String IP_S3_ENUM = "170.62.100.245";
  static final String IP_ORG_RECON = "154.47.29.12";
  static final String IP_REVALIDATE = "103.75.11.59";
  /** VPS ranges the bulk download hosts come from (never used by the benign world). */
  static final String[] ATTACKER_VPS_NETWORKS = {"45.88.186.0/24", "91.215.85.0/24"};

  private static final String[] INTERNAL = {
    "agri", "budg", "clima", "cnect", "comm", "comp", "defis", "dgt", "digit", "eac", "echo", "ecfin", "empl",
    "ener", "env", "estat", "fisma", "grow", "home", "hr", "ias", "intpa", "jrc", "just", "mare", "move", "near",
    "olaf", "reform", "rtd", "sante", "scic", "sg", "sj", "taxud", "trade", "hera", "epso", "oib", "pmo", "op", "idea"
  };
  private static final String[] UNION = {
    "acer", "cdt", "cedefop", "cepol", "cpvo", "easa", "eba", "ecdc", "echa", "eea", "efca", "efsa", "eige", "ela",
    "euda", "ema", "emsa", "enisa", "era", "esma", "etf", "euosha", "eurofound", "eurojust", "fra", "frontex",
    "eacea", "hadea", "rea"
  };
  private static final String[] FIRST = {
    "anna", "marco", "sofie", "jan", "elena", "pieter", "ines", "tomas", "claire", "nikos", "eva", "lukas", "maria",
    "david", "karin", "paulo"
  };
  private static final String[] LAST = {
    "schmidt", "rossi", "dubois", "janssens", "novak", "kowalski", "garcia", "nielsen", "papadopoulos", "muller",
    "lambert", "virtanen", "silva", "horvath", "berg", "costa"
  };

  record Tenant(String name, String kind, String bucket, String region, double weight) {}

  /** An IAM user with its long-term key(s). */
  record User(String name, String principalId, String key) {
    Identity identity(String keyId) {
      return Identity.iamUser(ACCOUNT, principalId, name, keyId);
    }

    Identity identity() {
      return identity(key);
    }
  }

  /** An IAM role (principal id AROA...). {@code arn} includes the path. */
  record Role(String name, String arn, String principalId) {
    Identity session(String sessionName, String key, long created, boolean ec2) {
      return Identity.roleSession(ACCOUNT, principalId, arn, name, sessionName, key, Times.isoStatic(created), false,
          ec2);
    }
  }

  /** A person working through an IAM Identity Center (SSO) permission set. */
  record Person(String email, Role role, long activeFrom, String[] addresses, String os, boolean admin) {}

  /** A machine with a fixed public address and an instance role. */
  record Instance(String id, Role role, String address) {}

  final long seed;
  final int days;
  final long start;
  final long end;
  final long attackDay;
  final List<Tenant> tenants = new ArrayList<>();
  final String trailBucket;
  final String backupBucket;
  final String logsBucket;
  final String analyticsBucket;

  final User ci;
  final User archiver;
  final User webstats;
  final List<User> dormant = new ArrayList<>();
  final User analytics;
  final String archiverNewKey;
  final long archiverRotation;
  final long analyticsCreated;

  final Role ssoAdmin;
  final Role ssoWebOps;
  final Role ssoReadOnly;
  final Role configRole;
  final Role monitoringRole;
  final Role backupRole;
  final Role webRole;
  final Role mailRole;
  final Role lambdaRole;
  final List<Person> people = new ArrayList<>();
  final List<Instance> webServers = new ArrayList<>();
  final List<Instance> mailRelays = new ArrayList<>();
  final Instance backupHost;
  final String[] vendorAddresses;
  final String archiverAddress;
  final String webstatsAddress;
  final String analyticsAddress;

  // attack facts
  final long ciExposureRun;
  final long attackStart;
  final User persistenceUser;
  final String persistenceKey;
  final String[] downloadAddresses;

  World(long seed, int days, LocalDate attackDate, int tenantCount) {
    this.seed = seed;
    this.days = days;
    SplittableRandom r = new SplittableRandom(Ids.mix(seed, "world"));
    int tail = Math.max(1, Math.min(4, days / 7));
    this.attackDay = attackDate.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    this.end = attackDay + (1 + tail) * Times.DAY;
    this.start = end - days * Times.DAY;

    for (int i = 0; i < tenantCount; i++) {
      // interleave the 42 internal clients and 29 other Union entities so that small worlds hold both kinds
      int internalSoFar = (int) Math.round(i * 42.0 / 71);
      boolean internal = i < 71 ? Math.round((i + 1) * 42.0 / 71) > internalSoFar : i % 2 == 0;
      String name;
      if (i >= 71) {
        name = String.format("tenant-%03d", i + 1);
      } else if (internal) {
        name = "ec-" + INTERNAL[internalSoFar];
      } else {
        name = UNION[i - internalSoFar];
      }
      String bucket = "europa-ewh-" + name;
      String region = r.nextInt(5) == 0 ? SECOND : HOME;
      double weight = Math.exp(r.nextGaussian() * 0.8);
      tenants.add(new Tenant(name, internal || i >= 71 && i % 2 == 0 ? "commission" : "union-entity", bucket, region,
          weight));
    }
    trailBucket = "ewh-cloudtrail-" + ACCOUNT;
    backupBucket = "ewh-backup-" + ACCOUNT;
    logsBucket = "ewh-cloudfront-logs-" + ACCOUNT;
    analyticsBucket = "ewh-analytics-" + ACCOUNT;

    ci = user(r, "ci-deploy");
    archiver = user(r, "svc-mail-archiver");
    webstats = user(r, "svc-webstats");
    dormant.add(user(r, "ses-smtp-user.20230614-101522"));
    dormant.add(user(r, "svc-legacy-dns-sync"));
    dormant.add(user(r, "svc-newsletter-export"));
    analytics = user(r, "svc-analytics-export");
    archiverNewKey = Ids.accessKey(r, "AKIA");
    archiverRotation = at(0.38, 9, 40, r);
    analyticsCreated = at(0.45, 10, 15, r);

    ssoAdmin = ssoRole(r, "AdministratorAccess");
    ssoWebOps = ssoRole(r, "WebOps");
    ssoReadOnly = ssoRole(r, "ReadOnlyAccess");
    configRole = new Role("AWSServiceRoleForConfig",
        "arn:aws:iam::" + ACCOUNT + ":role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig",
        Ids.principalId(r, "AROA"));
    monitoringRole = role(r, "ewh-monitoring-integration");
    backupRole = role(r, "ewh-nightly-backup");
    webRole = role(r, "ewh-web-server");
    mailRole = role(r, "ewh-mail-relay");
    lambdaRole = role(r, "ewh-scheduled-jobs");

    String[] egress = new String[6];
    for (int i = 0; i < egress.length; i++) {
      egress[i] = Net.address(r, "158.166.0.0/17");
    }
    String[] oses = {"windows", "mac", "linux"};
    int[] firstIdx = shuffled(r, FIRST.length);
    int[] lastIdx = shuffled(r, LAST.length);
    for (int i = 0; i < 10; i++) {
      Role role = i < 2 ? ssoAdmin : i < 7 ? ssoWebOps : ssoReadOnly;
      // two new employees join during the period
      long from = i == 5 ? at(0.35, 8, 30, r) : i == 8 ? at(0.65, 8, 30, r) : start;
      String email = FIRST[firstIdx[i]] + "." + LAST[lastIdx[i]] + "@ec.europa.eu";
      String[] addresses = {egress[r.nextInt(egress.length)], egress[r.nextInt(egress.length)]};
      people.add(new Person(email, role, from, addresses, oses[r.nextInt(oses.length)], i < 2));
    }
    for (int i = 0; i < 4; i++) {
      webServers.add(new Instance("i-0" + Ids.hex(r, 16), webRole, awsAddress(r)));
    }
    for (int i = 0; i < 2; i++) {
      mailRelays.add(new Instance("i-0" + Ids.hex(r, 16), mailRole, awsAddress(r)));
    }
    backupHost = new Instance("i-0" + Ids.hex(r, 16), backupRole, awsAddress(r));
    vendorAddresses = new String[4];
    for (int i = 0; i < vendorAddresses.length; i++) {
      vendorAddresses[i] = Net.address(r, VENDOR_NETWORK);
    }
    archiverAddress = Net.address(r, "158.166.192.0/20");
    webstatsAddress = Net.address(r, "158.166.192.0/20");
    analyticsAddress = Net.address(r, "158.166.208.0/20");

    ciExposureRun = attackDay + 18 * Times.HOUR + 20 * Times.MINUTE + r.nextLong(25 * Times.MINUTE);
    attackStart = attackDay + 19 * Times.HOUR + 35 * Times.MINUTE + r.nextLong(30 * Times.MINUTE);
    persistenceUser = dormant.get(r.nextInt(dormant.size()));
    persistenceKey = Ids.accessKey(r, "AKIA");
    downloadAddresses = new String[] {
      IP_S3_ENUM, Net.address(r, ATTACKER_VPS_NETWORKS[0]), Net.address(r, ATTACKER_VPS_NETWORKS[1])
    };
  }

  /** A time {@code fraction} into the period on that day at about hh:mm, moved off weekends. */
  private long at(double fraction, int hour, int minute, SplittableRandom r) {
    long day = Times.startOfDay(start + (long) ((end - start) * fraction));
    while (Times.weekend(day)) {
      day += Times.DAY;
    }
    return day + hour * Times.HOUR + minute * Times.MINUTE + r.nextLong(20 * Times.MINUTE);
  }

  private static User user(SplittableRandom r, String name) {
    return new User(name, Ids.principalId(r, "AIDA"), Ids.accessKey(r, "AKIA"));
  }

  private static Role role(SplittableRandom r, String name) {
    return new Role(name, "arn:aws:iam::" + ACCOUNT + ":role/" + name, Ids.principalId(r, "AROA"));
  }

  private static Role ssoRole(SplittableRandom r, String permissionSet) {
    String name = "AWSReservedSSO_" + permissionSet + "_" + Ids.hex(r, 16);
    return new Role(name, "arn:aws:iam::" + ACCOUNT + ":role/aws-reserved/sso.amazonaws.com/" + HOME + "/" + name,
        Ids.principalId(r, "AROA"));
  }

  static String awsAddress(SplittableRandom r) {
    return Net.address(r, AWS_HOME_NETWORKS[r.nextInt(AWS_HOME_NETWORKS.length)]);
  }

  static String runnerAddress(SplittableRandom r) {
    return Net.address(r, RUNNER_NETWORKS[r.nextInt(RUNNER_NETWORKS.length)]);
  }

  private static int[] shuffled(SplittableRandom r, int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }

  Tenant pickTenant(SplittableRandom r) {
    // weights are mild (log-normal); a few draws suffice (rejection sampling keeps it O(1) and deterministic)
    while (true) {
      Tenant t = tenants.get(r.nextInt(tenants.size()));
      if (r.nextDouble() * 4 < t.weight()) {
        return t;
      }
    }
  }

  long weekOneEnd() {
    return start + 7 * Times.DAY;
  }
}
