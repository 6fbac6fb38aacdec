package dev.parley.app;

import io.javalin.http.Context;

/**
 * The headers every HTTP answer carries, whatever the path or the status, so that a browser never runs a script, frames
 * a page or guesses a content type that Parley did not intend. There are no CORS headers: only the dashboard's own
 * origin may read answers or send writes from a browser.
 */
final class SecurityHeaders {

    /**
     * What the dashboard needs and nothing more: its own script, style and requests (fetch and the EventSource of live
     * changes go to the same origin), no inline script or style, no plugins, and no framing by any page.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            + "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private SecurityHeaders() {
    }

    /** Sets the headers on an answer; run before every handler, so errors and 404s carry them too. */
    static void apply(Context ctx) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "no-referrer");
    }
}
