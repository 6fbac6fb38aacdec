package dev.parley.consumer;

import dev.parley.schemas.ChangeKind;
import dev.parley.schemas.StatusChange;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Which status changes a subscription wants to hear about: some negotiations (or all) and some kinds of
 * change (or all). A change matches when its negotiation is wanted and at least one of its items is of a
 * wanted kind; it is then delivered whole, so versions and the items that moved together stay together.
 *
 * @param negotiations the negotiation ids wanted; empty means every negotiation
 * @param kinds        the kinds of change wanted; empty means every kind
 */
public record ChangeFilter(Set<String> negotiations, Set<ChangeKind> kinds) {

    public static final ChangeFilter ALL = new ChangeFilter(Set.of(), Set.of());

    public ChangeFilter {
        negotiations = Set.copyOf(negotiations);
        kinds = kinds.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(kinds));
    }

    /**
     * A filter from names as people type them: kinds are case-insensitive ({@code meeting_held}).
     *
     * @throws IllegalArgumentException naming the kind that is not one and listing those that are
     */
    public static ChangeFilter of(Collection<String> negotiations, Collection<String> kindNames) {
        Set<ChangeKind> kinds = EnumSet.noneOf(ChangeKind.class);
        for (String name : kindNames) {
            String wanted = name.trim().toUpperCase(Locale.ROOT);
            kinds.add(Arrays.stream(ChangeKind.values()).filter(kind -> kind.name().equals(wanted)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("kinds: \"" + name + "\" is not a kind of change (expected one of "
                            + Arrays.stream(ChangeKind.values()).map(Enum::name).collect(Collectors.joining(", ")) + ")")));
        }
        return new ChangeFilter(new TreeSet<>(negotiations), kinds);
    }

    public boolean matches(StatusChange change) {
        return (negotiations.isEmpty() || negotiations.contains(change.getNegotiationId()))
                && (kinds.isEmpty() || change.getChanges().stream().anyMatch(item -> kinds.contains(item.getKind())));
    }

    /** For logs and listings: {@code all negotiations, all kinds} or the names. */
    @Override
    public String toString() {
        return (negotiations.isEmpty() ? "all negotiations" : "negotiations " + new TreeSet<>(negotiations))
                + ", " + (kinds.isEmpty() ? "all kinds" : "kinds " + new TreeSet<>(kinds));
    }
}
