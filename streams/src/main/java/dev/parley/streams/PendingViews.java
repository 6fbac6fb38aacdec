package dev.parley.streams;

import dev.parley.schemas.NegotiationStatus;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.processor.TaskId;

/**
 * The views a task has folded and not yet published, shared by its two processors: {@link StatusFoldProcessor} makes a new
 * view per development, and {@link StatusPublisher} sends each negotiation's latest to {@code parley.status} once per
 * commit, however many developments of the negotiation the commit holds.
 *
 * <p>Nothing here can outlive a failure: a task's views are dropped whenever its fold starts again (after a crash, a
 * rebalance or an aborted commit), and the fold then reads its committed state back from its stores.
 */
final class PendingViews {

    private final Map<TaskId, TaskViews> byTask = new ConcurrentHashMap<>();

    /** A task's views, empty. */
    TaskViews restart(TaskId task) {
        TaskViews views = new TaskViews();
        byTask.put(task, views);
        return views;
    }

    /** A task's views, or null if its fold is not running here. */
    TaskViews of(TaskId task) {
        return byTask.get(task);
    }

    /** Forgets a task's views, unless its fold has started again meanwhile with views of its own. */
    void drop(TaskId task, TaskViews views) {
        byTask.remove(task, views);
    }

    /** One task's views: used by one stream thread at a time, the task's. */
    static final class TaskViews {

        private final Map<String, NegotiationStatus> unpublished = new HashMap<>();

        void folded(String negotiation, NegotiationStatus view) {
            unpublished.put(negotiation, view);
        }

        /** The view to publish for a negotiation, now counted as published; null if nothing new was folded. */
        NegotiationStatus publish(String negotiation) {
            return unpublished.remove(negotiation);
        }
    }
}
