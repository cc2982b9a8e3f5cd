package io.microsandbox.metrics.cli;

import io.microsandbox.metrics.collector.MetricsCollector;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Reads human-readable durations: a sequence of number+unit parts, units {@code h}, {@code m},
 * {@code s}, {@code ms} (for example {@code 500ms}, {@code 1s}, {@code 2m}, {@code 1h30m}); a bare
 * {@code 0} is zero. It only parses: the library's builders check the bounds of their settings
 * (positive, at most {@link MetricsCollector#LONGEST_DURATION}) and {@link CollectorRun} reports a
 * refused value naming its flag. picocli turns a value that does not parse into a one-line error
 * naming the flag (exit 2).
 */
public class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  private static final Pattern PART = Pattern.compile("(\\d{1,12})(ms|h|m|s)");

  @Override
  public Duration convert(String value) {
    return parse(value);
  }

  /**
   * Parses {@code value}.
   *
   * @throws CommandLine.TypeConversionException with a one-line explanation when malformed
   */
  public static Duration parse(String value) {
    String v = value.trim();
    if (v.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = PART.matcher(v);
    Duration total = Duration.ZERO;
    int end = 0;
    boolean tooLong = false;
    while (end < v.length() && m.find(end) && m.start() == end) {
      long n = Long.parseLong(m.group(1));
      try {
        total = total.plus(n, unit(m.group(2)));
      } catch (ArithmeticException e) {
        tooLong = true; // keep parsing: a malformed value reports as malformed
      }
      end = m.end();
    }
    if (end == 0 || end != v.length()) {
      throw new CommandLine.TypeConversionException(
          "'" + value + "' is not a duration (examples: 500ms, 1s, 2m, 1h30m)");
    }
    if (tooLong) { // beyond what a Duration holds: it cannot even be parsed
      throw new CommandLine.TypeConversionException(
          "'"
              + value
              + "' is too long (at most "
              + MetricsCollector.LONGEST_DURATION.toDays()
              + " days)");
    }
    return total;
  }

  /**
   * Writes {@code d} as a flag value {@link #parse} reads back: {@code 1h30m}, {@code 10s}, {@code
   * 500ms}, {@code 0}.
   */
  public static String format(Duration d) {
    if (d.isZero()) {
      return "0";
    }
    StringBuilder out = new StringBuilder();
    long ms = d.toMillis();
    long[] sizes = {3_600_000L, 60_000L, 1_000L, 1L};
    String[] units = {"h", "m", "s", "ms"};
    for (int i = 0; i < sizes.length; i++) {
      if (ms >= sizes[i]) {
        out.append(ms / sizes[i]).append(units[i]);
        ms %= sizes[i];
      }
    }
    return out.toString();
  }

  private static ChronoUnit unit(String suffix) {
    switch (suffix) {
      case "h":
        return ChronoUnit.HOURS;
      case "m":
        return ChronoUnit.MINUTES;
      case "s":
        return ChronoUnit.SECONDS;
      default:
        return ChronoUnit.MILLIS;
    }
  }

  /**
   * Like {@link DurationConverter} but rejects zero: for the command's own intervals (the library
   * checks its settings itself).
   */
  public static final class Positive extends DurationConverter {
    @Override
    public Duration convert(String value) {
      Duration d = parse(value);
      if (d.isZero()) {
        throw new CommandLine.TypeConversionException(
            "'" + value + "' must be longer than zero (examples: 500ms, 1s, 2m, 1h30m)");
      }
      return d;
    }
  }
}
