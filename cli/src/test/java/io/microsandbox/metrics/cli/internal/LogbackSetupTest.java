package io.microsandbox.metrics.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.ConsoleAppender;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** Logback configured in code: found by logback's service loader, stderr only, text or JSON. */
class LogbackSetupTest {

  @Test
  void logbackFindsItAsItsConfiguratorAndStartsAtWarningsAsText() {
    assertThat(ServiceLoader.load(Configurator.class).stream().map(ServiceLoader.Provider::type))
        .containsExactly(LogbackSetup.class);

    LoggerContext context = new LoggerContext();
    assertThat(new LogbackSetup().configure(context))
        .isEqualTo(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);

    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    assertThat(root.getLevel()).isEqualTo(Level.WARN);
    ConsoleAppender<?> stderr = (ConsoleAppender<?>) root.getAppender("stderr");
    assertThat(stderr.getTarget()).isEqualTo("System.err");
    assertThat(stderr.getEncoder()).isInstanceOf(PatternLayoutEncoder.class);
  }

  @Test
  void applyReplacesTheConfigurationWithTheChosenLevelAndFormat() {
    LoggerContext context = new LoggerContext();
    new LogbackSetup().configure(context);

    LogbackSetup.apply(context, Level.DEBUG, true);

    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    assertThat(root.getLevel()).isEqualTo(Level.DEBUG);
    assertThat(root.iteratorForAppenders()).toIterable().hasSize(1);
    assertThat(((ConsoleAppender<?>) root.getAppender("stderr")).getEncoder())
        .isInstanceOf(JsonEncoder.class);
  }
}
