package dev.vigil.daemon.cli;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Where the process's log lines go and in which form: human lines (the default, as in
 * {@code logback.xml}) or JSON lines ({@code --log-format json}, or {@code VIGIL_LOG_FORMAT=json}),
 * on stderr or into a file ({@code vigil demo} keeps its daemons' lines out of its own output).
 * Reconfigures the root logger's one appender; the levels set in {@code logback.xml} stay.
 */
public final class Logs {
    /** The human pattern, the same as {@code logback.xml}'s. */
    static final String HUMAN_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{0} - %msg%n";

    /** The two forms. */
    public enum Format {
        HUMAN, JSON;

        /** @throws IllegalArgumentException naming the accepted values */
        public static Format parse(final String value) {
            for (final Format f : values()) {
                if (f.name().toLowerCase(Locale.ROOT).equals(value.trim().toLowerCase(Locale.ROOT))) {
                    return f;
                }
            }
            throw new IllegalArgumentException("--log-format must be human or json, got '" + value + "'");
        }
    }

    private static volatile Format format = Format.HUMAN;

    private Logs() {
    }

    /** The form now in use. */
    public static Format format() {
        return format;
    }

    /** Log lines to stderr in this form. */
    public static synchronized void toStderr(final Format newFormat) {
        final ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setTarget("System.err");
        install(appender, newFormat, "STDERR");
    }

    /** Log lines appended to this file, in the form now in use. */
    public static synchronized void toFile(final Path file) {
        final FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setFile(file.toString());
        appender.setAppend(true);
        install(appender, format, "FILE");
    }

    private static void install(final OutputStreamAppender<ILoggingEvent> appender, final Format newFormat, final String name) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext)) {
            return; // another SLF4J binding (a library's test): nothing of ours to reconfigure
        }
        final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        final Encoder<ILoggingEvent> encoder;
        if (newFormat == Format.JSON) {
            final JsonEncoder json = new JsonEncoder();
            json.setWithSequenceNumber(false);
            json.setWithNanoseconds(false);
            json.setWithContext(false);
            json.setWithArguments(false);
            json.setWithMessage(false); // the pattern; the line carries it formatted instead
            json.setWithFormattedMessage(true);
            json.setContext(context);
            json.start();
            encoder = json;
        } else {
            final PatternLayoutEncoder pattern = new PatternLayoutEncoder();
            pattern.setPattern(HUMAN_PATTERN);
            pattern.setContext(context);
            pattern.start();
            encoder = pattern;
        }
        appender.setName(name);
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.start();
        final Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        root.addAppender(appender);
        format = newFormat;
    }
}
