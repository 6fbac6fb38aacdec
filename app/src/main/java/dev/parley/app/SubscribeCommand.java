package dev.parley.app;

import dev.parley.consumer.ChangeFilter;
import dev.parley.consumer.ConsumerSettings;
import dev.parley.consumer.StatusChangeSubscriber;
import dev.parley.consumer.Subscription;
import dev.parley.consumer.SubscriptionStatus;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code parley subscribe}: delivers status changes to sinks, in a process of its own, until stopped. */
@Command(name = "subscribe", mixinStandardHelpOptions = true,
        description = {"Delivers status changes to sinks until stopped (Ctrl-C), picking up where it left off.", "",
                "Each subscription reads parley.status-changes with a consumer group of its own (parley-sink-NAME), "
                        + "so it resumes after a restart and a slow one never holds back another. A failing sink is "
                        + "retried with backoff; after the last attempt the change is parked on parley.parked-changes "
                        + "and delivery goes on. A webhook answering 410 Gone disables its subscription.", "",
                "Give one subscription with --sink (and --name, --negotiation, --kinds), or a YAML file of them with "
                        + "--subscriptions (see the README); both may be given."},
        footer = {"", "Examples:",
                "  ./parley subscribe --sink jdbc:postgresql://127.0.0.1:5432/test --name newsroom-db",
                "  PARLEY_WEBHOOK_SECRET=whsec_... ./parley subscribe --sink https://example.org/hooks/parley --name partner \\",
                "      --negotiation ukraine-peace-2025 --kinds PHASE_CHANGED,MEETING_HELD",
                "  ./parley subscribe --subscriptions subscriptions.yaml"})
final class SubscribeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--sink", paramLabel = "SINK", description = "Where to deliver: " + Sinks.FORMS + ".")
    String sink;

    @Option(names = "--name", paramLabel = "NAME", description = "The subscription's name, which names its consumer group (default: cli).")
    String name = "cli";

    @Option(names = "--negotiation", paramLabel = "ID", description = "Only this negotiation's changes; repeat for more (default: all).")
    List<String> negotiations = new ArrayList<>();

    @Option(names = "--kinds", split = ",", paramLabel = "KIND", description = "Only changes with an item of these kinds, e.g. PHASE_CHANGED,MEETING_HELD (default: all).")
    List<String> kinds = new ArrayList<>();

    @Option(names = "--subscriptions", paramLabel = "FILE", description = "A YAML file of subscriptions (default: PARLEY_SUBSCRIPTIONS, else none).")
    Path file;

    @Option(names = "--status-every", paramLabel = "SECONDS", description = "How often to print each subscription's progress (default: 10).")
    int statusEverySeconds = 10;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        AppSettings settings = kafka.settings();
        List<SubscriptionsFile.Declared> declared = new ArrayList<>();
        if (sink != null) {
            declared.add(new SubscriptionsFile.Declared(name, sink, null, ChangeFilter.of(negotiations, kinds)));
        }
        Path subscriptions = file != null ? file : settings.env().containsKey("PARLEY_SUBSCRIPTIONS") ? settings.subscriptionsFile() : null;
        if (subscriptions != null) {
            declared.addAll(SubscriptionsFile.read(subscriptions));
        }
        if (declared.isEmpty()) {
            spec.commandLine().getErr().println("Nothing to deliver: give --sink SINK or --subscriptions FILE.");
            return 1;
        }

        List<Subscription> opened = new ArrayList<>();
        List<StatusChangeSubscriber> subscribers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        var stop = new CountDownLatch(1);
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.countDown();
            awaitQuietly(stopped);
        }, "parley-subscribe-shutdown"));
        try {
            for (SubscriptionsFile.Declared each : declared) {
                Subscription subscription = SubscriptionsFile.open(each, settings);
                opened.add(subscription);
                var subscriber = StatusChangeSubscriber.create(ConsumerSettings.from(settings.env(), settings.kafka()), subscription);
                subscribers.add(subscriber);
                Thread thread = new Thread(subscriber, "subscription-" + subscription.name());
                threads.add(thread);
                thread.start();
                out.println("Subscription " + subscription.name() + ": " + subscription.filter() + " to " + subscription.sink().name()
                        + " (consumer group " + subscription.consumerGroup() + ")");
            }
            out.flush();
            while (!stop.await(statusEverySeconds, TimeUnit.SECONDS)) {
                subscribers.forEach(subscriber -> out.println(describe(subscriber.status())));
                out.flush();
            }
        } finally {
            subscribers.forEach(StatusChangeSubscriber::close);
            for (Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(15));
            }
            for (Subscription subscription : opened) {
                subscription.sink().close();
            }
            subscribers.forEach(subscriber -> out.println(describe(subscriber.status())));
            out.flush();
            stopped.countDown();
        }
        return 0;
    }

    static String describe(SubscriptionStatus status) {
        return status.name() + ": " + status.state() + ", " + status.delivered() + " delivered, " + status.alreadyHad()
                + " already there, " + status.skipped() + " filtered out, " + status.parked() + " parked, lag "
                + (status.lag() < 0 ? "unknown" : status.lag()) + (status.lastError() == null ? "" : "; last error: " + status.lastError());
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
