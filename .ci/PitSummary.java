import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Summarises PIT's mutations.xml reports per package: mutants generated, detected, survived and
 * not covered, with the mutation score (detected / generated, PIT's "mutation coverage") and the
 * test strength (detected / covered). With --survivors, also lists every mutant left alive.
 *
 * <p>Run with the JDK's source launcher, after the pit profile:
 * {@code java .ci/PitSummary.java [--survivors] [mutations.xml ...]}; with no file it reads the
 * reports of wire, crypto and daemon.
 */
public final class PitSummary {
    private static final List<String> DEFAULT_REPORTS = List.of(
        "wire/target/pit-reports/mutations.xml",
        "crypto/target/pit-reports/mutations.xml",
        "daemon/target/pit-reports/mutations.xml");

    /** Counts for one package (or the total). */
    private static final class Tally {
        long generated;
        long detected;
        long survived;
        long noCoverage;

        void add(final String status) {
            generated++;
            switch (status) {
                // as PIT counts: a mutant that times out, exhausts memory, crashes the run or does
                // not load is detected too
                case "KILLED", "TIMED_OUT", "MEMORY_ERROR", "RUN_ERROR", "NON_VIABLE" -> detected++;
                case "SURVIVED" -> survived++;
                case "NO_COVERAGE" -> noCoverage++;
                default -> throw new IllegalArgumentException("unknown mutant status " + status);
            }
        }

        void add(final Tally other) {
            generated += other.generated;
            detected += other.detected;
            survived += other.survived;
            noCoverage += other.noCoverage;
        }

        String row(final String name) {
            return String.format(Locale.ROOT, "%-28s %9d %9d %9d %9d %8s %9s",
                name, generated, detected, survived, noCoverage,
                percent(detected, generated), percent(detected, generated - noCoverage));
        }

        private static String percent(final long part, final long whole) {
            return whole == 0 ? "-" : String.format(Locale.ROOT, "%.1f %%", 100.0 * part / whole);
        }
    }

    public static void main(final String[] args) throws Exception {
        boolean survivors = false;
        final List<String> files = new ArrayList<>();
        for (final String arg : args) {
            if (arg.equals("--survivors")) {
                survivors = true;
            } else {
                files.add(arg);
            }
        }
        if (files.isEmpty()) {
            files.addAll(DEFAULT_REPORTS);
        }
        final Map<String, Tally> byPackage = new TreeMap<>();
        final List<String> alive = new ArrayList<>();
        for (final String file : files) {
            final NodeList mutations = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new File(file)).getElementsByTagName("mutation");
            for (int i = 0; i < mutations.getLength(); i++) {
                final Element m = (Element) mutations.item(i);
                final String status = m.getAttribute("status");
                final String cls = text(m, "mutatedClass");
                final String pkg = cls.substring(0, cls.lastIndexOf('.'));
                byPackage.computeIfAbsent(pkg, k -> new Tally()).add(status);
                if (status.equals("SURVIVED") || status.equals("NO_COVERAGE")) {
                    final String simple = cls.substring(cls.lastIndexOf('.') + 1);
                    final String mutator = text(m, "mutator");
                    alive.add(String.format(Locale.ROOT, "%-11s %s:%s %s() %s: %s", status, pkg + "." + simple,
                        text(m, "lineNumber"), text(m, "mutatedMethod"),
                        mutator.substring(mutator.lastIndexOf('.') + 1), text(m, "description")));
                }
            }
        }
        System.out.printf(Locale.ROOT, "%-28s %9s %9s %9s %9s %8s %9s%n",
            "package", "generated", "detected", "survived", "no-cover", "score", "strength");
        final Tally total = new Tally();
        for (final Map.Entry<String, Tally> e : byPackage.entrySet()) {
            System.out.println(e.getValue().row(e.getKey()));
            total.add(e.getValue());
        }
        System.out.println(total.row("all"));
        if (survivors) {
            System.out.println();
            alive.forEach(System.out::println);
        }
    }

    private static String text(final Element parent, final String tag) {
        final NodeList nodes = parent.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent();
    }
}
