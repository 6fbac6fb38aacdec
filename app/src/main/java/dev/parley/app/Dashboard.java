package dev.parley.app;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The dashboard: one static page, its script and its style, that shows a negotiation's view and timeline, follows its
 * changes live and files new developments. The page only ever builds text nodes from data, and its Content-Security-Policy
 * forbids any script but its own, so a news text that contains markup stays text.
 */
final class Dashboard {

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            + "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    // Read once per JVM: the files never change while it runs, and every web server of the JVM shares them.
    private static final byte[] PAGE = resource("index.html");
    private static final byte[] SCRIPT = resource("dashboard.js");
    private static final byte[] STYLE = resource("dashboard.css");

    private Dashboard() {
    }

    /** Serves the page on {@code /} and the live changes it follows (see {@link ChangeStream}). */
    static void register(Javalin app, AppSettings settings) {
        app.get("/", ctx -> send(ctx, "text/html; charset=utf-8", PAGE));
        app.get("/dashboard.js", ctx -> send(ctx, "text/javascript; charset=utf-8", SCRIPT));
        app.get("/dashboard.css", ctx -> send(ctx, "text/css; charset=utf-8", STYLE));
        ChangeStream.register(app, settings);
    }

    private static void send(Context ctx, String contentType, byte[] body) {
        ctx.header("Cache-Control", "no-cache")
                .contentType(contentType)
                .result(body);
    }

    private static byte[] resource(String name) {
        try (InputStream in = Dashboard.class.getResourceAsStream("/dashboard/" + name)) {
            if (in == null) {
                throw new IllegalStateException("dashboard/" + name + " is missing from the classpath: the build is incomplete");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
