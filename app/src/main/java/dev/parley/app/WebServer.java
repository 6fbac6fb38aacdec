package dev.parley.app;

import dev.parley.schemas.json.AvroJson;
import io.javalin.Javalin;
import io.javalin.http.Context;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

/** Parley's HTTP side: health and the current view as JSON. Answers at once; never waits for state. */
final class WebServer implements AutoCloseable {

    private final Javalin app;

    private WebServer(Javalin app) {
        this.app = app;
    }

    static WebServer start(Pipeline pipeline, String host, int port) {
        Javalin app = Javalin.create(config -> config.showJavalinBanner = false)
                .get("/health", ctx -> {
                    if (pipeline.isRunning()) {
                        ctx.result("ok");
                    } else {
                        notReady(ctx);
                    }
                })
                .get("/api/negotiations/{id}/status", ctx -> {
                    try {
                        var status = pipeline.status(ctx.pathParam("id"));
                        if (status.isPresent()) {
                            ctx.contentType("application/json; charset=utf-8").result(AvroJson.toJsonString(status.get()));
                        } else {
                            ctx.status(404).result("No negotiation \"" + ctx.pathParam("id") + "\"");
                        }
                    } catch (InvalidStateStoreException e) {
                        notReady(ctx);
                    }
                })
                .start(host, port);
        return new WebServer(app);
    }

    int port() {
        return app.port();
    }

    private static void notReady(Context ctx) {
        ctx.status(503).header("Retry-After", "1").result("Parley is starting; try again in a second");
    }

    @Override
    public void close() {
        app.stop();
    }
}
