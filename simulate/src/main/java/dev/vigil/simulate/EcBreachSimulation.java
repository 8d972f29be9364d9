package dev.vigil.simulate;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Simulates the European Commission cloud breach of March 2026 as CloudTrail would have logged it: a hosting
 * account with many tenants and a month of ordinary activity, into which a stolen CI key is validated, persisted,
 * used for reconnaissance and for a bulk download of the tenants' data. Writes the S3 delivery layout and
 * {@code truth.json} (the ground truth: which events the attacker made and what was taken).
 *
 * <p>Deterministic: the same options give a byte-identical tree. Streaming: events are generated in time order
 * and written as they come, so memory does not grow with the number of events.
 */
public final class EcBreachSimulation {

  /** Options; see {@link #defaults()}. */
  public record Options(long seed, int days, long backgroundEvents, int tenants, LocalDate attackDate,
      int compressionLevel) {

    public Options {
      if (days < 2 || days > 400) {
        throw new IllegalArgumentException("--days must be between 2 and 400 (got " + days + ")");
      }
      if (tenants < 1 || tenants > 2000) {
        throw new IllegalArgumentException("--tenants must be between 1 and 2000 (got " + tenants + ")");
      }
      if (compressionLevel < 1 || compressionLevel > 9) {
        throw new IllegalArgumentException("compression level must be between 1 and 9 (got " + compressionLevel + ")");
      }
      if (backgroundEvents < 0) {
        throw new IllegalArgumentException("--background-events must not be negative");
      }
    }

    public Options withSeed(long s) {
      return new Options(s, days, backgroundEvents, tenants, attackDate, compressionLevel);
    }

    public Options withBackgroundEvents(long n) {
      return new Options(seed, days, n, tenants, attackDate, compressionLevel);
    }

    public Options withDays(int d) {
      return new Options(seed, d, backgroundEvents, tenants, attackDate, compressionLevel);
    }

    public Options withTenants(int t) {
      return new Options(seed, days, backgroundEvents, t, attackDate, compressionLevel);
    }
  }

  public static final LocalDate DEFAULT_ATTACK_DATE = LocalDate.of(2026, 3, 19);

  /** 30 days ending four days after the attack, 200,000 background events, 71 tenants, seed 1. */
  public static Options defaults() {
    return new Options(1, 30, 200_000, 71, DEFAULT_ATTACK_DATE, 6);
  }

  /** Progress while writing. */
  public interface Progress {
    void update(long written, long total);
  }

  /** What was written. */
  public record Summary(long events, long backgroundEvents, long attackerEvents, long files, Path truth,
      String firstAttackerEventId, long bytesStolen, long objectsStolen) {}

  private EcBreachSimulation() {}

  /** The fewest background events the world needs for these options (every tenant backed up every night...). */
  public static long minimumBackgroundEvents(Options o) {
    World w = new World(o.seed(), o.days(), o.attackDate(), o.tenants());
    long min = 0;
    for (Actor a : background(w)) {
      min += a.minimum();
    }
    return min;
  }

  /** How many events the attack adds for these options (it does not depend on the seed or the background). */
  public static long attackerEvents(Options o) {
    return new Attacker(new World(o.seed(), o.days(), o.attackDate(), o.tenants())).plannedEvents;
  }

  static List<Actor> background(World w) {
    List<Actor> actors = new ArrayList<>();
    actors.add(new MachineActors.CloudFrontOrigin(w));
    actors.add(new MachineActors.Instances(w));
    actors.add(new MachineActors.MailRelay(w));
    actors.add(new MachineActors.NightlyBackup(w));
    actors.add(new MachineActors.Monitoring(w));
    actors.add(new MachineActors.ConfigRecorder(w));
    actors.add(new MachineActors.TrailService(w));
    actors.add(new MachineActors.ScheduledJobs(w));
    actors.add(new PeopleActors.CiDeploy(w));
    for (int i = 0; i < w.people.size(); i++) {
      actors.add(new PeopleActors.Operator(w, w.people.get(i), i));
    }
    actors.add(new PeopleActors.IamChanges(w));
    actors.add(new PeopleActors.MailArchiver(w));
    actors.add(new PeopleActors.WebStats(w));
    actors.add(new PeopleActors.AnalyticsExport(w));
    return actors;
  }

  private static final class Pending {
    final long time;
    final long seq;
    final SimEvent event;
    final Actor actor;

    Pending(long time, long seq, SimEvent event, Actor actor) {
      this.time = time;
      this.seq = seq;
      this.event = event;
      this.actor = actor;
    }
  }

  /** Writes the dataset into {@code out} (which should be empty), without the mirror, and returns what was written. */
  public static Summary write(Path out, Options o, Progress progress) throws IOException {
    return write(out, o, progress, false);
  }

  /**
   * Writes the dataset into {@code out} (which should be empty) and returns what was written; with {@code mirror},
   * also {@code out/mirror/<bucket>/<key>}: the objects the attacker read, with generated mail and personal data.
   */
  public static Summary write(Path out, Options o, Progress progress, boolean mirror) throws IOException {
    World w = new World(o.seed(), o.days(), o.attackDate(), o.tenants());
    List<Actor> actors = background(w);
    long min = 0;
    for (Actor a : actors) {
      min += a.minimum();
    }
    if (o.backgroundEvents() < min) {
      throw new IllegalArgumentException("--background-events " + o.backgroundEvents() + " is too few for "
          + o.tenants() + " tenants over " + o.days() + " days: at least " + min + " are needed (the nightly backup "
          + "alone reads every tenant every night)");
    }
    long flexible = o.backgroundEvents() - min;
    long assigned = 0;
    Actor elastic = actors.get(0);
    for (Actor a : actors) {
      if (a == elastic) {
        continue;
      }
      long events = a.episodes() == 0 ? 0 : a.minimum() + (long) Math.floor(a.share * flexible);
      a.plan(events);
      assigned += events;
    }
    elastic.plan(o.backgroundEvents() - assigned);
    Attacker attacker = new Attacker(w);
    actors.add(attacker);
    long total = o.backgroundEvents() + attacker.plannedEvents;

    Truth truth = new Truth(w, attacker, o);
    Mirror copies = mirror ? new Mirror(out.resolve("mirror"), o.seed(), w.tenants) : null;
    truth.mirror = copies;
    PriorityQueue<Pending> queue = new PriorityQueue<>((x, y) -> x.time != y.time ? Long.compare(x.time, y.time)
        : Long.compare(x.seq, y.seq));
    long[] seq = {0};
    for (Actor a : actors) {
      long t = a.next();
      if (t != Schedule.DONE) {
        queue.add(new Pending(t, seq[0]++, null, a));
      }
    }
    SplittableRandom ids = new SplittableRandom(Ids.mix(o.seed(), "event-ids"));
    try (CloudTrailWriter writer = new CloudTrailWriter(out, World.ACCOUNT, o.seed(), o.compressionLevel())) {
      while (!queue.isEmpty()) {
        Pending p = queue.poll();
        if (p.actor != null) {
          long start = p.time;
          p.actor.episode(start, e -> {
            if (e.time < start) {
              e.time = start;
            }
            e.seq = seq[0]++;
            e.eventId = Ids.uuid(ids);
            e.requestId = e.source.startsWith("s3.") ? Ids.s3RequestId(ids) : Ids.uuid(ids);
            queue.add(new Pending(e.time, e.seq, e, null));
          });
          long t = p.actor.next();
          if (t != Schedule.DONE) {
            queue.add(new Pending(t, seq[0]++, null, p.actor));
          }
          continue;
        }
        writer.write(p.event);
        truth.observe(p.event);
        if (copies != null) {
          copies.observe(p.event);
        }
        if (progress != null && (writer.events() & 0xFFFF) == 0) {
          progress.update(writer.events(), total);
        }
      }
      if (writer.events() != total) {
        throw new IllegalStateException("wrote " + writer.events() + " events, planned " + total);
      }
      Path truthFile = out.resolve("truth.json");
      // issue 7: the inputs of an investigation (repository, run logs, secret and tenant maps)
      truth.investigation = new InvestigationInputs(w);
      truth.investigation.write(out);
      PeopleActors.CiDeploy ci = (PeopleActors.CiDeploy) actors.stream()
          .filter(a -> a instanceof PeopleActors.CiDeploy).findFirst().orElseThrow();
      truth.write(truthFile, writer.events(), writer.files(), ci.exposureAddress, ci.distinctAddresses());
      if (progress != null) {
        progress.update(writer.events(), total);
      }
      return new Summary(writer.events(), o.backgroundEvents(), truth.attackerEvents(), writer.files(), truthFile,
          truth.firstAttackerEventId(), attacker.totalBytes, attacker.mailFiles + attacker.siteObjects);
    }
  }
}
