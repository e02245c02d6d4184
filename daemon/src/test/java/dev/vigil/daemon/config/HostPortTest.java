package dev.vigil.daemon.config;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** "host:port" and "[v6]:port", parsed strictly and printed back in the same form. */
class HostPortTest {

    @Property
    void printingThenParsingGivesBackTheSameAddress(
        @ForAll("hosts") final String host,
        @ForAll @IntRange(min = 1, max = 65535) final int port) {
        final HostPort address = new HostPort(host, port);

        assertThat(HostPort.parse(address.toString())).isEqualTo(address);
    }

    @Example
    void parsesNamesIpv4AndBracketedIpv6() {
        assertThat(HostPort.parse("node-1.example.org:7400")).isEqualTo(new HostPort("node-1.example.org", 7400));
        assertThat(HostPort.parse("192.0.2.10:1")).isEqualTo(new HostPort("192.0.2.10", 1));
        assertThat(HostPort.parse("[2001:db8::1]:65535")).isEqualTo(new HostPort("2001:db8::1", 65535));
        assertThat(new HostPort("2001:db8::1", 7400)).hasToString("[2001:db8::1]:7400");
    }

    @Example
    void wildcardsAreTheAnyAddressesAndTheStar() {
        assertThat(HostPort.parse("0.0.0.0:7400").isWildcard()).isTrue();
        assertThat(HostPort.parse("[::]:7400").isWildcard()).isTrue();
        assertThat(HostPort.parse("*:7400").isWildcard()).isTrue();
        assertThat(HostPort.parse("*:7400").socketAddress().getAddress().isAnyLocalAddress()).isTrue();
        assertThat(HostPort.parse("127.0.0.1:7400").isWildcard()).isFalse();
    }

    @Example
    void refusesWhatIsNotHostColonPort() {
        assertThatThrownBy(() -> HostPort.parse(null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got nothing");
        assertThatThrownBy(() -> HostPort.parse("  ")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got nothing");
        assertThatThrownBy(() -> HostPort.parse("node")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected host:port");
        assertThatThrownBy(() -> HostPort.parse(":7400")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected host:port");
        assertThatThrownBy(() -> HostPort.parse("node:")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected host:port");
        assertThatThrownBy(() -> HostPort.parse("node:http")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a number");
        assertThatThrownBy(() -> HostPort.parse("node:0")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[1, 65535]");
        assertThatThrownBy(() -> HostPort.parse("node:65536")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[1, 65535]");
        assertThatThrownBy(() -> HostPort.parse("2001:db8::1:7400")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("brackets");
        assertThatThrownBy(() -> HostPort.parse("[]:7400")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host");
        assertThatThrownBy(() -> HostPort.parse("my node:7400")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("printable ASCII");
        assertThatThrownBy(() -> HostPort.parse("nodé:7400")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("printable ASCII");
    }

    @Provide
    Arbitrary<String> hosts() {
        final Arbitrary<String> names = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789.-_").ofMinLength(1).ofMaxLength(64);
        final Arbitrary<String> ipv4 = Arbitraries.integers().between(0, 255).list().ofSize(4)
            .map(parts -> String.join(".", parts.stream().map(String::valueOf).toList()));
        final Arbitrary<String> ipv6 = Arbitraries.strings().withChars("0123456789abcdef").ofMaxLength(4).list().ofMinSize(3).ofMaxSize(8)
            .map(groups -> String.join(":", groups));
        return Arbitraries.oneOf(names, ipv4, ipv6);
    }
}
