package dev.parley.app;

import dev.parley.consumer.JsonLinesSink;
import dev.parley.consumer.Sink;
import dev.parley.consumer.TerminalSink;
import dev.parley.consumer.atom.AtomFeedSink;
import dev.parley.consumer.jdbc.DatabaseSink;
import dev.parley.consumer.webhook.WebhookSink;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Sinks named by a spec, on the command line or in a subscriptions file. */
final class Sinks {

    static final String FORMS = "file:PATH (JSON lines), atom:DIR (an Atom feed per negotiation), jdbc:sqlite:PATH or "
            + "jdbc:postgresql://HOST:PORT/DB (a database), https://HOST/PATH (a webhook, signed with the subscription's "
            + "secret or PARLEY_WEBHOOK_SECRET) or terminal";

    private Sinks() {
    }

    /**
     * The sink a spec names.
     *
     * @param name          the subscription's name (a webhook sink carries it)
     * @param webhookSecret the {@code whsec_...} secret webhooks are signed with, or null when none is configured
     */
    static Sink parse(String spec, String name, String webhookSecret, AppSettings settings) throws IOException {
        if (spec.startsWith("file:") && spec.length() > "file:".length()) {
            return new JsonLinesSink(Path.of(spec.substring("file:".length())));
        }
        if (spec.startsWith("atom:") && spec.length() > "atom:".length()) {
            // Links to the feed itself and to the dashboard, where this Parley's HTTP API is reached.
            URI base = settings.advertisedAddress().map(address -> URI.create("http://" + address)).orElse(null);
            return new AtomFeedSink(Path.of(spec.substring("atom:".length())), base, AtomFeedSink.DEFAULT_MAX_ENTRIES);
        }
        if (spec.startsWith("jdbc:")) {
            return DatabaseSink.open(spec);
        }
        if (spec.startsWith("https://") || spec.startsWith("http://")) {
            if (webhookSecret == null) {
                throw new IllegalArgumentException("sink: the webhook " + shown(spec) + " needs a secret to sign "
                        + "with: give the subscription a secret, or set PARLEY_WEBHOOK_SECRET (whsec_ and base64, e.g. whsec_$(openssl rand -base64 32))");
            }
            return WebhookSink.create(name, URI.create(spec), webhookSecret, settings.allowPrivateWebhookTargets());
        }
        if (spec.equals("terminal")) {
            return new TerminalSink(new PrintStream(System.out, true, StandardCharsets.UTF_8));
        }
        throw new IllegalArgumentException("sink: \"" + spec + "\" is not a sink (expected " + FORMS + ")");
    }

    /** A sink spec as it may be printed: without its query, where a password or token may be. */
    static String shown(String spec) {
        return spec.replaceFirst("\\?.*", "?…");
    }

    /** A sink for one command-line run, signed with {@code PARLEY_WEBHOOK_SECRET} if it is a webhook. */
    static Sink parse(String spec, AppSettings settings) throws IOException {
        return parse(spec, "cli", settings.webhookSecret(), settings);
    }
}
