package org.pageserver.domain.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.pageserver.domain.lsn.Lsn;
import org.pageserver.domain.page.Key;
import org.pageserver.domain.page.RelTag;
import org.pageserver.domain.timeline.GcResult;

class GcPlanTest {
    private static final Key A = Key.block(new RelTag(1663, 5, 1, 0), 0);
    private static final Key B = Key.block(new RelTag(1663, 5, 2, 0), 0);

    private static LayerName delta(long start, long end) {
        return new LayerName(A, B, Lsn.of(start), Lsn.of(end));
    }

    private static LayerName image(long at) {
        return LayerName.image(A, B, Lsn.of(at));
    }

    @Test
    void eachLayerCountsUnderTheFirstRuleThatKeepsItAndOnlyCoveredOnesGo() {
        LayerName belowBranch = delta(100, 200);
        LayerName atBranch = delta(200, 300);
        LayerName imageAt299 = image(299);
        LayerName covered = delta(300, 400);
        LayerName imageAt450 = image(450);
        LayerName straddling = delta(400, 500);
        LayerName abovePitr = delta(500, 600);
        LayerName aboveHorizon = delta(600, 700);
        List<LayerName> layers = List.of(belowBranch, atBranch, imageAt299, covered, imageAt450, straddling, abovePitr,
                aboveHorizon);

        GcPlan plan = GcPlan.of(layers, Lsn.of(650), Lsn.of(560), List.of(Lsn.of(250)), Lsn.of(560));

        // A branch at 250 keeps the two layers starting at or below it; the image at 450 covers the
        // delta ending at 400 and the older image; nothing newer below 560 covers the image at 450
        // or the delta ending at 500; the last two reach above the PITR and the horizon cutoffs.
        assertEquals(new GcResult(8, 1, 1, 2, 2, 2, 0), plan.counts());
        assertEquals(List.of(imageAt299, covered), plan.removed());
    }

    @Test
    void anImageAtTheCutoffOrLaterCoversNothingAndAnImageMustHoldTheWholeKeyRange() {
        LayerName layer = delta(100, 200);
        assertEquals(List.of(), GcPlan.of(List.of(layer, image(300)), Lsn.of(1000), Lsn.of(1000), List.of(), Lsn.of(300))
                .removed(), "an image at the new cutoff is not below it");
        assertEquals(List.of(layer), GcPlan.of(List.of(layer, image(299)), Lsn.of(1000), Lsn.of(1000), List.of(), Lsn.of(300))
                .removed());
        LayerName narrow = LayerName.image(A, Key.block(new RelTag(1663, 5, 1, 0), 5), Lsn.of(250));
        assertEquals(List.of(), GcPlan.of(List.of(layer, narrow), Lsn.of(1000), Lsn.of(1000), List.of(), Lsn.of(300))
                .removed(), "an image holding part of the keys");
        assertEquals(List.of(), GcPlan.of(List.of(delta(100, 300), image(250)), Lsn.of(1000), Lsn.of(1000), List.of(), Lsn.of(300))
                .removed(), "an image inside the layer's range is not newer than it");
        assertEquals(List.of(delta(100, 300)), GcPlan.of(List.of(delta(100, 300), image(299)), Lsn.of(1000), Lsn.of(1000),
                List.of(), Lsn.of(400)).removed(), "an image at the layer's last LSN holds all of it");
    }

    @Test
    void theNewestImageBelowTheCutoffStaysAndOlderOnesGo() {
        GcPlan plan = GcPlan.of(List.of(image(100), image(200), image(300)), Lsn.of(1000), Lsn.of(1000), List.of(), Lsn.of(350));
        assertEquals(List.of(image(100), image(200)), plan.removed());
        assertEquals(1, plan.counts().layersNotUpdated());
    }

    @Test
    void imagesCoverALayerBetweenThemButNotImagesAtTheirOwnLsn() {
        Key middle = Key.block(new RelTag(1663, 5, 1, 0), 7);
        LayerName layer = delta(100, 200);
        LayerName left = LayerName.image(A, middle, Lsn.of(250));
        LayerName right = LayerName.image(middle, B, Lsn.of(260));
        GcPlan plan = GcPlan.of(List.of(layer, left, right), Lsn.of(1000), Lsn.of(1000), List.of(), Lsn.of(300));
        assertEquals(List.of(layer), plan.removed(), "two images at different LSNs hold its keys between them");

        LayerName whole = image(250);
        plan = GcPlan.of(List.of(whole, LayerName.image(A, middle, Lsn.of(250)), LayerName.image(middle, B, Lsn.of(250))),
                Lsn.of(1000), Lsn.of(1000), List.of(), Lsn.of(300));
        assertEquals(List.of(), plan.removed(), "images at one LSN never cover each other away");
    }

    @Test
    void anImageAtABranchPointLetsTheLayersBelowItGoOnceTheBranchReadsOnlyThere() {
        LayerName old = delta(100, 200);
        LayerName straddling = delta(200, 400);
        LayerName atBranch = image(300);
        LayerName newer = image(500);
        List<LayerName> layers = List.of(old, straddling, atBranch, newer);
        assertEquals(List.of(), GcPlan.of(layers, Lsn.of(1000), Lsn.of(1000), List.of(Lsn.of(300)), Lsn.of(600)).removed(),
                "a branch that may read below its branch point keeps everything starting below it");
        GcPlan plan = GcPlan.of(layers, Lsn.of(1000), Lsn.of(1000), List.of(), List.of(Lsn.of(300)), Lsn.of(600));
        // A branch that reads only at 300, where the image answers it: the delta below goes. The delta
        // around the branch point holds versions the branch reads (200 to 300) that no image at or
        // below 300 holds, and the image at the branch point is the branch's: both stay.
        assertEquals(List.of(old), plan.removed());
        assertEquals(2, plan.counts().layersNeededByBranches(), "the delta around the branch point and the image at it");
    }
}
