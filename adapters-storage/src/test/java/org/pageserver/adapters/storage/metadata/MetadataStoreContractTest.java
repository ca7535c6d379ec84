package org.pageserver.adapters.storage.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.jdbc.DataSourceResolver;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.opentest4j.TestAbortedException;
import org.pageserver.application.port.out.LoadLayersPort;
import org.pageserver.application.port.out.LoadTenantPort;
import org.pageserver.application.port.out.LoadTimelinePort;
import org.pageserver.application.port.out.SaveLayersPort;
import org.pageserver.application.port.out.SaveTenantPort;
import org.pageserver.application.port.out.SaveTimelinePort;
import org.pageserver.domain.config.EvictionPolicy;
import org.pageserver.domain.config.TenantConfOverrides;
import org.pageserver.domain.config.TenantConfigField;
import org.pageserver.domain.error.ErrorKind;
import org.pageserver.domain.error.PageserverException;
import org.pageserver.domain.id.Generation;
import org.pageserver.domain.id.TenantId;
import org.pageserver.domain.id.TenantTimelineId;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.layer.LayerDescriptor;
import org.pageserver.domain.layer.LayerName;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Key;
import org.pageserver.domain.page.RelTag;
import org.pageserver.domain.tenant.TenantMetadata;
import org.pageserver.domain.timeline.TimelineMetadata;

/**
 * What the six metadata ports promise, proved against one database per subclass. Each subclass
 * supplies the datasource properties of a database it owns; the Micronaut context runs with them
 * and the Flyway migrations, as the application would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class MetadataStoreContractTest {
    private static final TenantId TENANT_A = TenantId.parse("0a000000000000000000000000000000");
    private static final TenantId TENANT_B = TenantId.parse("0b000000000000000000000000000000");
    private static final TenantId TENANT_C = TenantId.parse("0c000000000000000000000000000000");
    private static final TimelineId TIMELINE_1 = TimelineId.parse("01000000000000000000000000000000");
    private static final TimelineId TIMELINE_2 = TimelineId.parse("02000000000000000000000000000000");
    private static final TimelineId TIMELINE_3 = TimelineId.parse("03000000000000000000000000000000");

    private Map<String, Object> properties;
    private ApplicationContext context;
    private TestAbortedException databaseUnavailable;

    /** Starts (or creates) the database this subclass tests and returns the datasource properties to reach it. */
    protected abstract Map<String, String> startDatabase() throws Exception;

    /** Whether the database forces its own commits to disk (PostgreSQL), or the stores must (H2). */
    protected abstract boolean forcesItsOwnCommits();

    /**
     * A database that cannot start here (no binaries) skips each test with the reason, rather than
     * the class as a whole: Surefire reports a class-level skip as "Tests run: 0" and drops the reason.
     */
    @BeforeAll
    void startContext() throws Exception {
        try {
            properties = Map.copyOf(withFlyway(startDatabase()));
        } catch (TestAbortedException e) {
            databaseUnavailable = e;
            return;
        }
        context = ApplicationContext.run(properties);
    }

    @AfterAll
    void stopContext() {
        if (context != null) {
            context.close();
        }
    }

    /** Each test starts from empty tables; plain SQL, so that no bug in the stores can leave rows behind. */
    @BeforeEach
    void emptyTables() throws SQLException {
        if (databaseUnavailable != null) {
            throw databaseUnavailable;
        }
        sql("DELETE FROM tenant");
    }

    @Test
    void tenantRoundTripsEverySettingKindGenerationAndDeletingFlag() {
        TenantMetadata tenant = new TenantMetadata(TENANT_A, everySettingOverridden(), new Generation(0xFFFF_FFFFL), true, false, false);

        saveTenant(tenant);

        assertEquals(List.of(tenant), loadTenants());
    }

    @Test
    void ignoredFlagRoundTripsAndALoadClearsIt() {
        TenantMetadata ignored = TenantMetadata.created(TENANT_A, everySettingOverridden(), new Generation(4)).markedIgnored();

        saveTenant(ignored);
        assertEquals(List.of(ignored), loadTenants());

        TenantMetadata loaded = ignored.loaded(new Generation(5));
        saveTenant(loaded);
        assertEquals(List.of(loaded), loadTenants());
    }

    @Test
    void attachingFlagRoundTripsAndIsCleared() {
        TenantMetadata attaching = TenantMetadata.attaching(TENANT_A, TenantConfOverrides.none(), new Generation(3));

        saveTenant(attaching);
        assertEquals(List.of(attaching), loadTenants());

        saveTenant(attaching.attached());
        assertEquals(List.of(attaching.attached()), loadTenants());
    }

    @Test
    void tenantWithoutGenerationOrOverridesRoundTrips() {
        TenantMetadata tenant = TenantMetadata.created(TENANT_A, TenantConfOverrides.none(), null);

        saveTenant(tenant);

        assertEquals(List.of(tenant), loadTenants());
    }

    @Test
    void bothEvictionPoliciesRoundTrip() {
        TenantMetadata none = TenantMetadata.created(TENANT_A, TenantConfOverrides.of(
                Map.of(TenantConfigField.EVICTION_POLICY, EvictionPolicy.NO_EVICTION)), new Generation(1));
        TenantMetadata threshold = TenantMetadata.created(TENANT_B, TenantConfOverrides.of(
                Map.of(TenantConfigField.EVICTION_POLICY, new EvictionPolicy.LayerAccessThreshold(
                        Duration.ofMinutes(20), Duration.ofDays(1).plusHours(12)))), new Generation(2));

        saveTenant(none);
        saveTenant(threshold);

        assertEquals(List.of(none, threshold), loadTenants());
    }

    @Test
    void savingATenantAgainReplacesItAndDropsOverridesNoLongerSet() {
        saveTenant(TenantMetadata.created(TENANT_A, everySettingOverridden(), new Generation(1)));
        TenantMetadata replaced = new TenantMetadata(TENANT_A, TenantConfOverrides.of(
                Map.of(TenantConfigField.GC_PERIOD, Duration.ofMinutes(5))), null, true, false, false);

        saveTenant(replaced);

        assertEquals(List.of(replaced), loadTenants());
    }

    @Test
    void tenantsLoadInIdOrder() {
        for (TenantId id : List.of(TENANT_B, TENANT_C, TENANT_A)) {
            saveTenant(TenantMetadata.created(id, TenantConfOverrides.none(), null));
        }

        assertEquals(List.of(TENANT_A, TENANT_B, TENANT_C), loadTenants().stream().map(TenantMetadata::id).toList());
    }

    @Test
    void deletingATenantRemovesItsOverridesAndTimelinesButNoOtherTenants() {
        saveTenant(TenantMetadata.created(TENANT_A, everySettingOverridden(), new Generation(3)));
        saveTimeline(TimelineMetadata.root(TENANT_A, TIMELINE_1, 15));
        saveTimeline(TimelineMetadata.root(TENANT_A, TIMELINE_2, 15));
        TenantMetadata other = TenantMetadata.created(TENANT_B, TenantConfOverrides.none(), null);
        TimelineMetadata othersTimeline = TimelineMetadata.root(TENANT_B, TIMELINE_1, 15);
        saveTenant(other);
        saveTimeline(othersTimeline);

        deleteTenant(TENANT_A);

        assertEquals(List.of(other), loadTenants());
        assertEquals(List.of(), loadTimelines(TENANT_A));
        assertEquals(List.of(othersTimeline), loadTimelines(TENANT_B));
        // A tenant created again under the same id must not inherit the old one's settings.
        TenantMetadata recreated = TenantMetadata.created(TENANT_A, TenantConfOverrides.none(), null);
        saveTenant(recreated);
        assertEquals(List.of(recreated, other), loadTenants());
    }

    @Test
    void deletingWhatIsAbsentIsNoError() {
        deleteTenant(TENANT_A);
        deleteTimeline(TENANT_A, TIMELINE_1);
        saveTenant(TenantMetadata.created(TENANT_A, TenantConfOverrides.none(), null));
        deleteTimeline(TENANT_A, TIMELINE_1);

        assertEquals(List.of(), loadTimelines(TENANT_A));
    }

    @Test
    void timelineRoundTripsEveryFieldIncludingLsnsAbove2To63() {
        saveTenant(TenantMetadata.created(TENANT_A, TenantConfOverrides.none(), null));
        TimelineMetadata branch = new TimelineMetadata(TENANT_A, TIMELINE_2, TIMELINE_1,
                Lsn.of(0x8000_0000_0000_0000L), Lsn.INITDB, Lsn.MAX, Lsn.of(0xFFFF_FFFF_FFFF_FF00L),
                Lsn.of(0x8000_0000_0000_0001L), Lsn.of(0x7FFF_FFFF_FFFF_FFFFL), Lsn.of(0x9000_0000_0000_0000L),
                16, true);

        saveTimeline(branch);

        List<TimelineMetadata> loaded = loadTimelines(TENANT_A);
        assertEquals(List.of(branch), loaded);
        assertTrue(loaded.get(0).lastRecordLsn().isAfter(loaded.get(0).remoteConsistentLsn()),
                "an LSN above 2^63 still compares above one below it after the round trip");
    }

    @Test
    void rootTimelineWithoutAncestorRoundTrips() {
        saveTenant(TenantMetadata.created(TENANT_A, TenantConfOverrides.none(), null));
        TimelineMetadata root = TimelineMetadata.root(TENANT_A, TIMELINE_1, 14);

        saveTimeline(root);

        assertEquals(List.of(root), loadTimelines(TENANT_A));
    }

    @Test
    void savingATimelineAgainReplacesIt() {
        saveTenant(TenantMetadata.created(TENANT_A, TenantConfOverrides.none(), null));
        TimelineMetadata root = TimelineMetadata.root(TENANT_A, TIMELINE_1, 15);
        saveTimeline(root);
        TimelineMetadata advanced = new TimelineMetadata(TENANT_A, TIMELINE_1, null, Lsn.INVALID, root.initdbLsn(),
                Lsn.of(0x5000_0000L), Lsn.of(0x4FFF_FF00L), Lsn.of(0x4000_0000L), Lsn.of(0x3000_0000L),
                Lsn.of(0x2000_0000L), 15, false).markedDeleting();

        saveTimeline(advanced);

        assertEquals(List.of(advanced), loadTimelines(TENANT_A));
    }

    @Test
    void timelinesLoadInIdOrderAndOnlyTheTenantsOwn() {
        saveTenant(TenantMetadata.created(TENANT_A, TenantConfOverrides.none(), null));
        saveTenant(TenantMetadata.created(TENANT_B, TenantConfOverrides.none(), null));
        for (TimelineId id : List.of(TIMELINE_3, TIMELINE_1, TIMELINE_2)) {
            saveTimeline(TimelineMetadata.root(TENANT_A, id, 15));
        }
        saveTimeline(TimelineMetadata.root(TENANT_B, TIMELINE_2, 15));

        assertEquals(List.of(TIMELINE_1, TIMELINE_2, TIMELINE_3),
                loadTimelines(TENANT_A).stream().map(TimelineMetadata::timelineId).toList());
        assertEquals(List.of(), loadTimelines(TENANT_C));
    }

    @Test
    void deletingATimelineLeavesItsSiblings() {
        saveTenant(TenantMetadata.created(TENANT_A, TenantConfOverrides.none(), null));
        saveTimeline(TimelineMetadata.root(TENANT_A, TIMELINE_1, 15));
        TimelineMetadata sibling = TimelineMetadata.root(TENANT_A, TIMELINE_2, 15);
        saveTimeline(sibling);

        deleteTimeline(TENANT_A, TIMELINE_1);

        assertEquals(List.of(sibling), loadTimelines(TENANT_A));
    }

    @Test
    void aStoredSettingThisVersionDoesNotKnowFailsTheLoadNamingTenantAndSetting() throws SQLException {
        saveTenant(TenantMetadata.created(TENANT_A, TenantConfOverrides.none(), null));
        sql("INSERT INTO tenant_config_override (tenant_id, field, value_text) VALUES ('" + TENANT_A + "', 'from_the_future', '1')");

        PageserverException e = assertThrows(PageserverException.class, () -> loadTenants());

        assertEquals(ErrorKind.INTERNAL, e.kind());
        assertTrue(e.getMessage().contains(TENANT_A.hex()) && e.getMessage().contains("from_the_future"), e.getMessage());
    }

    @Test
    void aStoredValueThatNoLongerParsesFailsTheLoadNamingTenantAndSetting() throws SQLException {
        saveTenant(TenantMetadata.created(TENANT_A, TenantConfOverrides.none(), null));
        sql("INSERT INTO tenant_config_override (tenant_id, field, value_text) VALUES ('" + TENANT_A + "', 'gc_period', 'soon')");

        PageserverException e = assertThrows(PageserverException.class, () -> loadTenants());

        assertEquals(ErrorKind.INTERNAL, e.kind());
        assertTrue(e.getMessage().contains(TENANT_A.hex()) && e.getMessage().contains("gc_period"), e.getMessage());
    }

    @Test
    void everyChangeIsForcedToDiskBeforeItsSaveReturnsWhereTheDatabaseDoesNotForceItself() {
        ForcedCommits forced = context.getBean(ForcedCommits.class);
        long perChange = forcesItsOwnCommits() ? 0 : 1;
        TimelineMetadata root = TimelineMetadata.root(TENANT_A, TIMELINE_1, 15);
        List<Runnable> changes = List.of(
                () -> saveTenant(TenantMetadata.created(TENANT_A, TenantConfOverrides.none(), null)),
                () -> saveTimeline(root),
                () -> saveFlushedLayer(root.withLsns(Lsn.of(0x01FF_FFFFL), Lsn.of(0x01FF_FF00L), Lsn.of(0x01FF_FFFFL)),
                        layer(Key.MIN, Key.MAX, 0x0100_0000L, 0x0200_0000L, 1)),
                () -> replaceLayers(root, List.of(new LayerDescriptor(
                        LayerName.image(Key.MIN, Key.MAX, Lsn.of(0x01FF_FFFFL)), 1)), List.of()),
                () -> deleteTimeline(TENANT_A, TIMELINE_1),
                () -> deleteTenant(TENANT_A));
        for (Runnable change : changes) {
            long before = forced.forcedCount();
            change.run();
            assertEquals(before + perChange, forced.forcedCount());
        }
    }

    /** More saves at once than the pool has connections: each one commits, none waits for another's connection. */
    @Test
    void manyConcurrentSavesAllCommitPromptly() throws Exception {
        int saves = 25;
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(saves);
        try {
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(saves);
            List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int i = 0; i < saves; i++) {
                done.add(threads.submit(() -> {
                    start.await();
                    saveTenant(TenantMetadata.created(TenantId.generate(), TenantConfOverrides.none(), null));
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> save : done) {
                save.get(20, java.util.concurrent.TimeUnit.SECONDS);
            }
            assertEquals(saves, loadTenants().size());
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void replacingLayersAddsAndForgetsThemInOneStepAndKeepsImageNames() {
        saveTenant(TenantMetadata.created(TENANT_A, TenantConfOverrides.none(), null));
        TimelineMetadata root = TimelineMetadata.root(TENANT_A, TIMELINE_1, 15);
        saveTimeline(root);
        LayerDescriptor first = layer(Key.MIN, Key.MAX, 0x0100_0000L, 0x0200_0000L, 10);
        LayerDescriptor second = layer(Key.MIN, Key.MAX, 0x0200_0000L, 0x0300_0000L, 20);
        saveFlushedLayer(root.withLsns(Lsn.of(0x02FF_FFFFL), Lsn.of(0x02FF_FF00L), Lsn.of(0x02FF_FFFFL)), first);
        saveFlushedLayer(root.withLsns(Lsn.of(0x02FF_FFFFL), Lsn.of(0x02FF_FF00L), Lsn.of(0x02FF_FFFFL)), second);
        LayerDescriptor image = new LayerDescriptor(LayerName.image(Key.MIN, Key.relSize(new RelTag(1663, 5, 16384, 0)),
                Lsn.of(0x02FF_FFFFL)), 30);
        LayerDescriptor l1 = layer(Key.MIN, Key.block(new RelTag(1663, 5, 16384, 0), 7), 0x0100_0000L, 0x0300_0000L, 40);

        TimelineMetadata collected = root.withLsns(Lsn.of(0x02FF_FFFFL), Lsn.of(0x02FF_FF00L), Lsn.of(0x02FF_FFFFL))
                .withGcCutoff(Lsn.of(0x0200_0000L));
        replaceLayers(collected, List.of(image, l1), List.of(first.name(), second.name(),
                layer(Key.MIN, Key.MAX, 0x0400_0000L, 0x0500_0000L, 1).name()));
        assertEquals(List.of(l1, image), loadLayers(TENANT_A, TIMELINE_1), "the new set, the image read back as an image");
        assertTrue(loadLayers(TENANT_A, TIMELINE_1).get(1).name().image());
        assertEquals(List.of(collected), loadTimelines(TENANT_A), "the timeline's row with them: its GC cutoff moved");

        PageserverException twice = assertThrows(PageserverException.class,
                () -> replaceLayers(collected.withGcCutoff(Lsn.of(0x0280_0000L)), List.of(first, image), List.of(l1.name())));
        assertEquals(ErrorKind.INTERNAL, twice.kind());
        assertEquals(List.of(l1, image), loadLayers(TENANT_A, TIMELINE_1), "a refused replacement changes nothing");
        assertEquals(List.of(collected), loadTimelines(TENANT_A), "not even the cutoff");
    }

    @Test
    void aStartReadsEveryTimelineAndEveryLayerInOneReadEach() {
        saveTenant(TenantMetadata.created(TENANT_B, TenantConfOverrides.none(), null));
        saveTenant(TenantMetadata.created(TENANT_A, TenantConfOverrides.none(), null));
        TimelineMetadata a2 = TimelineMetadata.root(TENANT_A, TIMELINE_2, 15);
        TimelineMetadata a1 = TimelineMetadata.root(TENANT_A, TIMELINE_1, 15);
        TimelineMetadata b1 = TimelineMetadata.root(TENANT_B, TIMELINE_1, 15);
        for (TimelineMetadata timeline : List.of(b1, a2, a1)) {
            saveTimeline(timeline);
        }
        LayerDescriptor later = layer(Key.MIN, Key.MAX, 0x0200_0000L, 0x8000_0000_0000_0000L, 2);
        LayerDescriptor earlier = layer(Key.MIN, Key.MAX, 0x0100_0000L, 0x0200_0000L, 1);
        saveFlushedLayer(a1, later);
        saveFlushedLayer(a1, earlier);
        saveFlushedLayer(b1, earlier);

        assertEquals(List.of(a1, a2, b1), context.getBean(LoadTimelinePort.class).loadAllTimelines());
        assertEquals(Map.of(new TenantTimelineId(TENANT_A, TIMELINE_1), List.of(earlier, later),
                        new TenantTimelineId(TENANT_B, TIMELINE_1), List.of(earlier)),
                context.getBean(LoadLayersPort.class).loadAllLayers());
    }

    @Test
    void everythingSavedSurvivesARestartOfTheApplication() {
        TenantMetadata tenant = new TenantMetadata(TENANT_A, everySettingOverridden(), new Generation(9), false, false, false);
        TimelineMetadata root = TimelineMetadata.root(TENANT_A, TIMELINE_1, 15);
        TimelineMetadata branch = root.branch(TIMELINE_2, Lsn.INITDB, null);
        saveTenant(tenant);
        saveTimeline(root);
        saveTimeline(branch);
        LayerDescriptor first = layer(Key.MIN, Key.MAX, 0x0100_0000L, 0x0200_0000L, 1 << 20);
        LayerDescriptor second = layer(Key.MIN, Key.MAX, 0x0200_0000L, 0x8000_0000_0000_0000L, 3 << 20);
        TimelineMetadata flushed = root.withLsns(Lsn.of(0x7FFF_FFFF_FFFF_FFFFL), Lsn.of(0x7FFF_FFFF_FFFF_FF00L),
                Lsn.of(0x7FFF_FFFF_FFFF_FFFFL));
        saveFlushedLayer(root.withLsns(Lsn.of(0x01FF_FFFFL), Lsn.of(0x01FF_FF00L), Lsn.of(0x01FF_FFFFL)), first);
        saveFlushedLayer(flushed, second);

        context.close();
        context = ApplicationContext.run(properties);

        assertEquals(List.of(tenant), loadTenants());
        assertEquals(List.of(flushed, branch), loadTimelines(TENANT_A));
        assertEquals(List.of(first, second), loadLayers(TENANT_A, TIMELINE_1));
    }

    @Test
    void layersLoadInUnsignedLsnOrderThenKeyOrderWithEveryFieldIntact() {
        saveTenant(TenantMetadata.created(TENANT_A, TenantConfOverrides.none(), null));
        TimelineMetadata root = TimelineMetadata.root(TENANT_A, TIMELINE_1, 15);
        saveTimeline(root);
        saveTimeline(TimelineMetadata.root(TENANT_A, TIMELINE_2, 15));
        Key relStart = new Key(Key.KIND_BLOCK, 1663, 5, 16384, 0, 0);
        Key relMiddle = new Key(Key.KIND_BLOCK, 1663, 5, 16384, 0, 0x8000_0000L);
        Key relEnd = new Key(Key.KIND_BLOCK, 1663, 5, 16384, 1, 0);
        // Key ranges chosen so that file-name (text) order and signed LSN order both differ from the
        // expected order: only an unsigned comparison of the LSNs, then the keys, gets it right.
        LayerDescriptor low = layer(relMiddle, Key.MAX, 0x0100_0000L, 0x7FFF_FFFF_FFFF_FFF0L, 10);
        LayerDescriptor acrossTheSignBit = layer(Key.allSizesStart(), Key.allSizesEnd(),
                0x7FFF_FFFF_FFFF_FFF0L, 0x8000_0000_0000_0010L, 0);
        LayerDescriptor highLeft = layer(relStart, relMiddle, 0x8000_0000_0000_0010L, 0xFFFF_FFFF_FFFF_FF00L, Long.MAX_VALUE);
        LayerDescriptor highRight = layer(relMiddle, relEnd, 0x8000_0000_0000_0010L, 0xFFFF_FFFF_FFFF_FF00L, 123_456_789L);
        LayerDescriptor topmost = layer(Key.MIN, Key.COMMIT, 0xFFFF_FFFF_FFFF_FF00L, 0xFFFF_FFFF_FFFF_FFFFL, 7);
        for (LayerDescriptor layer : List.of(highRight, topmost, low, highLeft, acrossTheSignBit)) {
            saveFlushedLayer(root, layer);
        }
        LayerDescriptor sibling = layer(Key.MIN, Key.MAX, 0x0100_0000L, 0x0200_0000L, 1);
        saveFlushedLayer(TimelineMetadata.root(TENANT_A, TIMELINE_2, 15), sibling);

        assertEquals(List.of(low, acrossTheSignBit, highLeft, highRight, topmost), loadLayers(TENANT_A, TIMELINE_1));
        assertEquals(List.of(sibling), loadLayers(TENANT_A, TIMELINE_2));
        assertEquals(List.of(), loadLayers(TENANT_A, TIMELINE_3));
    }

    @Test
    void savingAFlushedLayerStoresEveryFieldOfTheTimelineAsSaveTimelineWould() {
        saveTenant(TenantMetadata.created(TENANT_A, TenantConfOverrides.none(), null));
        saveTimeline(TimelineMetadata.root(TENANT_A, TIMELINE_1, 15));
        TimelineMetadata advanced = new TimelineMetadata(TENANT_A, TIMELINE_1, null, Lsn.INVALID,
                Lsn.of(0x0200_0000L), Lsn.of(0xFFFF_FFFF_FFFF_FF00L), Lsn.of(0xFFFF_FFFF_FFFF_FE00L),
                Lsn.of(0xFFFF_FFFF_FFFF_FF00L), Lsn.of(0x8000_0000_0000_0000L), Lsn.of(0x7000_0000_0000_0000L),
                15, true);

        saveFlushedLayer(advanced, layer(Key.MIN, Key.MAX, 0x0100_0000L, 0xFFFF_FFFF_FFFF_FF01L, 4096));

        assertEquals(List.of(advanced), loadTimelines(TENANT_A));
    }

    @Test
    void aLayersLastReadTimeIsRecordedAndAnUnknownLayerIsIgnored() throws SQLException {
        saveTenant(TenantMetadata.created(TENANT_A, TenantConfOverrides.none(), null));
        TimelineMetadata root = TimelineMetadata.root(TENANT_A, TIMELINE_1, 15);
        saveTimeline(root);
        LayerDescriptor layer = layer(Key.MIN, Key.MAX, 0x0100_0001L, 0x0200_0000L, 4096);
        saveFlushedLayer(root, layer);
        Instant read = Instant.parse("2026-11-27T08:00:00.123Z");
        LayerName gone = layer(Key.MIN, Key.MAX, 0x0200_0000L, 0x0300_0000L, 1).name();

        context.getBean(SaveLayersPort.class).saveLastAccess(TENANT_A, TIMELINE_1, Map.of(layer.name(), read, gone, read));

        assertEquals(read, lastAccess(layer.name()));
        assertEquals(List.of(layer), loadLayers(TENANT_A, TIMELINE_1), "no row appears for a layer that is gone");
    }

    @Test
    void aLayersResidenceIsRecordedAndAnUnknownLayerIsIgnored() throws SQLException {
        saveTenant(TenantMetadata.created(TENANT_A, TenantConfOverrides.none(), null));
        TimelineMetadata root = TimelineMetadata.root(TENANT_A, TIMELINE_1, 15);
        saveTimeline(root);
        LayerDescriptor layer = layer(Key.MIN, Key.MAX, 0x0100_0001L, 0x0200_0000L, 4096);
        saveFlushedLayer(root, layer);
        LayerName gone = layer(Key.MIN, Key.MAX, 0x0200_0000L, 0x0300_0000L, 1).name();
        assertTrue(resident(layer.name()), "a flushed layer is resident");

        context.getBean(SaveLayersPort.class).saveResidence(TENANT_A, TIMELINE_1, Map.of(layer.name(), false, gone, false));
        assertFalse(resident(layer.name()), "evicted");
        context.getBean(SaveLayersPort.class).saveResidence(TENANT_A, TIMELINE_1, Map.of(layer.name(), true));
        assertTrue(resident(layer.name()), "downloaded again");
        assertEquals(List.of(layer), loadLayers(TENANT_A, TIMELINE_1), "no row appears for a layer that is gone");
    }

    @Test
    void aLayerRecordedTwiceFailsNamingItAndLeavesTimelineAndLayersAsTheyWere() {
        saveTenant(TenantMetadata.created(TENANT_A, TenantConfOverrides.none(), null));
        TimelineMetadata root = TimelineMetadata.root(TENANT_A, TIMELINE_1, 15);
        saveTimeline(root);
        LayerDescriptor layer = layer(Key.MIN, Key.MAX, 0x0100_0000L, 0x0200_0000L, 8192);
        TimelineMetadata flushed = root.withLsns(Lsn.of(0x01FF_FFFFL), Lsn.of(0x01FF_FF00L), Lsn.of(0x01FF_FFFFL));
        saveFlushedLayer(flushed, layer);
        TimelineMetadata further = root.withLsns(Lsn.of(0x02FF_FFFFL), Lsn.of(0x02FF_FF00L), Lsn.of(0x02FF_FFFFL));

        PageserverException e = assertThrows(PageserverException.class,
                () -> saveFlushedLayer(further, new LayerDescriptor(layer.name(), 16384)));

        assertEquals(ErrorKind.INTERNAL, e.kind());
        assertTrue(e.getMessage().contains(layer.name().fileName()), e.getMessage());
        assertEquals(List.of(flushed), loadTimelines(TENANT_A), "the timeline update was rolled back with the insert");
        assertEquals(List.of(layer), loadLayers(TENANT_A, TIMELINE_1), "the first record is not replaced");
    }

    @Test
    void aLayerOfATimelineNeverSavedIsRefusedAndNothingIsStored() {
        saveTenant(TenantMetadata.created(TENANT_A, TenantConfOverrides.none(), null));

        assertThrows(DataAccessException.class, () -> saveFlushedLayer(TimelineMetadata.root(TENANT_A, TIMELINE_1, 15),
                layer(Key.MIN, Key.MAX, 0x0100_0000L, 0x0200_0000L, 1)));

        assertEquals(List.of(), loadTimelines(TENANT_A));
        assertEquals(List.of(), loadLayers(TENANT_A, TIMELINE_1));
    }

    @Test
    void deletingATimelineRemovesItsLayersButNotItsSiblings() {
        saveTenant(TenantMetadata.created(TENANT_A, TenantConfOverrides.none(), null));
        TimelineMetadata doomed = TimelineMetadata.root(TENANT_A, TIMELINE_1, 15);
        TimelineMetadata sibling = TimelineMetadata.root(TENANT_A, TIMELINE_2, 15);
        saveTimeline(doomed);
        saveTimeline(sibling);
        LayerDescriptor layer = layer(Key.MIN, Key.MAX, 0x0100_0000L, 0x0200_0000L, 1);
        saveFlushedLayer(doomed, layer);
        saveFlushedLayer(sibling, layer);

        deleteTimeline(TENANT_A, TIMELINE_1);

        assertEquals(List.of(), loadLayers(TENANT_A, TIMELINE_1));
        assertEquals(List.of(layer), loadLayers(TENANT_A, TIMELINE_2));
        // A timeline created again under the same id starts without the old one's layers.
        saveTimeline(doomed);
        assertEquals(List.of(), loadLayers(TENANT_A, TIMELINE_1));
    }

    @Test
    void deletingATenantRemovesItsLayersButNoOtherTenants() {
        LayerDescriptor layer = layer(Key.MIN, Key.MAX, 0x0100_0000L, 0x0200_0000L, 1);
        for (TenantId tenant : List.of(TENANT_A, TENANT_B)) {
            saveTenant(TenantMetadata.created(tenant, TenantConfOverrides.none(), null));
            TimelineMetadata timeline = TimelineMetadata.root(tenant, TIMELINE_1, 15);
            saveTimeline(timeline);
            saveFlushedLayer(timeline, layer);
        }

        deleteTenant(TENANT_A);

        assertEquals(List.of(), loadLayers(TENANT_A, TIMELINE_1));
        assertEquals(List.of(layer), loadLayers(TENANT_B, TIMELINE_1));
    }

    @Test
    void aLayerRowWhoseRangesDisagreeWithItsFileNameFailsTheLoadNamingIt() throws SQLException {
        saveTenant(TenantMetadata.created(TENANT_A, TenantConfOverrides.none(), null));
        TimelineMetadata root = TimelineMetadata.root(TENANT_A, TIMELINE_1, 15);
        saveTimeline(root);
        LayerDescriptor layer = layer(Key.MIN, Key.MAX, 0x0100_0000L, 0x0200_0000L, 1);
        saveFlushedLayer(root, layer);
        sql("UPDATE layer SET lsn_end = " + 0x0300_0000L);

        PageserverException e = assertThrows(PageserverException.class, () -> loadLayers(TENANT_A, TIMELINE_1));

        assertEquals(ErrorKind.INTERNAL, e.kind());
        assertTrue(e.getMessage().contains(layer.name().fileName()), e.getMessage());
    }

    private static LayerDescriptor layer(Key keyStart, Key keyEnd, long lsnStart, long lsnEnd, long fileSize) {
        return new LayerDescriptor(new LayerName(keyStart, keyEnd, Lsn.of(lsnStart), Lsn.of(lsnEnd)), fileSize);
    }

    /** A value different from the built-in default for every setting, so each kind's text form is exercised. */
    private static TenantConfOverrides everySettingOverridden() {
        Map<TenantConfigField, Object> values = new EnumMap<>(TenantConfigField.class);
        Set<TenantConfigField.Kind> kinds = EnumSet.noneOf(TenantConfigField.Kind.class);
        for (TenantConfigField field : TenantConfigField.values()) {
            kinds.add(field.kind());
            values.put(field, switch (field.kind()) {
                case U64 -> Long.MAX_VALUE - field.ordinal();
                case NON_ZERO_U64 -> 1L;
                case DURATION -> Duration.ofDays(1).plusHours(2).plusMinutes(3).plusSeconds(field.ordinal()).plusMillis(5);
                case BOOL -> !Boolean.TRUE.equals(field.builtInDefault());
                case EVICTION_POLICY -> new EvictionPolicy.LayerAccessThreshold(Duration.ofHours(1), Duration.ofDays(7));
            });
        }
        assertEquals(EnumSet.allOf(TenantConfigField.Kind.class), kinds, "the sample covers every kind of setting");
        return TenantConfOverrides.of(values);
    }

    private static Map<String, Object> withFlyway(Map<String, String> datasource) {
        Map<String, Object> all = new HashMap<>(datasource);
        all.put("flyway.datasources.default.enabled", true);
        return all;
    }

    // The stores are reached through the ports, as the application reaches them.

    private void saveTenant(TenantMetadata tenant) {
        context.getBean(SaveTenantPort.class).saveTenant(tenant);
    }

    private List<TenantMetadata> loadTenants() {
        return context.getBean(LoadTenantPort.class).loadTenants();
    }

    private void deleteTenant(TenantId id) {
        context.getBean(SaveTenantPort.class).deleteTenant(id);
    }

    private void saveTimeline(TimelineMetadata timeline) {
        context.getBean(SaveTimelinePort.class).saveTimeline(timeline);
    }

    private List<TimelineMetadata> loadTimelines(TenantId tenantId) {
        return context.getBean(LoadTimelinePort.class).loadTimelines(tenantId);
    }

    private void deleteTimeline(TenantId tenantId, TimelineId timelineId) {
        context.getBean(SaveTimelinePort.class).deleteTimeline(tenantId, timelineId);
    }

    private void saveFlushedLayer(TimelineMetadata timeline, LayerDescriptor layer) {
        context.getBean(SaveLayersPort.class).saveFlushedLayer(timeline, layer);
    }

    private void replaceLayers(TimelineMetadata timeline, List<LayerDescriptor> added, List<LayerName> removed) {
        context.getBean(SaveLayersPort.class).replaceLayers(timeline, added, removed);
    }

    private List<LayerDescriptor> loadLayers(TenantId tenantId, TimelineId timelineId) {
        return context.getBean(LoadLayersPort.class).loadLayers(tenantId, timelineId);
    }

    private Instant lastAccess(LayerName name) throws SQLException {
        DataSource pool = context.getBean(DataSourceResolver.class).resolve(context.getBean(DataSource.class));
        try (Connection connection = pool.getConnection();
             java.sql.PreparedStatement q = connection.prepareStatement("SELECT last_access FROM layer WHERE file_name = ?")) {
            q.setString(1, name.fileName());
            try (java.sql.ResultSet rows = q.executeQuery()) {
                assertTrue(rows.next(), "a row for " + name);
                return rows.getObject(1, java.time.OffsetDateTime.class).toInstant();
            }
        }
    }

    private boolean resident(LayerName name) throws SQLException {
        DataSource pool = context.getBean(DataSourceResolver.class).resolve(context.getBean(DataSource.class));
        try (Connection connection = pool.getConnection();
             java.sql.PreparedStatement q = connection.prepareStatement("SELECT resident FROM layer WHERE file_name = ?")) {
            q.setString(1, name.fileName());
            try (java.sql.ResultSet rows = q.executeQuery()) {
                assertTrue(rows.next(), "a row for " + name);
                return rows.getBoolean(1);
            }
        }
    }

    /** Runs SQL around the stores, on a connection of the pool itself rather than the transaction-aware wrapper. */
    private void sql(String statement) throws SQLException {
        DataSource pool = context.getBean(DataSourceResolver.class).resolve(context.getBean(DataSource.class));
        try (Connection connection = pool.getConnection(); Statement s = connection.createStatement()) {
            s.executeUpdate(statement);
        }
    }
}
