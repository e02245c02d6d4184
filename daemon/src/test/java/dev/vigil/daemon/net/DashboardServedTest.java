package dev.vigil.daemon.net;

import dev.vigil.crypto.ClusterCa;
import dev.vigil.crypto.KeyFiles;
import dev.vigil.crypto.PrivateKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard's files as the API serves them: a fixed set, cacheable by ETag, under a policy that loads nothing from elsewhere. */
class DashboardServedTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    @TempDir
    static Path dir;
    private static Daemon daemon;

    @BeforeAll
    static void start() throws Exception {
        final PrivateKey caKey = PrivateKey.generate(new SecureRandom());
        KeyFiles.writePublicKey(dir.resolve("ca.pub"), caKey.publicKey(), false);
        daemon = LocalDaemons.start(dir, new ClusterCa(caKey), "n0", null, false);
    }

    @AfterAll
    static void stop() {
        if (daemon != null) {
            daemon.close();
        }
    }

    private static HttpResponse<String> get(final String path, final String ifNoneMatch) throws Exception {
        final HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.apiAddress().getPort() + path)).GET();
        if (ifNoneMatch != null) {
            b.header("If-None-Match", ifNoneMatch);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void thePageAndItsFilesComeWithTheirTypesAPolicyAndAnETag() throws Exception {
        final HttpResponse<String> page = get("/", null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
        assertThat(page.body()).contains("<script src=\"/ui/dashboard.js\"").doesNotContain("http://").doesNotContain("https://");
        assertThat(page.headers().firstValue("content-security-policy")).get().asString()
            .contains("default-src 'none'").contains("script-src 'self'").contains("connect-src 'self'");
        assertThat(page.headers().firstValue("x-frame-options")).hasValue("DENY");
        assertThat(get("/ui/index.html", null).body()).isEqualTo(page.body());

        final HttpResponse<String> js = get("/ui/dashboard.js", null);
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.headers().firstValue("content-type")).hasValue("text/javascript; charset=utf-8");
        assertThat(js.body()).as("no markup built from strings: API values are text").doesNotContain("innerHTML").doesNotContain("eval(");
        assertThat(get("/ui/dashboard.css", null).headers().firstValue("content-type")).hasValue("text/css; charset=utf-8");
        assertThat(get("/ui/favicon.svg", null).headers().firstValue("content-type")).hasValue("image/svg+xml");

        final String etag = js.headers().firstValue("etag").orElseThrow();
        assertThat(etag).matches("\"[0-9a-f]{32}\"");
        final HttpResponse<String> again = get("/ui/dashboard.js", etag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(get("/ui/dashboard.js", "\"other\"").statusCode()).isEqualTo(200);
    }

    @Test
    void aNameOutsideTheSetIsNotFoundWhateverItSays() throws Exception {
        for (final String path : new String[] {"/ui/", "/ui/nope.js", "/ui/../pom.xml", "/ui/%2e%2e/%2e%2e/etc/passwd",
            "/ui/dev/vigil/daemon/ui/index.html", "/ui/Index.html"}) {
            final HttpResponse<String> r = get(path, null);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(r.body()).as(path).contains("error");
        }
    }
}
