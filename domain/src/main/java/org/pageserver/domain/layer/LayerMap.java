package org.pageserver.domain.layer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Key;

/**
 * The layer files of one timeline, found by key and LSN (Neon's layer map). Immutable: a reader
 * takes one and reads through it while a flush, a compaction or a GC publishes the next, so that
 * replacing a set of layers by another is one step for readers and nothing is copied per read.
 *
 * <p>A read of key K at LSN L asks for the newest delta and the newest image holding K that start
 * at or below L, each in O(log² n) for layers of any key and LSN ranges. The layers holding one key
 * never overlap in LSN except that an image may sit inside a delta's range (compaction and image
 * creation keep it so), which is why the two are asked for apart: see {@link #nextToRead}.
 *
 * @param <T> what the timeline keeps per layer file; {@code names} gives each one's name
 */
public final class LayerMap<T> {
    private final Function<T, LayerName> names;
    private final List<T> layers;
    private final KeyLsnIndex<T> deltas;
    private final KeyLsnIndex<T> images;

    private LayerMap(Collection<T> layers, Function<T, LayerName> names) {
        this.names = names;
        List<T> sorted = new ArrayList<>(layers);
        sorted.sort(Comparator.comparing(names).reversed());
        this.layers = List.copyOf(sorted);
        this.deltas = new KeyLsnIndex<>(sorted.stream().filter(l -> !names.apply(l).image()).toList(), names);
        this.images = new KeyLsnIndex<>(sorted.stream().filter(l -> names.apply(l).image()).toList(), names);
    }

    public static <T> LayerMap<T> of(Collection<T> layers, Function<T, LayerName> names) {
        return new LayerMap<>(layers, names);
    }

    /** Every layer, newest LSN start first. */
    public List<T> layers() {
        return layers;
    }

    public int size() {
        return layers.size();
    }

    /** This map with {@code removed} taken out and {@code added} put in, as one new map. */
    public LayerMap<T> replace(Collection<T> removed, Collection<T> added) {
        Set<T> gone = new HashSet<>(removed);
        List<T> next = new ArrayList<>(layers.size() + added.size());
        for (T layer : layers) {
            if (!gone.contains(layer)) {
                next.add(layer);
            }
        }
        next.addAll(added);
        return new LayerMap<>(next, names);
    }

    /** The delta layer holding {@code key} that starts highest at or below {@code lsn}, or null. */
    public T newestDelta(Key key, Lsn lsn) {
        return deltas.newest(key, lsn);
    }

    /** The image layer holding {@code key} at the highest LSN at or below {@code lsn}, or null. */
    public T newestImage(Key key, Lsn lsn) {
        return images.newest(key, lsn);
    }

    /**
     * The next layers a read of {@code key} at or below {@code lsn} takes versions from, newest
     * first, or null when no layer holds older versions of it.
     *
     * <p>An image at or above the newest delta's start ends the walk: the delta's versions above the
     * image come first (the step's floor is the image's LSN), then the image, which holds the key's
     * value as of its LSN (or, lacking the key, says it had none). Otherwise the delta is read whole
     * and the walk goes on below its start.
     */
    public Step<T> nextToRead(Key key, Lsn lsn) {
        T delta = deltas.newest(key, lsn);
        T image = images.newest(key, lsn);
        if (image != null) {
            Lsn imageLsn = names.apply(image).lsnStart();
            if (delta == null || !names.apply(delta).lsnStart().isAfter(imageLsn)) {
                boolean deltaAbove = delta != null && names.apply(delta).lsnEnd().isAfter(imageLsn.plus(1));
                return deltaAbove ? new Step<>(delta, imageLsn, image, null) : new Step<>(null, null, image, null);
            }
        }
        if (delta == null) {
            return null;
        }
        Lsn start = names.apply(delta).lsnStart();
        return new Step<>(delta, null, null, start.value() == 0 ? null : Lsn.of(start.value() - 1));
    }

    /**
     * One step of a read: first {@code delta}'s versions above {@code floor} (all of them when
     * {@code floor} is null; no delta when null), then {@code image} if set; then the walk goes on
     * at {@code next}, or ends when it is null.
     */
    public record Step<T>(T delta, Lsn floor, T image, Lsn next) {
    }
}
