package dev.vigil.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code vigil} command: one entry point for every capability. */
@Command(name = "vigil", mixinStandardHelpOptions = true, versionProvider = VigilCli.Version.class,
    description = {"Vigil breaks the cloud supply-chain attack chain: audit CI, find leaked secrets, detect a "
        + "stolen key at its first misuse in CloudTrail, and answer what was taken.", ""},
    commandListHeading = "%nCommands:%n",
    footerHeading = "%n",
    footer = {"Run 'vigil COMMAND --help' for a command's options and examples.",
        "Exit codes: 0 ok; 1 findings at or above --fail-on; 2 could not run; 3 some input was quarantined or unreadable."},
    subcommands = {
      CommandLine.HelpCommand.class,
      StatsCommand.class,
      DetectCommand.class,
      ServeCommand.class,
      RulesCommand.class,
      SimulateCommand.class,
      AuditCiCommand.class,
      VerifyArtifactCommand.class,
      DemoCommand.class,
      InvestigateCommand.class,
      ScanSecretsCommand.class,
      HoneytokenCommand.class,
      FlinkCommand.class,
    })
public final class VigilCli implements Runnable {

  @Override
  public void run() {
    throw new CommandLine.ParameterException(new CommandLine(this), "a command is required");
  }

  public static void main(String[] args) {
    // Libraries (JGit, Flink) log through SLF4J; Vigil ships no logging backend, so SLF4J's own
    // "no providers" notice would be the first thing every user sees. Keep its real errors.
    if (System.getProperty("slf4j.internal.verbosity") == null) {
      System.setProperty("slf4j.internal.verbosity", "ERROR");
    }
    System.exit(execute(args));
  }

  /** Runs the CLI without exiting, for tests. */
  public static int execute(String... args) {
    // scan-secrets is often run on its own in CI and pre-commit hooks, where start-up is most of its time: its
    // command line is built without the other commands (whose option types load most of Vigil)
    boolean secrets = args.length > 0 && args[0].equals("scan-secrets");
    if (secrets) {
      dev.vigil.secrets.RuleSet.prefetchBuiltin(); // parsed while the command line is set up
    }
    Object root = secrets ? new ScanSecretsOnly() : new VigilCli();
    CommandLine cli = new CommandLine(root);
    withHelpEverywhere(cli);
    cli.setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(VigilCli::handle);
    cli.setParameterExceptionHandler((ex, a) -> {
      Terminal.error(ex.getCommandLine().getErr(), ex.getMessage());
      ex.getCommandLine().getErr().println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName()
          + " --help' for usage.");
      return ExitCode.USAGE;
    });
    return cli.execute(args);
  }

  /** Every command and subcommand answers --help (and -h), whether or not its class asked for it. */
  private static void withHelpEverywhere(CommandLine c) {
    if (!(c.getCommand() instanceof CommandLine.HelpCommand)) {
      c.getCommandSpec().mixinStandardHelpOptions(true);
    }
    c.getSubcommands().values().forEach(VigilCli::withHelpEverywhere);
  }

  private static int handle(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    if (e instanceof UserException) {
      Terminal.error(cmd.getErr(), e.getMessage());
      return ExitCode.USAGE;
    }
    if (e instanceof java.io.UncheckedIOException || e instanceof IOException) {
      Terminal.error(cmd.getErr(), e.getMessage());
      if (System.getenv("VIGIL_DEBUG") != null) {
        e.printStackTrace(cmd.getErr());
      }
      return ExitCode.USAGE;
    }
    Terminal.error(cmd.getErr(), "internal error: " + e + " (a bug in Vigil; rerun with VIGIL_DEBUG=1 "
        + "for details and please report it)");
    if (System.getenv("VIGIL_DEBUG") != null) {
      e.printStackTrace(cmd.getErr());
    }
    return ExitCode.INTERNAL;
  }

  /** The same {@code vigil} command with only {@code scan-secrets} under it. */
  @Command(name = "vigil", mixinStandardHelpOptions = true, versionProvider = VigilCli.Version.class,
      subcommands = {ScanSecretsCommand.class})
  static final class ScanSecretsOnly implements Runnable {
    @Override
    public void run() {
      throw new CommandLine.ParameterException(new CommandLine(this), "a command is required");
    }
  }

  /** "0.1.0-SNAPSHOT", as Maven wrote it into the jar. */
  static String versionString() {
    Properties p = new Properties();
    try (InputStream in = VigilCli.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      return "unknown";
    }
    return p.getProperty("version", "unknown");
  }

  /** Reads the version Maven wrote into the jar. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties p = new Properties();
      try (InputStream in = VigilCli.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          p.load(in);
        }
      }
      return new String[] {"vigil " + p.getProperty("version", "unknown"), "Java " + System.getProperty("java.version")};
    }
  }
}
