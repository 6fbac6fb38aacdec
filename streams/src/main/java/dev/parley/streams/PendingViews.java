package dev.parley.streams;

import dev.parley.schemas.NegotiationStatus;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.processor.TaskId;

/**
 * The views a task has folded, as objects, shared by its two processors: {@link StatusFolder} makes a new view per
 * development, and {@link StatusPublisher} writes each negotiation's latest view to the store and to {@code parley.status}
 * once per commit. A busy negotiation's view can be tens of kilobytes, so encoding and sending it per development
 * cost more than the whole rest of the fold.
 *
 * <p>Nothing here can disagree with the store after a failure: a task's views are dropped whenever its fold starts
 * again (after a crash, a rebalance or an aborted commit), and it then reads the committed views back from its store.
 */
final class PendingViews {

    /** Published views kept as objects, so the next development of a busy negotiation does not decode its view. */
    static final int RECENT_VIEWS = 256;

    private final Map<TaskId, TaskViews> byTask = new ConcurrentHashMap<>();

    /** A task's views, empty: its fold starts from the committed store. */
    TaskViews restart(TaskId task) {
        TaskViews views = new TaskViews();
        byTask.put(task, views);
        return views;
    }

    /** A task's views, or null if its fold is not running here. */
    TaskViews of(TaskId task) {
        return byTask.get(task);
    }

    void drop(TaskId task) {
        byTask.remove(task);
    }

    /** One task's views: used by one stream thread at a time, the task's. */
    static final class TaskViews {

        private final Map<String, NegotiationStatus> unpublished = new HashMap<>();
        private final Map<String, NegotiationStatus> published = new LinkedHashMap<>(RECENT_VIEWS, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, NegotiationStatus> eldest) {
                return size() > RECENT_VIEWS;
            }
        };

        /** The latest view of a negotiation, folded or published, or null if only the store has it. */
        NegotiationStatus latest(String negotiation) {
            NegotiationStatus view = unpublished.get(negotiation);
            return view != null ? view : published.get(negotiation);
        }

        void folded(String negotiation, NegotiationStatus view) {
            unpublished.put(negotiation, view);
        }

        /** The view to publish for a negotiation, now counted as published; null if nothing new was folded. */
        NegotiationStatus publish(String negotiation) {
            NegotiationStatus view = unpublished.remove(negotiation);
            if (view != null) {
                published.put(negotiation, view);
            }
            return view;
        }
    }
}
