package org.pageserver.application.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.pageserver.application.engine.EngineFixture.OTHER;
import static org.pageserver.application.engine.EngineFixture.REL;
import static org.pageserver.application.engine.EngineFixture.at;
import static org.pageserver.application.engine.EngineFixture.delta;
import static org.pageserver.application.engine.EngineFixture.drop;
import static org.pageserver.application.engine.EngineFixture.filled;
import static org.pageserver.application.engine.EngineFixture.image;
import static org.pageserver.application.engine.EngineFixture.ingest;
import static org.pageserver.application.engine.EngineFixture.resize;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pageserver.domain.error.ErrorKind;
import org.pageserver.domain.error.PageserverException;
import org.pageserver.domain.id.TimelineId;
import org.pageserver.domain.page.Page;
import org.pageserver.domain.timeline.TimelineMetadata;

/** A branch reads its ancestor's records up to the branch LSN and its own after it. */
class TimelineDataBranchTest {
    private final EngineFixture engine = new EngineFixture();

    @AfterEach
    void close() {
        engine.close();
    }

    private TimelineData branch(TimelineData parent, long n) {
        TimelineMetadata m = parent.metadata().branch(TimelineId.generate(), at(n), null);
        return engine.create(m, parent);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aBranchSeesItsAncestorUpToTheBranchLsnOnly(boolean flushAncestor) {
        TimelineData main = engine.root();
        ingest(main, image(1, REL, 0, 1), image(2, REL, 0, 2), image(3, REL, 1, 3));
        if (flushAncestor) {
            main.checkpoint();
        }
        TimelineData branch = branch(main, 2);
        ingest(main, drop(4, REL), image(5, OTHER, 0, 5));

        assertEquals(at(2), branch.metadata().lastRecordLsn());
        assertEquals(1, branch.relSize(REL, at(2)).nblocks(), "block 1 came after the branch point");
        assertArrayEquals(filled(2), branch.page(REL, 0, at(2)));
        assertArrayEquals(filled(1), branch.page(REL, 0, at(1)));
        PageserverException e = assertThrows(PageserverException.class, () -> branch.page(REL, 1, at(2)));
        assertEquals(ErrorKind.NOT_FOUND, e.kind());
        assertFalse(branch.relSize(OTHER, at(2)).exists());
        assertEquals(Page.SIZE, branch.logicalSize());
        assertEquals(Page.SIZE, branch.logicalSizeFromData());

        // The branch's own records start after the branch point; main's later ones stay invisible.
        ingest(branch, delta(6, REL, 0, 0, 7), resize(7, REL, 3));
        byte[] expected = filled(2);
        expected[0] = 7;
        assertArrayEquals(expected, branch.page(REL, 0, at(7)));
        assertArrayEquals(Page.zero(), branch.page(REL, 1, at(7)), "main's block 1 at at(3) never reaches the branch");
        assertFalse(branch.relSize(OTHER, at(7)).exists());
        assertEquals(3L * Page.SIZE, branch.logicalSize());

        assertFalse(main.relSize(REL, at(7)).exists(), "the branch's writes do not reach main");
        assertArrayEquals(filled(2), main.page(REL, 0, at(3)));
        assertEquals(Page.SIZE, main.logicalSize());
    }

    @Test
    void aBranchOfABranchReadsThreeLevels() {
        TimelineData main = engine.root();
        ingest(main, image(1, REL, 0, 1), image(2, REL, 1, 2));
        TimelineData child = branch(main, 2);
        ingest(main, image(3, REL, 0, 30), image(4, REL, 2, 40));
        ingest(child, image(5, REL, 1, 5), image(6, OTHER, 0, 6));
        main.checkpoint();
        child.checkpoint();
        TimelineData grandchild = branch(child, 5);
        ingest(child, image(7, REL, 0, 70), drop(8, OTHER));
        ingest(grandchild, delta(9, REL, 0, 1, 9));

        byte[] expected = filled(1);
        expected[1] = 9;
        assertArrayEquals(expected, grandchild.page(REL, 0, at(9)), "main's image under the grandchild's delta");
        assertArrayEquals(filled(5), grandchild.page(REL, 1, at(9)), "the child's write before its branch point");
        assertEquals(2, grandchild.relSize(REL, at(9)).nblocks(), "main's block 2 came after the first branch point");
        assertFalse(grandchild.relSize(OTHER, at(9)).exists(), "the child's OTHER came after the second branch point");
        assertArrayEquals(filled(1), grandchild.page(REL, 0, at(5)));
        assertEquals(2L * Page.SIZE, grandchild.logicalSize());
        assertEquals(grandchild.logicalSize(), grandchild.logicalSizeFromData());
        assertEquals(2L * Page.SIZE, grandchild.dbSizeBytes(1663, 16384, at(9)));

        assertArrayEquals(filled(70), child.page(REL, 0, at(9)));
        assertFalse(child.relSize(OTHER, at(8)).exists());
        assertArrayEquals(filled(30), main.page(REL, 0, at(9)));
        assertEquals(3, main.relSize(REL, at(9)).nblocks());
    }

    @Test
    void aCutInTheAncestorBeforeTheBranchPointStaysCut() {
        TimelineData main = engine.root();
        ingest(main, image(1, REL, 0, 1), image(2, REL, 1, 2), resize(3, REL, 1));
        TimelineData branch = branch(main, 3);
        ingest(branch, resize(4, REL, 2));
        assertArrayEquals(Page.zero(), branch.page(REL, 1, at(4)), "the ancestor's truncation holds on the branch");
        assertArrayEquals(filled(1), branch.page(REL, 0, at(4)));
    }

    @Test
    void aReloadedBranchStillReadsItsAncestor() {
        TimelineData main = engine.root();
        ingest(main, image(1, REL, 0, 1));
        TimelineMetadata childMeta = main.metadata().branch(TimelineId.generate(), at(1), null);
        TimelineData child = engine.create(childMeta, main);
        ingest(child, image(2, REL, 1, 2));
        child.checkpoint();
        ingest(child, image(3, REL, 2, 3));
        child.shutdown();

        TimelineData reloaded = engine.reload(childMeta, main);
        assertEquals(at(3), reloaded.metadata().lastRecordLsn());
        assertArrayEquals(filled(1), reloaded.page(REL, 0, at(3)));
        assertArrayEquals(filled(2), reloaded.page(REL, 1, at(3)));
        assertArrayEquals(filled(3), reloaded.page(REL, 2, at(3)));
        assertEquals(3L * Page.SIZE, reloaded.logicalSize());
    }
}
