package dev.parley.streams;

import dev.parley.schemas.NegotiationStatus;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.processor.TaskId;

/**
 * The views a task has folded and not yet published, shared by its two processors: {@link StatusFolder} makes a new
 * view per development, and {@link StatusPublisher} writes each negotiation's state and sends its latest view to
 * {@code parley.status} once per commit, however many developments of the negotiation the commit holds.
 *
 * <p>Nothing here can outlive a failure: a task's views are dropped whenever its fold starts again (after a crash, a
 * rebalance or an aborted commit), and the fold then reads its committed state back from its stores.
 */
final class PendingViews {

    private final Map<TaskId, TaskViews> byTask = new ConcurrentHashMap<>();

    /** A task's views, empty; {@code items} is its fold's, written at each publication. */
    TaskViews restart(TaskId task, ItemStore items) {
        TaskViews views = new TaskViews(items);
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
        private final ItemStore items;

        TaskViews(ItemStore items) {
            this.items = items;
        }

        /** Writes what the fold changed of a negotiation, its items and its view, to the stores. */
        void write(String negotiation) {
            items.flush(negotiation);
        }

        void folded(String negotiation, NegotiationStatus view) {
            unpublished.put(negotiation, view);
        }

        /** The view to publish for a negotiation, now counted as published; null if nothing new was folded. */
        NegotiationStatus publish(String negotiation) {
            return unpublished.remove(negotiation);
        }
    }
}
